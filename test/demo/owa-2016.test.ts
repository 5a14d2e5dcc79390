// The demo Exchange's "2016" generation: what Exchange 2013 SP1+ does beyond the "2010" one.
import { afterEach, describe, expect, it } from 'vitest';
import { isFormReadError, readLogonForm } from '../../src/owa/logon-form';
import { client, type Client } from '../integration/helpers/http-client';
import { startDemoExchange, type DemoExchange, type DemoExchangeOptions } from './index';

const SECOND = 1000;
const T = 180 * SECOND; // the demo's private time-out
let clock = 0;
let demo: DemoExchange | undefined;

async function start(options: Partial<DemoExchangeOptions> = {}): Promise<DemoExchange> {
  clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  demo = await startDemoExchange({ generation: '2016', now: () => clock, ...options });
  return demo;
}
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

/** Reads the logon page with the extension's own form reader. */
async function logonForm(c: Client) {
  const first = await c.get('/owa/');
  const pageUrl = first.headers.get('location') ?? '';
  const form = readLogonForm(await (await c.get(pageUrl)).text(), pageUrl);
  if (isFormReadError(form)) throw new Error(`logon form not read: ${form.error}`);
  return form;
}

/** Posts the page's form as a browser does: every field as the page has it, plus the credentials. */
async function signIn(c: Client, override: Record<string, string> = {}): Promise<Response> {
  const form = await logonForm(c);
  const body = new URLSearchParams(form.fields.map((f) => [f.name, f.value]));
  body.set('username', 'CONTOSO\\alice');
  body.set('password', 'Demo-Passw0rd');
  for (const [name, value] of Object.entries(override)) body.set(name, value);
  return c.post(new URL(form.action).pathname, body);
}

const service = (c: Client, headers: Record<string, string> = {}, query = '') =>
  c.post(`/owa/service.svc?action=GetFolder${query}`, '{}', {
    'content-type': 'application/json; charset=utf-8',
    'x-owa-canary': c.jar.cookies.get('X-OWA-CANARY') ?? '',
    'x-requested-with': 'XMLHttpRequest',
    ...headers,
  });

const setCookieNames = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split('=')[0])
    .sort();
const CADATA = ['cadata', 'cadataIV', 'cadataKey', 'cadataSig', 'cadataTTL'];

describe('demo Exchange 2016: the default 2013 SP1+ logon page', () => {
  it('has no public/private choice and a hidden flags=4, as the extension reads it', async () => {
    const { origin } = await start();
    const form = await logonForm(client(origin));
    expect(form.action).toBe(`${origin}/owa/auth.owa`);
    expect(form.generation).toBe('2010+');
    expect(form.fields.map((f) => [f.name, f.type, f.value])).toEqual([
      ['destination', 'hidden', `${origin}/owa/`],
      ['flags', 'hidden', '4'],
      ['forcedownlevel', 'hidden', '0'],
      ['username', 'text', ''],
      ['password', 'password', ''],
      ['passwordText', 'text', ''],
      ['isUtf8', 'hidden', '1'],
    ]);
    expect(form.fields.some((f) => f.name === 'trusted' || f.type === 'radio')).toBe(false);
  });

  it("says what its time-outs are, against the extension's defaults", async () => {
    const { origin } = await start({ publicTimeoutSeconds: 60, privateTimeoutSeconds: 180 });
    const html = await (await fetch(`${origin}/owa/auth/logon.aspx?url=x&reason=0`)).text();
    expect(html).toContain('Idle time-out on this demo: public 1 min, private 3 min.');
    expect(html).toContain('set this site&#39;s time-outs in its options');
  });

  it('posted as it is, gives a private session: 302 to destination with the five cadata cookies', async () => {
    const { origin } = await start();
    const c = client(origin);
    const response = await signIn(c);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${origin}/owa/`);
    expect(setCookieNames(response)).toEqual(['PrivateComputer', 'UC', 'X-OWA-CANARY', ...CADATA].sort());
    expect(demo?.sessions()).toMatchObject([{ user: 'alice', private: true, expiresAt: clock + 1.5 * T }]);
    expect(new URLSearchParams(demo?.logonPosts()[0]?.body).get('flags')).toBe('4');
  });

  it('posted with flags=0 instead (what a client that ignores the page does), gives a public session', async () => {
    const { origin } = await start();
    await signIn(client(origin), { flags: '0' });
    expect(demo?.sessions()).toMatchObject([{ private: false }]);
  });
});

describe('demo Exchange 2016: what renews a session (cadataTTL)', () => {
  it('renews only on user activity, and only once T/2 has passed since the last renewal', async () => {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    const issued = clock;
    const expiry = () => demo?.sessions()[0]?.expiresAt;

    // Before T/2, even user activity renews nothing.
    clock = issued + T / 2 - SECOND;
    const early = await service(c, { 'x-useractivity': '1' });
    expect(early.status).toBe(200);
    expect(early.headers.getSetCookie()).toEqual([]);
    expect(expiry()).toBe(issued + 1.5 * T);

    // After T/2, none of these count as the user doing something.
    clock = issued + T / 2 + SECOND;
    const background = [
      await service(c, { 'x-useractivity': '0' }),
      await service(c, {}, '&UA=0'),
      await c.post('/owa/ping.owa', '', { 'x-requested-with': 'XMLHttpRequest' }),
      await c.post('/owa/keepalive.owa', '', { 'x-requested-with': 'XMLHttpRequest' }),
      await c.get('/owa/ev.owa2?ns=Notify&ev=Other&UA=0'),
      await c.get('/owa/15.1.2507/resources/mailbox.css'),
      await c.get('/owa/scripts/boot.js'),
    ];
    for (const response of background) expect(response.headers.getSetCookie(), response.url).toEqual([]);
    expect(background.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(expiry()).toBe(issued + 1.5 * T);

    // The user clicks: the session is renewed and the whole cadata set is sent again.
    const click = await service(c, { 'x-useractivity': '1' });
    expect(setCookieNames(click)).toEqual(CADATA);
    expect(expiry()).toBe(clock + 1.5 * T);
    // Right after a renewal, activity does not renew again.
    clock += T / 4;
    expect((await service(c)).headers.getSetCookie()).toEqual([]);
  });

  it('a session kept busy only by UA=0 polling ends 1.5 T after sign-in: the poll is then sent to the logon page', async () => {
    const { origin } = await start({ notificationHoldMs: 10 });
    const c = client(origin);
    await signIn(c);
    for (let t = 0; t < 1.5 * T; t += 20 * SECOND) {
      clock = Date.UTC(2025, 0, 6, 9, 0, 0) + t;
      const poll = await c.get('/owa/ev.owa2?ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=A');
      expect(poll.status).toBe(200);
      await poll.text();
    }
    clock = Date.UTC(2025, 0, 6, 9, 0, 0) + 1.5 * T;
    const ended = await c.get('/owa/ev.owa2?ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=A');
    expect(ended.status).toBe(302);
    expect(ended.headers.get('location')).toContain('/owa/auth/logon.aspx?url=');
    expect(ended.headers.get('location')).toMatch(/&reason=3$/);
    expect(c.jar.cookies.has('cadata')).toBe(false);
  });
});

describe('demo Exchange 2016: time-outs, sign-out, several tabs', () => {
  it('answers a script after expiry with 440, clearing the cadata cookies and the routing cookies it carried', async () => {
    const { origin } = await start();
    const c = client(origin);
    await signIn(c);
    c.jar.cookies.set('X-DFPOWA-Vdir', 'OWA');
    c.jar.cookies.set('ExchClientVer', '15.1');
    demo?.expireSessions();
    const response = await service(c);
    expect(response.status).toBe(440);
    expect(response.statusText).toBe('Login Timeout');
    expect(response.headers.get('x-owa-version')).toMatch(/^15\.1\./);
    expect(response.headers.get('connection')).toBe('close');
    const cleared = response.headers.getSetCookie();
    expect(cleared.every((line) => /=; expires=Thu, 01-Jan-1970/.test(line))).toBe(true);
    expect(setCookieNames(response)).toEqual(expect.arrayContaining([...CADATA, 'X-DFPOWA-Vdir', 'ExchClientVer']));
    expect(setCookieNames(response)).not.toContain('TargetServer');
    expect([...c.jar.cookies.keys()].filter((name) => name.startsWith('cadata'))).toEqual([]);
  });

  it('logoff.owa ends the session on the server; another tab still holding the cookies gets 440', async () => {
    const { origin } = await start();
    const tab1 = client(origin);
    await signIn(tab1);
    const tab2 = client(origin);
    for (const [name, value] of tab1.jar.cookies) tab2.jar.cookies.set(name, value);

    const off = await tab1.get('/owa/logoff.owa');
    expect(off.status).toBe(302);
    expect(off.headers.get('location')).toMatch(/\/owa\/auth\/logon\.aspx\?url=.*&reason=1$/);
    expect(setCookieNames(off)).toEqual(expect.arrayContaining(CADATA));
    expect(demo?.sessions()).toEqual([]);
    expect((await service(tab2)).status).toBe(440);
  });

  it('holds one notification long-poll per tab while the tabs go on calling service.svc', async () => {
    const { origin } = await start({ notificationHoldMs: 600 });
    const tab1 = client(origin);
    await signIn(tab1);
    const tabs = [tab1, client(origin), client(origin)];
    for (const tab of tabs.slice(1)) for (const [name, value] of tab1.jar.cookies) tab.jar.cookies.set(name, value);

    const started = Date.now();
    const polls = tabs.map((tab, i) =>
      tab.get(`/owa/ev.owa2?ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=TAB${i}`).then(async (r) => ({ status: r.status, body: await r.text(), ms: Date.now() - started })),
    );
    // While all three are held, every tab's service call is answered.
    const calls = await Promise.all(tabs.map((tab) => service(tab, { 'x-useractivity': '0' })));
    expect(calls.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(Date.now() - started).toBeLessThan(600);
    const answered = await Promise.all(polls);
    for (const poll of answered) {
      expect(poll.status).toBe(200);
      expect(poll.body).toContain('pending notifications for alice');
      expect(poll.ms).toBeGreaterThanOrEqual(550);
    }
  });

  it('leaves the "2010" generation as it was: a choice on the logon page, and UA=0 still renews there', async () => {
    const { origin } = await start({ generation: '2010' });
    const c = client(origin);
    const form = await logonForm(c);
    expect(form.fields.find((f) => f.name === 'flags')?.value).toBe('0');
    expect(form.fields.filter((f) => f.name === 'trusted').map((f) => f.value)).toEqual(['0', '4']);
    await signIn(c); // public: T = 60 s
    clock += 40 * SECOND;
    expect(setCookieNames(await service(c, {}, '&UA=0'))).toEqual(['cadataTTL']);
    expect((await c.get('/owa/ev.owa2?ns=PendingRequest&ev=PendingNotificationRequest&UA=0')).status).toBe(404);
  });
});
