// Adversarial end-to-end tests in Debian's Chromium: a hostile server (the demo Exchange
// answering the logon POST with a redirect to another host) and a hostile page on another site
// (127.0.0.2, a different site from the demo on 127.0.0.1). Each case failed with the code
// before these holes were closed; the README's security section says which promise each checks.
// Uses the test build with 127.0.0.1 pre-granted, like the other session tests.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { startHostileSite, type HostileSite } from '../demo/hostile-site';
import type { TimelineEvent } from '../../src/messages/protocol';
import { launchWithExtension, TEST_LOOPBACK_DIR, type ExtensionBrowser } from './harness/chromium';
import { clearCookies, Control, waitFor } from './helpers/owa-extension';
import { grantHostLikeAUser } from './helpers/grant';
import { extensionPosts, FLAVOURS, refresh, signInByHand, stopPolling } from './helpers/owa-pages';

const PASSWORD = 'Adversarial-Passw0rd-e2e';
const flavour = FLAVOURS.find((f) => f.generation === '2010')!;

let ext: ExtensionBrowser;
let control: Control;
let hostile: HostileSite;
const demos: DemoExchange[] = [];

beforeAll(async () => {
  ext = await launchWithExtension({ extensionDir: TEST_LOOPBACK_DIR });
  control = await Control.open(ext);
  hostile = await startHostileSite('127.0.0.2');
});

afterAll(async () => {
  await ext?.close();
  await hostile?.close();
  await Promise.all(demos.map((d) => d.close()));
});

afterEach(async () => {
  const reply = await control.send({ type: 'ui-bg-get-sessions' });
  if (reply.type === 'bg-ui-sessions') for (const s of reply.sessions) await control.ok({ type: 'ui-bg-unwatch-origin', origin: s.origin });
  for (const page of await ext.browser.pages()) if (page !== control.page) await page.close();
  await clearCookies(ext.browser);
  hostile.requests.length = 0;
});

/** A demo Exchange 2010+, watched with automatic sign-in on, and the user signed in by hand. */
async function signedInDemo(): Promise<{ demo: DemoExchange; tab: Page }> {
  const demo = await startDemoExchange({ generation: '2010', users: { alice: PASSWORD }, checkOrigin: true });
  demos.push(demo);
  await control.ok({ type: 'ui-bg-watch-origin', origin: demo.origin });
  await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { autoRelogin: true } });
  await control.ok({ type: 'ui-bg-set-credentials', origin: demo.origin, username: 'alice', password: PASSWORD, remember: false });
  const tab = await signInByHand(ext.browser, demo, flavour, PASSWORD);
  await stopPolling(tab);
  await control.waitForStatus(demo.origin, 'signed-in');
  return { demo, tab };
}

async function timeline(origin: string): Promise<TimelineEvent[]> {
  const reply = await control.send({ type: 'ui-bg-get-timeline', origin });
  return reply.type === 'bg-ui-timeline' ? reply.events : [];
}

/** Opens a page of the hostile site that runs `script` (the attack) as it loads. */
async function attack(name: string, body: string): Promise<Page> {
  const url = hostile.page(`/${name}.html`, `<!doctype html><title>${name}</title><body>${body}</body>`);
  const page = await ext.browser.newPage();
  await page.goto(url);
  return page;
}

/**
 * The worker handles each browser event a moment after it: a negative check ("no sign-in
 * started") waits this long after the attack reached the server. The positive control in each
 * test shows the same kind of event is acted on well within it.
 */
const SETTLE_MS = 2_000;
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

describe('a hostile server: the logon POST answered with a redirect to another host', () => {
  it.each([307, 308] as const)('HTTP %i to plain HTTP on another host: the password never reaches it; one attempt, shown, never retried', async (status) => {
    const { demo, tab } = await signedInDemo();
    demo.redirectLogonPosts({ status, location: `${hostile.origin}/collect?from=owa` });
    demo.expireSessions();
    await refresh(tab);
    const failed = await control.waitForStatus(demo.origin, 'sign-in-failed');
    expect(failed.failure).toBe('unsafe-redirect');
    expect(failed.lastSignIn).toMatchObject({ outcome: 'unsafe-redirect' });
    expect(failed.lastSignIn?.detail).toContain(`HTTP ${status} to ${hostile.origin}/collect`);
    // Nothing at all reached the other host: not the form, not a GET.
    expect(hostile.requests).toEqual([]);
    expect(extensionPosts(demo)).toBe(1);
    // More timeouts from the page: nothing is tried again.
    const calls = () => demo.requests.filter((r) => r.url.startsWith('/owa/service.svc')).length;
    const before = calls();
    await refresh(tab);
    await refresh(tab);
    await waitFor(() => calls() >= before + 2, 'the next two requests (answered 440)');
    await settle();
    expect(extensionPosts(demo)).toBe(1);
    expect(await control.session(demo.origin)).toMatchObject({ status: 'sign-in-failed', failure: 'unsafe-redirect' });
    expect(hostile.requests).toEqual([]);
  });
});

describe('a hostile page on another site', () => {
  it('navigating a tab to the logon page with reason=3 starts no sign-in (signed in, and after a sign-out by hand); the same from OWA itself does', async () => {
    const { demo, tab } = await signedInDemo();
    const logon = `${demo.origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${demo.origin}/owa/`)}&reason=3`;
    const arrived = () => demo.requests.filter((r) => r.url.startsWith('/owa/auth/logon.aspx') && (r.headers.referer ?? '').startsWith(hostile.origin)).length;
    await attack('navigate', `<script>location.href = ${JSON.stringify(logon)};</script>`);
    await waitFor(() => arrived() === 1, 'the hostile navigation to reach the server');
    await settle();
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-in');

    // After a sign-out by hand: the same navigation, again nothing.
    await tab.bringToFront();
    await Promise.all([tab.waitForNavigation(), tab.click('#signOutButton')]);
    await control.waitForStatus(demo.origin, 'signed-out');
    await attack('navigate-again', `<script>location.href = ${JSON.stringify(logon)};</script>`);
    await waitFor(() => arrived() === 2, 'the second hostile navigation to reach the server');
    await settle();
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-out');

    // Control: signed in again by hand, OWA's own page going to the same URL is a timeout.
    const again = await signInByHand(ext.browser, demo, flavour, PASSWORD);
    await control.waitForStatus(demo.origin, 'signed-in');
    await again.evaluate((url) => {
      location.href = url;
    }, logon);
    await waitFor(() => extensionPosts(demo) === 1, 'the sign-in after an OWA-initiated reason=3', SETTLE_MS);
  });

  it('a cross-site request that OWA answers 440 (its SameSite cookies are not sent) starts no sign-in; the page\'s own 440 does', async () => {
    // Chromium shows an extension another site's requests only where it may access that site
    // too: the user who also watches (or inspects) the other site, as here.
    await grantHostLikeAUser(ext, `${new URL(hostile.origin).protocol}//${new URL(hostile.origin).hostname}/*`);
    const { demo, tab } = await signedInDemo();
    await attack('no-cors', `<script>fetch(${JSON.stringify(`${demo.origin}/owa/service.svc?action=GetFolder`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x' });</script>`);
    const hits = () => demo.requests.filter((r) => r.url.startsWith('/owa/service.svc') && r.headers.origin === hostile.origin);
    await waitFor(() => hits().length === 1, 'the cross-site request to reach the server');
    expect(hits()[0]!.headers.cookie ?? '').not.toContain('cadata');
    await settle();
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-in');
    // Not even counted as a timeout (a sign-in would start, and find the session open).
    expect((await timeline(demo.origin)).map((e) => e.kind)).not.toContain('440');
    expect((await timeline(demo.origin)).map((e) => e.kind)).not.toContain('sign-in-started');
    // Control: the session really ends; OWA's own page gets the 440 and one sign-in follows.
    demo.expireSessions();
    await refresh(tab);
    await waitFor(() => extensionPosts(demo) === 1, 'the sign-in after the page\'s own 440', SETTLE_MS);
  });

  it.each([
    ['AD FS', '/adfs/ls/?wa=wsignin1.0'],
    ['TMG', '/CookieAuth.dll?GetLogon?curl=Z2Fowa'],
  ])('a cross-site frame of %s on the OWA host does not turn automatic sign-in off', async (_name, path) => {
    const { demo } = await signedInDemo();
    await attack('frame', `<iframe src="${demo.origin}${path}"></iframe>`);
    await waitFor(() => demo.requests.some((r) => r.url === path), 'the framed request to reach the server');
    await settle();
    const view = await control.session(demo.origin);
    expect(view.status).toBe('signed-in');
    expect(view.formsUnavailable).toBeNull();
  });
});
