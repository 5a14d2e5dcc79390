// The session watcher and automatic sign-in in Debian's Chromium against the demo Exchange,
// for both logon generations. The shipped build (dist/chrome, no host granted at install): each
// test's site is granted the way a user grants it (helpers/grant.ts) before it is watched, and
// unwatching gives the host back, so every watch needs its own grant.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { grantOriginLikeAUser, watchWithAutoSignIn } from './helpers/grant';
import { clearCookies, Control, currentWorker, privateStore, recordConsole, screenshotPath, waitFor } from './helpers/owa-extension';
import {
  expectChoiceByHandKept,
  expectPasswordsOnlyInLogonPosts,
  extensionPosts,
  FLAVOURS,
  mailboxWorks,
  mark,
  refresh,
  reloaded,
  signInByHand as signInWith,
  stopPolling,
  worksNow,
  type Flavour,
} from './helpers/owa-pages';

const PASSWORD = 'Demo-Passw0rd-e2e';
const NEW_PASSWORD = 'Changed-Passw0rd-e2e';
const PASSPHRASE = 'a long e2e passphrase';

let ext: ExtensionBrowser;
let control: Control;
let consoleLines: string[];
const demos: DemoExchange[] = [];
const passwordsUsed = new Set<string>();

beforeAll(async () => {
  ext = await launchWithExtension();
  consoleLines = recordConsole(ext.browser);
  control = await Control.open(ext);
});

afterAll(async () => {
  await ext?.close();
  await Promise.all(demos.map((d) => d.close()));
});

afterEach(async () => {
  // Leave nothing behind for the next test: unwatch, close tabs, empty the cookie jar.
  const reply = await control.send({ type: 'ui-bg-get-sessions' });
  if (reply.type === 'bg-ui-sessions') for (const s of reply.sessions) await control.ok({ type: 'ui-bg-unwatch-origin', origin: s.origin });
  for (const page of await ext.browser.pages()) if (page !== control.page) await page.close();
  await clearCookies(ext.browser);
});

async function startDemo(flavour: Flavour, extra: Partial<Parameters<typeof startDemoExchange>[0]> = {}): Promise<DemoExchange> {
  const demo = await startDemoExchange({ generation: flavour.generation, users: { alice: PASSWORD }, checkOrigin: flavour.checkOrigin, ...extra });
  demos.push(demo);
  passwordsUsed.add(PASSWORD);
  return demo;
}

/**
 * The session ends while the user is typing in `tab`: the next request's 440 is followed by one
 * automatic sign-in, and the tab, not reloaded, shows the banner instead.
 */
async function expireWhileTyping(demo: DemoExchange, tab: Page): Promise<void> {
  await mark(tab);
  demo.expireSessions();
  await tab.click('#refreshButton');
  await waitFor(() => tab.$('#owa-inspector-banner'), 'the in-page banner');
  await control.waitForStatus(demo.origin, 'signed-in');
  expect(await reloaded(tab)).toBe(false);
}

const watch = (demo: DemoExchange, options: { remember?: boolean } = {}): Promise<void> =>
  watchWithAutoSignIn(ext, control, demo.origin, 'CONTOSO\\alice', PASSWORD, options.remember ? { passphrase: PASSPHRASE } : {});

/** The user signs in by hand through the real logon form. */
const signInByHand = (demo: DemoExchange, flavour: Flavour, page?: Page): Promise<Page> => signInWith(ext.browser, demo, flavour, PASSWORD, page);

async function badgeText(): Promise<string> {
  return (await currentWorker(ext)).evaluate(() => chrome.action.getBadgeText({}));
}

function assertPasswordOnlyInLogonPosts(demo: DemoExchange, flavour: Flavour): void {
  expectPasswordsOnlyInLogonPosts(demo, flavour, passwordsUsed);
}

describe.each(FLAVOURS)('Exchange $generation forms logon', (flavour) => {
  it('watches the session: sign-in and cookies seen; on expiry a 440, one automatic sign-in, the tab works again', async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    const tab = await signInByHand(demo, flavour);
    const signedIn = await control.waitForStatus(demo.origin, 'signed-in');
    expect(signedIn.generation).toBe(flavour.expected);
    expect(signedIn.cookies).toEqual(expect.arrayContaining(flavour.generation === '2003' ? ['cadata', 'sessionid'] : ['cadata', 'x-owa-canary', 'uc']));
    expect(signedIn.expiry).not.toBeNull();
    // The window is T/2 wide, or a little narrower when the cookie was issued just before the last activity.
    const width = signedIn.expiry!.latest - signedIn.expiry!.earliest;
    expect(width).toBeLessThanOrEqual(signedIn.timeoutMinutes * 30_000);
    expect(width).toBeGreaterThan(signedIn.timeoutMinutes * 30_000 - 5_000);
    expect(demo.logonPosts()).toHaveLength(1);
    // The badge counts down to the earliest possible end (T = 15 min by default).
    await waitFor(async () => ['14', '15'].includes(await badgeText()), 'the badge to show 14 or 15 minutes');

    await mark(tab);
    demo.expireSessions();
    await tab.click('#refreshButton');
    await waitFor(() => reloaded(tab), 'the failed tab to be reloaded');
    await mailboxWorks(tab);
    const after = await control.waitForStatus(demo.origin, 'signed-in');
    expect(after.failure).toBeNull();
    expect(demo.logonPosts()).toHaveLength(2);
    expect(extensionPosts(demo)).toBe(1);
    const ours = demo.logonPosts()[1]!;
    // Origin and Referer are what the logon page itself would send (set by a DNR session rule).
    expect(ours.headers.origin).toBe(demo.origin);
    expect(ours.headers.referer).toContain(`${demo.origin}/`);
    const body = new URLSearchParams(ours.body);
    expect(body.get('username')).toBe('CONTOSO\\alice');
    expect(body.get('destination')).toContain(demo.origin);
    expect(demo.sessions()).toHaveLength(1);
    assertPasswordOnlyInLogonPosts(demo, flavour);
  });

  it('a wrong password: exactly one attempt and a clear failed state', async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    const tab = await signInByHand(demo, flavour);
    await control.waitForStatus(demo.origin, 'signed-in');
    demo.setPassword('alice', NEW_PASSWORD);
    passwordsUsed.add(NEW_PASSWORD);
    demo.expireSessions();
    await tab.click('#refreshButton');
    const failed = await control.waitForStatus(demo.origin, 'sign-in-failed');
    expect(failed.failure).toBe('rejected');
    // The badge follows the state a moment later (its own API calls).
    await waitFor(async () => (await badgeText()) === '!', 'the badge to show !');
    // More timeouts from the page: still no second attempt with the refused password. Each is
    // handled (its time is the session's last 440) before the count is checked.
    const before = Date.now();
    for (let i = 0; i < 3; i++) {
      expect(await tab.evaluate((path) => fetch(path, { method: 'POST' }).then((r) => r.status), flavour.entry)).toBe(440);
    }
    await waitFor(async () => ((await control.session(demo.origin)).last440 ?? 0) >= before, 'the worker to handle the later 440s');
    expect(demo.logonPosts()).toHaveLength(2);
    expect(extensionPosts(demo)).toBe(1);
    expect((await control.session(demo.origin)).status).toBe('sign-in-failed');
    assertPasswordOnlyInLogonPosts(demo, flavour);
  });

  it('ten tabs hitting 440 at once cause one sign-in, and all ten work again', async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    const first = await signInByHand(demo, flavour);
    const tabs = [first];
    for (let i = 1; i < 10; i++) {
      const tab = await ext.browser.newPage();
      await tab.goto(demo.origin + flavour.entry);
      await mailboxWorks(tab);
      tabs.push(tab);
    }
    await Promise.all(tabs.map(mark));
    demo.expireSessions();
    await Promise.all(tabs.map(refresh));
    await waitFor(async () => (await Promise.all(tabs.map(reloaded))).every(Boolean), 'all ten tabs to be reloaded', 30_000);
    await Promise.all(tabs.map(mailboxWorks));
    expect(extensionPosts(demo)).toBe(1);
    expect(demo.logonPosts()).toHaveLength(2);
    assertPasswordOnlyInLogonPosts(demo, flavour);
  });

  it('a 440 that comes in after the automatic sign-in (to a request sent before it) does not undo it: one sign-in, both tabs work', async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    const slow = await signInByHand(demo, flavour);
    const fast = await ext.browser.newPage();
    await fast.goto(demo.origin + flavour.entry);
    await mailboxWorks(fast);
    await Promise.all([stopPolling(slow), stopPolling(fast), mark(slow), mark(fast)]);
    demo.expireSessions();
    // The slow tab's request goes out with the old cookies; its 440, which clears them, is held.
    demo.holdLoginTimeouts(1);
    await refresh(slow);
    await waitFor(() => demo.heldLoginTimeouts() === 1, 'the slow 440 to be held');
    // The fast tab's 440 starts the automatic sign-in, which succeeds.
    await refresh(fast);
    await waitFor(() => reloaded(fast), 'the fast tab to be reloaded');
    await mailboxWorks(fast);
    expect(extensionPosts(demo)).toBe(1);
    // Now the late 440 arrives and clears the fresh cookies, as Exchange does.
    const cadata = async () => (await control.page.evaluate((url) => chrome.cookies.getAll({ url }), `${demo.origin}/`)).find((c) => c.name.toLowerCase() === 'cadata')?.value;
    const fresh = await cadata();
    expect(fresh).toBeTruthy();
    demo.releaseLoginTimeouts();
    await waitFor(() => reloaded(slow), 'the slow tab to be brought back');
    await Promise.all([worksNow(slow), worksNow(fast)]);
    // The late 440 did clear the jar (it was not a request the reload merely cancelled), and the extension put the cookies back.
    const events = await control.send({ type: 'ui-bg-get-timeline', origin: demo.origin });
    expect(events.type === 'bg-ui-timeline' && events.events.some((e) => e.kind === 'cookie-cleared' && e.detail?.key === 'bg_cookie_put_back')).toBe(true);
    // The fresh session, not a newer one, is in the jar, and the server answers it.
    expect(await cadata()).toBe(fresh);
    expect(demo.sessions()).toHaveLength(1);
    expect((await control.session(demo.origin)).status).toBe('signed-in');
    expect(extensionPosts(demo)).toBe(1);
    assertPasswordOnlyInLogonPosts(demo, flavour);
  });

  it('a service worker stopped in between keeps its state and signs in once', async () => {
    const demo = await startDemo(flavour);
    await watch(demo, { remember: true });
    const tab = await signInByHand(demo, flavour);
    const before = await control.waitForStatus(demo.origin, 'signed-in');
    const worker = await currentWorker(ext);
    await worker.close();
    await waitFor(async () => !ext.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(ext.extensionId)), 'the worker to stop');
    // The 440 itself wakes the worker (a webRequest listener registered at top level).
    await mark(tab);
    demo.expireSessions();
    await tab.click('#refreshButton');
    await waitFor(() => reloaded(tab), 'the tab to be reloaded by the restarted worker');
    await mailboxWorks(tab);
    const after = await control.waitForStatus(demo.origin, 'signed-in');
    expect(after).toMatchObject({ credentials: 'remembered', username: 'CONTOSO\\alice', generation: before.generation });
    expect(extensionPosts(demo)).toBe(1);
    assertPasswordOnlyInLogonPosts(demo, flavour);
  });

  it('the estimate follows the server timeout set for the site: expiring within the warning lead', async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    await signInByHand(demo, flavour);
    await control.waitForStatus(demo.origin, 'signed-in');
    // The demo's public timeout is 60 s: tell the extension, with a one-minute warning.
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { timeoutMinutes: 1, warnMinutes: 1 } });
    const view = await control.waitForStatus(demo.origin, 'expiring');
    expect(view.timeoutMinutes).toBe(1);
    expect(view.expiry!.latest - view.expiry!.earliest).toBeLessThanOrEqual(30_000);
    // Under a minute left, the badge counts seconds (not a "0" for the whole minute).
    await waitFor(async () => /^\d{1,2}s$/.test(await badgeText()), 'the badge to show the seconds left');
  });

  it("signing out by hand is not undone, not even by another tab's 440 after it", async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    const tab = await signInByHand(demo, flavour);
    const other = await ext.browser.newPage();
    await other.goto(demo.origin + flavour.entry);
    await mailboxWorks(other);
    await control.waitForStatus(demo.origin, 'signed-in');
    await tab.bringToFront();
    await Promise.all([tab.waitForNavigation(), tab.click('#signOutButton')]);
    await control.waitForStatus(demo.origin, 'signed-out');
    // The other tab still polls: its next request is answered 440, which the worker handles
    // (the session's last 440 moves) without signing in.
    const before = Date.now();
    await refresh(other);
    await waitFor(async () => ((await control.session(demo.origin)).last440 ?? 0) >= before, "the worker to handle the other tab's 440");
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-out');
  });

  it('a page with typing is not reloaded: the user is told instead and the draft stays', async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    const tab = await signInByHand(demo, flavour);
    await tab.click('#newMessageButton');
    await tab.type('#composeBody', 'half-written reply');
    await expireWhileTyping(demo, tab);
    expect(await tab.$eval('#composeBody', (el) => (el as HTMLTextAreaElement).value)).toBe('half-written reply');
    await tab.screenshot({ path: screenshotPath(`owa-banner-${flavour.generation}`) });
    expect(extensionPosts(demo)).toBe(1);
    // The session is back: the page's next request works without a reload.
    await tab.click('#refreshButton');
    await mailboxWorks(tab);
  });

  it('a draft typed in a same-origin compose frame (design mode, as OWA composes on some versions) is not lost to a reload', async () => {
    const demo = await startDemo(flavour);
    await watch(demo);
    const tab = await signInByHand(demo, flavour);
    await tab.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.id = 'composeFrame';
      document.body.append(frame);
      frame.contentDocument!.designMode = 'on';
    });
    const compose = await waitFor(() => tab.frames().find((f) => f !== tab.mainFrame() && f.url() === 'about:blank'), 'the compose frame');
    await compose.click('body');
    await compose.type('body', 'a reply typed in a frame');
    await expireWhileTyping(demo, tab);
    expect(await compose.$eval('body', (el) => (el as HTMLElement).innerText)).toContain('a reply typed in a frame');
    expect(extensionPosts(demo)).toBe(1);
  });
});

describe('public or private on a logon page that offers the choice (Exchange 2010)', () => {
  it("the automatic sign-in keeps the user's choice by hand, not the extension's setting", async () => {
    const flavour = FLAVOURS[0]!;
    const demo = await startDemo(flavour);
    await watch(demo);
    await expectChoiceByHandKept(ext.browser, control, demo, flavour, PASSWORD);
    assertPasswordOnlyInLogonPosts(demo, flavour);
  });
});

describe('where forms logon does not apply', () => {
  it.each(['adfs', 'tmg'] as const)('%s: says so and never posts a password', async (fbaMode) => {
    const demo = await startDemoExchange({ generation: '2010', users: { alice: PASSWORD }, fbaMode });
    demos.push(demo);
    await watch(demo);
    const tab = await ext.browser.newPage();
    await tab.goto(`${demo.origin}/owa/`);
    const view = await control.waitForStatus(demo.origin, 'forms-unavailable');
    expect(view.formsUnavailable).toBe(fbaMode);
    await tab.evaluate(() => fetch('/owa/service.svc?action=GetFolder', { method: 'POST' }).then((r) => r.status));
    // A marker the worker handles after that request: a logoff, which always makes a timeline
    // entry. Once it is there, and a settings change queued behind any sign-in decision has been
    // answered, a sign-in would have put its "sign-in-started" entry (written before its POST).
    await tab.evaluate(() => fetch('/owa/logoff.owa').then((r) => r.status));
    const kinds = async () => {
      const reply = await control.send({ type: 'ui-bg-get-timeline', origin: demo.origin });
      return reply.type === 'bg-ui-timeline' ? reply.events.map((e) => e.kind) : [];
    };
    await waitFor(async () => (await kinds()).includes('logoff'), 'the worker to handle the marker logoff');
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { autoRelogin: true } });
    expect(await kinds()).not.toContain('sign-in-started');
    expect(demo.requests.filter((r) => r.body.includes(PASSWORD))).toEqual([]);
    expect((await control.session(demo.origin)).status).toBe('forms-unavailable');
  });
});

describe('Origin checks', () => {
  it('the demo really refuses a worker POST with the extension Origin (what the DNR rule avoids)', async () => {
    const demo = await startDemo(FLAVOURS[0]!);
    // Without the host, the worker's fetch would fail on CORS before the server could refuse it.
    await grantOriginLikeAUser(ext, demo.origin);
    const worker = await currentWorker(ext);
    const status = await worker.evaluate(
      (origin) =>
        fetch(`${origin}/owa/auth.owa`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `destination=${encodeURIComponent(origin + '/owa/')}&flags=0&username=nobody&password=x`,
          redirect: 'manual',
        }).then((r) => r.status),
      demo.origin,
    );
    expect(status).toBe(400);
  });
});

/** Evaluates code inside the extension's isolated world on an OWA page (where the draft guard runs). */
async function contentScriptWorld(tab: Page): Promise<{ run: (expression: string) => Promise<string>; detach: () => Promise<void> }> {
  const cdp = await tab.createCDPSession();
  const contexts: Array<{ id: number; origin: string; name: string }> = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const world = await waitFor(async () => contexts.find((c) => c.origin === `chrome-extension://${ext.extensionId}` || c.name.includes('OWA Inspector')), 'the content script world');
  const run = async (expression: string) => (await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true })).result.value as string;
  return { run, detach: () => cdp.detach() };
}

/** Stops the service worker as Chrome does when idle; `wake` (default) starts it again with a message. */
async function stopWorker(options: { wake?: boolean } = {}): Promise<void> {
  await (await currentWorker(ext)).close();
  await waitFor(async () => !ext.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(ext.extensionId)), 'the worker to stop');
  if (options.wake ?? true) await waitFor(async () => (await control.send({ type: 'ui-bg-ping' })).type === 'bg-ui-pong', 'the worker to start again');
}

describe('secrets', () => {
  it('the content script on an OWA page can neither read storage.session nor use the page protocol', async () => {
    const demo = await startDemo(FLAVOURS[0]!);
    await watch(demo);
    const tab = await signInByHand(demo, FLAVOURS[0]!);
    const { run, detach } = await contentScriptWorld(tab);
    const storage = await run(`chrome.storage.session.get(null).then((v) => 'read:' + JSON.stringify(v), (e) => 'denied:' + e.message)`);
    expect(storage).toMatch(/^denied:/);
    expect(storage).not.toContain(PASSWORD);
    const reply = await run(`chrome.runtime.sendMessage({ type: 'ui-bg-get-sessions' }).then((r) => 'reply:' + JSON.stringify(r ?? null), (e) => 'error:' + e.message)`);
    expect(reply).not.toContain('bg-ui-sessions');
    expect(reply).not.toContain(PASSWORD);
    await detach();
  });

  it("settings, watched sites and the vault are out of a content script's reach; what it plants in storage.local is deleted unread", async () => {
    const demo = await startDemo(FLAVOURS[0]!);
    await watch(demo, { remember: true });
    const tab = await signInByHand(demo, FLAVOURS[0]!);
    const kept = await privateStore(control.page);
    expect(kept.vault).toMatchObject({ v: 1, iterations: 600_000 });
    expect(kept.watched).toEqual([demo.origin]);
    const { run, detach } = await contentScriptWorld(tab);
    const seen = await run(`chrome.storage.local.get(null).then((v) => JSON.stringify(v))`);
    for (const secretish of ['vault', 'watched', 'settings', demo.origin]) expect(seen).not.toContain(secretish);
    // A compromised renderer plants a vault that would hang every unlock and a site of its own.
    const planted = JSON.stringify({
      vault: { v: 1, kdf: 'PBKDF2-SHA256', iterations: 2 ** 31, salt: 'AAAA', iv: 'AAAA', data: 'AAAA' },
      watched: ['http://127.0.0.1:9'],
      settings: { 'http://127.0.0.1:9': { autoRelogin: true } },
    });
    expect(await run(`chrome.storage.local.set(${planted}).then(() => 'set', (e) => 'denied:' + e.message)`)).toBe('set');
    await detach();
    // The next start of the worker deletes it unread.
    await stopWorker();
    // storage.session (the unlocked key) survives a worker restart: still usable.
    expect((await control.session(demo.origin)).credentials).toBe('remembered');
    const reply = await control.send({ type: 'ui-bg-get-sessions' });
    expect(reply.type === 'bg-ui-sessions' && reply.sessions.map((s) => s.origin)).toEqual([demo.origin]);
    expect(await control.page.evaluate(() => chrome.storage.local.get(null))).toEqual({});
    expect((await privateStore(control.page)).vault).toEqual(kept.vault);
  });

  it("an earlier version's settings in storage.local are moved into IndexedDB at the first start, and removed there", async () => {
    const demo = await startDemo(FLAVOURS[0]!);
    // As the previous version left things: no IndexedDB store yet, everything in storage.local.
    await stopWorker({ wake: false });
    await control.page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const del = indexedDB.deleteDatabase('owa-inspector');
          del.onsuccess = () => resolve();
          del.onerror = () => reject(del.error);
          del.onblocked = () => reject(new Error('the database is still open somewhere'));
        }),
    );
    await control.page.evaluate((origin) => chrome.storage.local.set({ watched: [origin], settings: { [origin]: { autoRelogin: true, warnMinutes: 7 } } }), demo.origin);
    const view = await waitFor(async () => (await control.session(demo.origin).catch(() => null)) ?? null, 'the woken worker to show the moved site');
    expect(view.settings).toMatchObject({ autoRelogin: true, warnMinutes: 7 });
    expect(await control.page.evaluate(() => chrome.storage.local.get(null))).toEqual({});
    expect(await privateStore(control.page)).toMatchObject({ watched: [demo.origin], movedFromStorageLocal: true });
  });

  it('the password never appears in storage.local or IndexedDB in clear, nor in any console output', async () => {
    const worker = await currentWorker(ext);
    const local = JSON.stringify([await worker.evaluate(() => chrome.storage.local.get(null)), await privateStore(control.page)]);
    for (const password of passwordsUsed) expect(local).not.toContain(password);
    expect(local).not.toContain(PASSPHRASE);
    const all = consoleLines.join('\n');
    expect(consoleLines.length).toBeGreaterThan(0);
    for (const password of passwordsUsed) expect(all).not.toContain(password);
  });
});
