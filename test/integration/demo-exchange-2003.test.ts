// The demo Exchange's 2003 generation: owalogon.asp, owaauth.dll, sessionid + cadata, WebDAV.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange, type DemoExchangeOptions } from '../demo';
import { client, readForm, type Client } from './helpers/http-client';

const SECOND = 1000;
let clock = 0;
let demo: DemoExchange | undefined;

async function start(options: Partial<DemoExchangeOptions> = {}): Promise<string> {
  clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  demo = await startDemoExchange({ generation: '2003', now: () => clock, ...options });
  return demo.origin;
}
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

async function signIn(c: Client, password = 'Demo-Passw0rd', trusted = '0'): Promise<Response> {
  const first = await c.get('/exchange/');
  const form = readForm(await (await c.get(first.headers.get('location') ?? '')).text());
  form.fields.set('username', 'CONTOSO\\alice');
  form.fields.set('password', password);
  form.fields.set('trusted', trusted);
  form.fields.set('SubmitCreds', 'Log On');
  return c.post(form.action, new URLSearchParams([...form.fields]));
}

const search = (c: Client, headers: Record<string, string> = {}) =>
  c.request('SEARCH', '/exchange/alice/Inbox/', {
    body: '<?xml version="1.0"?><D:searchrequest xmlns:D="DAV:"><D:sql>SELECT "DAV:href"</D:sql></D:searchrequest>',
    headers: { 'content-type': 'text/xml', depth: '1', ...headers },
  });

describe('demo Exchange 2003', () => {
  it('sends a navigation without a session to owalogon.asp with reason=0', async () => {
    const origin = await start();
    const response = await client(origin).get('/exchange/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${origin}/exchweb/bin/auth/owalogon.asp?url=${encodeURIComponent(`${origin}/exchange/`)}&reason=0`);
    expect(response.headers.get('server')).toBe('Microsoft-IIS/6.0');
  });

  it('serves a logon page that posts destination, flags, username, password, SubmitCreds and trusted to owaauth.dll', async () => {
    const origin = await start();
    const html = await (await fetch(`${origin}/exchweb/bin/auth/owalogon.asp?url=${encodeURIComponent(`${origin}/exchange/`)}&reason=0`)).text();
    const form = readForm(html);
    expect(form.action).toBe('/exchweb/bin/auth/owaauth.dll');
    expect(form.method).toBe('POST');
    expect(Object.fromEntries(form.inputs)).toEqual({
      destination: 'hidden',
      flags: 'hidden',
      trusted: 'radio',
      username: 'text',
      password: 'password',
      SubmitCreds: 'submit',
    });
    const script = /<script src="([^"]+)"><\/script>/.exec(html)?.[1];
    expect((await fetch(`${origin}${script}`)).status).toBe(200);
  });

  it('signs in: sessionid and cadata cookies, then the mailbox and its WebDAV SEARCH', async () => {
    const origin = await start();
    const c = client(origin);
    const response = await signIn(c);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${origin}/exchange/`);
    expect(response.headers.getSetCookie().map((line) => line.split('=')[0])).toEqual(['sessionid', 'cadata']);
    expect(response.headers.getSetCookie().every((line) => line.includes('HttpOnly') && !/secure/i.test(line))).toBe(true);
    expect(demo?.sessions()).toEqual([{ user: 'alice', private: false, issuedAt: clock, expiresAt: clock + 90 * SECOND }]);

    const html = await (await c.get('/exchange/')).text();
    expect(html).toContain('id="serviceStatus"');
    const result = await search(c);
    expect(result.status).toBe(207);
    expect(result.statusText).toBe('Multi-Status');
    expect(await result.text()).toContain('<d:subject>Lunch on Friday?</d:subject>');
  });

  it('takes trusted=4 as a private computer', async () => {
    const origin = await start();
    await signIn(client(origin), 'Demo-Passw0rd', '4');
    expect(demo?.sessions()[0]).toMatchObject({ private: true, expiresAt: clock + 270 * SECOND });
  });

  it('sends a wrong password back to owalogon.asp with reason=2', async () => {
    const origin = await start();
    const response = await signIn(client(origin), 'wrong');
    expect(response.headers.get('location')).toBe(`${origin}/exchweb/bin/auth/owalogon.asp?url=${encodeURIComponent(`${origin}/exchange/`)}&reason=2`);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('answers 400 to a logon without a password or with a foreign destination', async () => {
    const origin = await start();
    const c = client(origin);
    expect((await c.post('/exchweb/bin/auth/owaauth.dll', new URLSearchParams({ destination: `${origin}/exchange/`, username: 'alice' }))).status).toBe(400);
    const foreign = new URLSearchParams({ destination: 'http://evil.example/exchange/', flags: '0', username: 'alice', password: 'Demo-Passw0rd' });
    expect((await c.post('/exchweb/bin/auth/owaauth.dll', foreign)).status).toBe(400);
  });

  it('after expiry: 440 for WebDAV and POST, owalogon.asp?…&reason=0 for a navigation', async () => {
    const origin = await start();
    const c = client(origin);
    await signIn(c);
    clock += 90 * SECOND;
    const cookies = new Map(c.jar.cookies);
    const timeout = await search(c);
    expect(timeout.status).toBe(440);
    expect(timeout.statusText).toBe('Login Timeout');
    expect(timeout.headers.getSetCookie()).toEqual(['sessionid=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/', 'cadata=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/']);
    for (const [name, value] of cookies) c.jar.cookies.set(name, value);
    const navigation = await c.get('/exchange/');
    expect(navigation.headers.get('location')).toBe(`${origin}/exchweb/bin/auth/owalogon.asp?url=${encodeURIComponent(`${origin}/exchange/`)}&reason=0`);
  });

  it('renews on activity after T/2 but not for requests marked X-UserActivity: 0', async () => {
    const origin = await start();
    const c = client(origin);
    await signIn(c);
    const issued = clock;
    clock = issued + 31 * SECOND;
    await search(c, { 'x-useractivity': '0' });
    expect(demo?.sessions()[0]?.expiresAt).toBe(issued + 90 * SECOND);
    await search(c);
    expect(demo?.sessions()[0]?.expiresAt).toBe(issued + 121 * SECOND);
  });

  it('logs off with owalogoff.asp', async () => {
    const origin = await start();
    const c = client(origin);
    await signIn(c);
    const response = await c.get('/exchweb/bin/auth/owalogoff.asp');
    expect(response.headers.get('location')).toBe(`${origin}/exchweb/bin/auth/owalogon.asp?url=${encodeURIComponent(`${origin}/exchange/`)}&reason=1`);
    expect(c.jar.cookies.size).toBe(0);
    expect(demo?.sessions()).toEqual([]);
  });

  it("refuses another user's mailbox", async () => {
    const origin = await start();
    const c = client(origin);
    await signIn(c);
    expect((await c.request('SEARCH', '/exchange/bob/Inbox/')).status).toBe(403);
  });
});
