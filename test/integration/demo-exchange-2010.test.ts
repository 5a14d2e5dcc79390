// The demo Exchange's "2010" generation (the logon of Exchange 2010 to SE, auth.owa and the
// five cadata cookies), driven with plain fetch as a browser would.
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDemoExchange, type DemoExchange, type DemoExchangeOptions } from '../demo';
import { client, readForm, type Client } from './helpers/http-client';

const SECOND = 1000;
let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
let demo: DemoExchange | undefined;

async function start(options: Partial<DemoExchangeOptions> = {}): Promise<DemoExchange> {
  clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  demo = await startDemoExchange({ generation: '2010', now: () => clock, ...options });
  return demo;
}
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

/** Follows the real path: the mailbox redirects to the logon page, whose form is posted with its hidden inputs. */
async function signIn(c: Client, username = 'alice', password = 'Demo-Passw0rd', trusted = '0'): Promise<Response> {
  const first = await c.get('/owa/');
  const page = await c.get(first.headers.get('location') ?? '');
  const form = readForm(await page.text());
  form.fields.set('username', username);
  form.fields.set('password', password);
  form.fields.set('trusted', trusted);
  // What the page's script does on submit.
  form.fields.set('flags', trusted === '4' ? '4' : '0');
  return c.post(form.action, new URLSearchParams([...form.fields]));
}

function logonBody(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams({ destination: `${demo?.origin}/owa/`, flags: '0', username: 'alice', password: 'Demo-Passw0rd', ...fields });
}

const service = (c: Client, action = 'GetFolder', extra: Record<string, string> = {}) =>
  c.post(`/owa/service.svc?action=${action}`, '{}', {
    'content-type': 'application/json; charset=utf-8',
    action,
    'x-owa-canary': c.jar.cookies.get('X-OWA-CANARY') ?? '',
    'x-requested-with': 'XMLHttpRequest',
    ...extra,
  });

describe('demo Exchange 2010+: the way in', () => {
  it('sends a navigation without a session to logon.aspx with the original URL and reason=0', async () => {
    const { origin } = await start();
    const response = await client(origin).get('/owa/?path=/mail');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${origin}/owa/?path=/mail`)}&reason=0`);
    expect(response.headers.get('x-owa-version')).toMatch(/^15\./);
  });

  it('serves a logon page whose form posts every field auth.owa reads, with its script in an external file', async () => {
    const { origin } = await start();
    const html = await (await fetch(`${origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${origin}/owa/`)}&reason=0`)).text();
    const form = readForm(html);
    expect(form.action).toBe('/owa/auth.owa');
    expect(form.method).toBe('POST');
    expect(Object.fromEntries(form.inputs)).toEqual({
      destination: 'hidden',
      flags: 'hidden',
      forcedownlevel: 'hidden',
      isUtf8: 'hidden',
      username: 'text',
      password: 'password',
      passwordText: 'text',
      trusted: 'radio',
    });
    expect(form.fields.get('destination')).toBe(`${origin}/owa/`);
    const script = /<script src="([^"]+)"><\/script>/.exec(html)?.[1];
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>/);
    const js = await fetch(`${origin}${script}`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('flags.value = String(prvt && prvt.checked ? value | 4 : value & ~4)');
  });

  it.each([
    ['reason=2', 'Try entering it again'],
    ['reason=3', 'timed out'],
    ['reason=1', 'signed out'],
  ])('explains %s on the logon page', async (reason, text) => {
    const { origin } = await start();
    const html = await (await fetch(`${origin}/owa/auth/logon.aspx?url=x&${reason}`)).text();
    expect(html).toContain(text);
  });

  it('signs in with the right password: 302 to destination and the cadata family of cookies', async () => {
    const { origin } = await start();
    const c = client(origin);
    const response = await signIn(c);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${origin}/owa/`);
    const setCookies = response.headers.getSetCookie();
    const byName = new Map(setCookies.map((line) => [line.split('=')[0], line]));
    for (const name of ['cadata', 'cadataKey', 'cadataIV', 'cadataSig', 'cadataTTL', 'UC']) {
      expect(byName.get(name), name).toMatch(/; HttpOnly/);
    }
    expect(byName.get('X-OWA-CANARY')).not.toMatch(/HttpOnly/);
    expect(byName.has('PrivateComputer')).toBe(false);
    expect(setCookies.some((line) => /secure/i.test(line))).toBe(false);
    expect(demo?.sessions()).toEqual([{ user: 'alice', private: false, issuedAt: clock, expiresAt: clock + 90 * SECOND }]);

    const mailbox = await c.get('/owa/');
    expect(mailbox.status).toBe(200);
    const html = await mailbox.text();
    for (const id of ['inboxList', 'composeBody', 'refreshButton', 'serviceStatus', 'expireButton', 'signOutButton']) {
      expect(html).toContain(`id="${id}"`);
    }
  });

  it('holds a logon POST unanswered until released (recorded at once; the session only made then)', async () => {
    const { origin } = await start();
    demo!.holdLogonPosts(1);
    let answered = false;
    const pending = signIn(client(origin)).then((response) => {
      answered = true;
      return response;
    });
    await vi.waitFor(() => expect(demo!.heldLogonPosts()).toBe(1));
    expect(demo!.logonPosts()).toHaveLength(1);
    // Only the next one is held: a second sign-in, started after the first POST was taken, is
    // answered in full (three round trips) while the first still waits, and makes its session.
    const second = await signIn(client(origin));
    expect(second.status).toBe(302);
    expect(demo!.logonPosts()).toHaveLength(2);
    expect(answered).toBe(false);
    expect(demo!.heldLogonPosts()).toBe(1);
    expect(demo!.sessions()).toHaveLength(1);
    demo!.releaseLogonPosts();
    const response = await pending;
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie().some((line) => line.startsWith('cadata='))).toBe(true);
    expect(demo!.heldLogonPosts()).toBe(0);
    expect(demo!.sessions()).toHaveLength(2);
  });

  it('marks a private-computer session and gives it the private timeout', async () => {
    const { origin } = await start({ privateTimeoutSeconds: 600 });
    const c = client(origin);
    const response = await signIn(c, 'alice', 'Demo-Passw0rd', '4');
    expect(response.headers.getSetCookie()).toContain('PrivateComputer=true; path=/');
    expect(demo?.sessions()).toEqual([{ user: 'alice', private: true, issuedAt: clock, expiresAt: clock + 900 * SECOND }]);
  });

  it.each(['alice', 'CONTOSO\\alice', 'Alice@contoso.com'])('accepts the logon name %s for the account alice', async (username) => {
    const { origin } = await start();
    const response = await client(origin).post('/owa/auth.owa', logonBody({ username }));
    expect(response.headers.get('location')).toBe(`${origin}/owa/`);
    expect(demo?.sessions().map((s) => s.user)).toEqual(['alice']);
  });

  it('sends a wrong password back to the logon page with reason=2 and no cookie', async () => {
    const { origin } = await start();
    const response = await client(origin).post('/owa/auth.owa', logonBody({ password: 'wrong' }));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${origin}/owa/`)}&reason=2`);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(demo?.sessions()).toEqual([]);
  });

  it.each(['destination', 'flags', 'username', 'password'])('answers 400 when the field %s is missing', async (field) => {
    const { origin } = await start();
    const body = logonBody({});
    body.delete(field);
    expect((await client(origin).post('/owa/auth.owa', body)).status).toBe(400);
  });

  it('answers 400 when destination points at another host', async () => {
    const { origin } = await start();
    const response = await client(origin).post('/owa/auth.owa', logonBody({ destination: 'https://evil.example/owa/' }));
    expect(response.status).toBe(400);
    expect(demo?.sessions()).toEqual([]);
  });

  it('records every request, so a test can see where the password went', async () => {
    const { origin } = await start();
    await signIn(client(origin));
    expect(demo?.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['GET /owa/', 'GET /owa/auth/logon.aspx', 'POST /owa/auth.owa']);
    const posts = demo?.logonPosts() ?? [];
    expect(posts).toHaveLength(1);
    expect(new URLSearchParams(posts[0]?.body).get('password')).toBe('Demo-Passw0rd');
    expect(posts[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('changes a password with setPassword', async () => {
    const { origin } = await start();
    demo?.setPassword('alice', 'n3w-password');
    expect((await client(origin).post('/owa/auth.owa', logonBody({}))).headers.get('location')).toContain('reason=2');
    expect((await client(origin).post('/owa/auth.owa', logonBody({ password: 'n3w-password' }))).headers.get('location')).toBe(`${origin}/owa/`);
  });
});

describe('demo Exchange 2010+: Origin check', () => {
  it('refuses a logon POST from another origin with 400 when checkOrigin is on', async () => {
    const { origin } = await start({ checkOrigin: true });
    expect((await client(origin).post('/owa/auth.owa', logonBody({}), { origin: 'http://evil.example' })).status).toBe(400);
    expect((await client(origin).post('/owa/auth.owa', logonBody({}), { origin: 'null' })).status).toBe(400);
    expect((await client(origin).post('/owa/auth.owa', logonBody({}), { origin })).status).toBe(302);
    expect((await client(origin).post('/owa/auth.owa', logonBody({}))).status).toBe(302);
  });

  it('accepts a POST from another origin when checkOrigin is off', async () => {
    const { origin } = await start();
    expect((await client(origin).post('/owa/auth.owa', logonBody({}), { origin: 'http://evil.example' })).status).toBe(302);
  });
});

describe('demo Exchange 2010+: the sliding rule', () => {
  // Public T = 60 s: the cookie lives 90 s and is re-issued by user activity after 30 s.
  it('does not renew before T/2, renews on activity after it, never on ping.owa or X-UserActivity: 0', async () => {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    const issued = clock;

    clock = issued + 29 * SECOND;
    expect((await service(c)).headers.getSetCookie()).toEqual([]);
    expect(demo?.sessions()[0]?.expiresAt).toBe(issued + 90 * SECOND);

    clock = issued + 40 * SECOND;
    expect((await c.post('/owa/ping.owa', '', { 'x-owa-canary': c.jar.cookies.get('X-OWA-CANARY') ?? '' })).status).toBe(200);
    expect((await service(c, 'GetFolder', { 'x-useractivity': '0' })).status).toBe(200);
    expect(demo?.sessions()[0]?.expiresAt).toBe(issued + 90 * SECOND);

    clock = issued + 41 * SECOND;
    const ttl = c.jar.cookies.get('cadataTTL');
    const renewed = await service(c);
    expect(renewed.status).toBe(200);
    expect(renewed.headers.getSetCookie().map((line) => line.split('=')[0])).toEqual(['cadataTTL']);
    expect(c.jar.cookies.get('cadataTTL')).not.toBe(ttl);
    expect(demo?.sessions()).toEqual([{ user: 'alice', private: false, issuedAt: issued + 41 * SECOND, expiresAt: issued + 131 * SECOND }]);
  });

  it('lets an idle session expire 1.5 T after issue even while pings go on', async () => {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    const issued = clock;
    const canary = c.jar.cookies.get('X-OWA-CANARY') ?? '';
    clock = issued + 89 * SECOND;
    expect((await c.post('/owa/ping.owa', '', { 'x-owa-canary': canary })).status).toBe(200);
    clock = issued + 90 * SECOND;
    expect((await c.post('/owa/ping.owa', '', { 'x-owa-canary': canary })).status).toBe(440);
  });

  it('expires between T and 1.5 T after the last activity', async () => {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    const issued = clock;
    clock = issued + 20 * SECOND; // activity before T/2: no renewal
    await service(c);
    clock = issued + 20 * SECOND + 60 * SECOND; // T after the last activity: still alive
    expect((await service(c, 'GetFolder', { 'x-useractivity': '0' })).status).toBe(200);
    clock = issued + 90 * SECOND; // 70 s = between T and 1.5 T after it: gone
    expect((await service(c, 'GetFolder', { 'x-useractivity': '0' })).status).toBe(440);
  });
});

describe('demo Exchange 2010+: after expiry', () => {
  async function expiredClient(): Promise<Client> {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    demo?.expireSessions();
    expect(demo?.sessions()).toEqual([]);
    return c;
  }

  it('answers a script with 440 Login Timeout, Connection: close, and clears the auth cookies', async () => {
    const c = await expiredClient();
    const response = await service(c);
    expect(response.status).toBe(440);
    expect(response.statusText).toBe('Login Timeout');
    expect(response.headers.get('connection')).toBe('close');
    const cleared = response.headers.getSetCookie();
    for (const name of ['cadata', 'cadataKey', 'cadataIV', 'cadataSig', 'cadataTTL', 'X-OWA-CANARY']) {
      expect(cleared).toContain(`${name}=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/`);
    }
    expect(c.jar.cookies.has('cadata')).toBe(false);
  });

  it('answers a GET that carries X-Requested-With or an X-OWA header with 440 too', async () => {
    const c = await expiredClient();
    const snapshot = new Map(c.jar.cookies);
    expect((await c.get('/owa/', { 'x-requested-with': 'XMLHttpRequest' })).status).toBe(440);
    for (const [name, value] of snapshot) c.jar.cookies.set(name, value);
    expect((await c.get('/owa/', { 'x-owa-canary': 'x' })).status).toBe(440);
  });

  it('sends a plain GET to the logon page with reason=3', async () => {
    const c = await expiredClient();
    const response = await c.get('/owa/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${demo?.origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${demo?.origin}/owa/`)}&reason=3`);
    expect(c.jar.cookies.has('cadata')).toBe(false);
  });

  it('writes the status line exactly as IIS does', async () => {
    const c = await expiredClient();
    const { hostname: host, port } = new URL(demo?.origin ?? '');
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), host, () => {
        socket.write(`POST /owa/service.svc?action=GetFolder HTTP/1.1\r\nHost: ${host}:${port}\r\nCookie: ${c.jar.header()}\r\nContent-Length: 0\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text)); // Connection: close ends the socket
      socket.on('error', reject);
    });
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 440 Login Timeout');
  });

  it('signs out with logoff.owa: cookies cleared, session gone, reason=1', async () => {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    const response = await c.get('/owa/logoff.owa');
    expect(response.headers.get('location')).toBe(`${origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${origin}/owa/`)}&reason=1`);
    expect(c.jar.cookies.size).toBe(0);
    expect(demo?.sessions()).toEqual([]);
  });
});

describe('demo Exchange 2010+: service.svc', () => {
  it('answers GetFolder with the inbox and refuses a call without the canary with 449', async () => {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    const ok = await service(c);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { Body: { ResponseMessages: { Items: Array<{ ResponseClass: string; Folders: Array<{ DisplayName: string }> }> } } };
    expect(body.Body.ResponseMessages.Items[0]?.ResponseClass).toBe('Success');
    expect(body.Body.ResponseMessages.Items[0]?.Folders[0]?.DisplayName).toBe('Inbox');
    expect((await service(c, 'GetFolder', { 'x-owa-canary': 'forged' })).status).toBe(449);
  });
});
