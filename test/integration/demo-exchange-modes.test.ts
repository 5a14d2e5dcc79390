// The demo Exchange where forms logon is not available: AD FS, Entra ID, ISA/TMG.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { client, readForm } from './helpers/http-client';

let demo: DemoExchange | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

describe('demo Exchange: non-forms modes', () => {
  it('AD FS: /owa/ and even auth.owa go to /adfs/ls/?wa=wsignin1.0 with a TimeWindow cookie', async () => {
    demo = await startDemoExchange({ generation: '2010', fbaMode: 'adfs' });
    const c = client(demo.origin);
    const response = await c.get('/owa/');
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${demo.origin}/adfs/ls/`);
    expect(location.searchParams.get('wa')).toBe('wsignin1.0');
    expect(location.searchParams.get('wtrealm')).toBe(`${demo.origin}/owa/`);
    expect(c.jar.cookies.has('TimeWindow')).toBe(true);

    const page = readForm(await (await c.get(location.pathname + location.search)).text());
    expect([...page.inputs.keys()]).toEqual(['UserName', 'Password', 'AuthMethod']);

    const post = await c.post('/owa/auth.owa', new URLSearchParams({ destination: `${demo.origin}/owa/`, flags: '0', username: 'alice', password: 'Demo-Passw0rd' }));
    expect(post.status).toBe(302);
    expect(post.headers.get('location')).toContain('/adfs/ls/?wa=wsignin1.0');
    expect(demo.sessions()).toEqual([]);
    expect(demo.logonPosts().map((r) => r.url)).toEqual(['/owa/auth.owa']);
  });

  it('Entra: /owa/ goes to login.microsoftonline.com', async () => {
    demo = await startDemoExchange({ generation: '2010', fbaMode: 'entra' });
    const response = await client(demo.origin).get('/owa/');
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin).toBe('https://login.microsoftonline.com');
    expect(location.pathname).toMatch(/^\/[0-9a-f-]{36}\/oauth2\/authorize$/);
    expect(location.searchParams.get('redirect_uri')).toBe(`${demo.origin}/owa/`);
  });

  it('TMG: /owa/ goes to CookieAuth.dll?GetLogon, whose form has curl, formdir, trusted, flags, username, password, SubmitCreds', async () => {
    demo = await startDemoExchange({ generation: '2010', fbaMode: 'tmg' });
    const c = client(demo.origin);
    const response = await c.get('/owa/');
    expect(response.headers.get('location')).toBe(`${demo.origin}/CookieAuth.dll?GetLogon?curl=Z2Fowa&reason=0&formdir=3`);
    const form = readForm(await (await c.get(response.headers.get('location') ?? '')).text());
    expect(form.action).toBe('/CookieAuth.dll?Logon');
    for (const name of ['curl', 'formdir', 'trusted', 'flags', 'username', 'password', 'SubmitCreds']) expect(form.inputs.has(name), name).toBe(true);
    expect(form.fields.get('curl')).toBe('Z2Fowa');

    const wrong = await c.post('/CookieAuth.dll?Logon', new URLSearchParams({ ...Object.fromEntries(form.fields), username: 'alice', password: 'nope' }));
    expect(wrong.headers.get('location')).toBe(`${demo.origin}/CookieAuth.dll?GetLogon?curl=Z2Fowa&reason=2&formdir=3`);
    expect(demo.logonPosts()).toHaveLength(1);
  });

  it('TMG in front of 2003 points curl at /exchange', async () => {
    demo = await startDemoExchange({ generation: '2003', fbaMode: 'tmg' });
    const response = await client(demo.origin).get('/exchange/');
    expect(response.headers.get('location')).toContain('curl=Z2Fexchange&');
  });

  it('refuses AD FS or Entra for 2003', async () => {
    await expect(startDemoExchange({ generation: '2003', fbaMode: 'adfs' })).rejects.toThrow(/needs generation '2010'/);
  });
});
