// The Firefox build (dist/firefox) in Debian's firefox-esr, driven over WebDriver BiDi: it
// installs, its background (an event page in Firefox) answers, its pages render, and the session
// watcher works against the demo Exchange: watched through the options page (the real
// permission request), a sign-in by hand seen, a 440 after expiry, and the automatic sign-in;
// a late 440 that would undo it; the event page stopped and woken; Provision from the popup;
// the panel in Firefox's DevTools (requests, decoded bodies, the session timeline); an Exchange
// 2013 SP1+ server over HTTPS on a host name (mail.contoso.test, a certificate made for the run).
// One browser for the whole file. See harness/firefox.ts for how Firefox is kept off the network.
import type { Page } from 'puppeteer-core';
import { PRODUCT_USER_AGENT } from '../../src/shared/version';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchangeOverHttps, type DemoExchange } from '../demo';
import type { FirefoxExtension } from './harness/firefox';
import { hostPermissionPattern } from '../../src/owa/origin';
import { encodeXml } from '../../src/wbxml';
import { readCapture } from '../../src/captures';
import type { CaptureBody } from '../../src/captures';
import { wbxml2xml } from '../integration/libwbxml';
import { SESSION_COOKIES } from '../../src/owa/detection';
import type { TimelineEvent } from '../../src/messages/protocol';
import { clickEnabled, screenshotPath, waitFor, type Control } from './helpers/owa-extension';
import { useFirefox, watchThroughOptions as watchThroughOptionsAs } from './helpers/firefox-session';
import { expectSignInAfter440, expectSignInByHand, SHOWN_EVENTS_SELECTOR, showsSignInAfter440, showsSignInByHand, type Shown } from './helpers/panel-timeline';
import {
  expectChoiceByHandKept,
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

const PASSWORD = 'Firefox-Passw0rd-e2e';

/** The host name the Exchange 2013 SP1+ demo is reached by, over HTTPS. */
const HTTPS_HOST = 'mail.contoso.test';
const firefox = useFirefox({ loopbackHosts: [HTTPS_HOST] });
let ff: FirefoxExtension;
let control: Control;
let controlPage: Page;

beforeAll(() => {
  ({ ff, control, controlPage } = firefox);
});

describe('the Firefox build in firefox-esr', () => {
  it('installs as a temporary add-on, at the pinned UUID, with an event page as background', async () => {
    const page = controlPage;
    expect(await page.evaluate(() => browser.runtime.getURL(''))).toBe(ff.baseUrl);
    const manifest = await page.evaluate(() => browser.runtime.getManifest());
    expect(manifest.manifest_version).toBe(3);
    // Firefox hands back its normalized manifest: absolute script URLs, absent keys as null.
    expect(manifest.background).toMatchObject({ scripts: [`${ff.baseUrl}background.js`], service_worker: null });
    expect(manifest.browser_specific_settings?.gecko?.id).toBe(ff.addonId);
    expect(await ff.backgroundRunning()).toBe(true);
    // No host permission at install: the watcher asks for each site.
    expect(await page.evaluate(() => browser.permissions.getAll())).toMatchObject({ origins: [] });
  });

  it('the background script answers a page over the message protocol', async () => {
    const page = await ff.openPage('popup.html');
    const reply = await page.evaluate(() => browser.runtime.sendMessage({ type: 'ui-bg-ping' }));
    expect(reply).toEqual({ type: 'bg-ui-pong', version: '0.1.0' });
    await page.close();
  });

  it('errors of extension pages and of the background page reach the test (so "no error" below means something)', async () => {
    const page = await ff.openPage('popup.html');
    const since = ff.output.length;
    await page.evaluate(async () => {
      console.error('deliberate console error');
      setTimeout(() => {
        throw new Error('deliberate page error');
      });
      const background = await browser.runtime.getBackgroundPage();
      (background as unknown as { console: Console } | null)?.console.error('deliberate background error');
    });
    const errors = await waitFor(async () => {
      const found = ff.errorsSince(since);
      return found.length >= 3 ? found : null;
    }, 'three errors to be reported');
    expect(errors.join('\n')).toMatch(/deliberate console error/);
    expect(errors.join('\n')).toMatch(/deliberate page error/);
    expect(errors.join('\n')).toMatch(/deliberate background error/);
    await page.close();
  });

  // When each page has done its late work (ports, first state push): the popup marks its first
  // render with the worker's data; the options page has both pushes (the sites, no longer
  // "Loading…", and the settings); the panel outside DevTools shows how to open a capture.
  const READY: Record<string, string[]> = {
    'popup.html': ['html[data-interactive-ms]'],
    'options.html': ['#sites :is(.empty, section.site)', '#credential-storage'],
    'panel.html': ['#open-capture', 'main.traffic .empty-detail'],
  };

  it.each(Object.keys(READY))('opens %s with no error', async (file) => {
    const since = ff.output.length;
    const page = await ff.openPage(file);
    for (const selector of READY[file]!) await page.waitForSelector(selector);
    // A line printed after that work: once it is in the output, so is any error printed before it.
    const mark = `ready-mark ${file} ${Date.now()}`;
    await page.evaluate((line) => console.info(line), mark);
    await waitFor(() => ff.output.slice(since).some((line) => line.includes(mark)), "the page's mark in Firefox's output");
    expect(ff.errorsSince(since)).toEqual([]);
    await page.close();
  });
});

/** The user signs in by hand through the real logon form. */
const signInByHand = (demo: DemoExchange, flavour: Flavour): Promise<Page> => signInWith(ff.browser, demo, flavour, PASSWORD);

async function badgeText(): Promise<string> {
  return controlPage.evaluate(() => browser.action.getBadgeText({}));
}

/** The OWA session cookies in Firefox's jar for the demo's host, by lower-case name. */
async function sessionCookies(demo: DemoExchange): Promise<Record<string, string>> {
  const host = new URL(demo.origin).hostname;
  const jar = await ff.browser.cookies();
  return Object.fromEntries(jar.filter((c) => c.domain === host && c.value !== '' && SESSION_COOKIES.has(c.name.toLowerCase())).map((c) => [c.name.toLowerCase(), c.value]));
}

async function timeline(demo: DemoExchange): Promise<TimelineEvent[]> {
  const reply = await control.send({ type: 'ui-bg-get-timeline', origin: demo.origin });
  if (reply.type !== 'bg-ui-timeline') throw new Error(JSON.stringify(reply));
  return reply.events;
}

/** Watch the site the way a user does: the options page, the address, the button (permission asked in the click). */
const watchThroughOptions = (demo: DemoExchange): Promise<void> => watchThroughOptionsAs(controlPage, control, demo.origin, PASSWORD);

/** Leaves nothing behind for the next test: unwatch (releases the host), close tabs, empty the cookie jar. */
const cleanUp = (): Promise<void> => firefox.cleanUp();

async function startDemo(flavour: Flavour): Promise<DemoExchange> {
  const demo = await firefox.startDemo({ generation: flavour.generation, users: { alice: PASSWORD }, checkOrigin: flavour.checkOrigin });
  return demo;
}

describe.each(FLAVOURS)('Exchange $generation forms logon in Firefox', (flavour) => {
  afterEach(cleanUp);

  it('watched through the options page: sign-in seen; on expiry a 440, one automatic sign-in, the tab works again', async () => {
    const demo = await startDemo(flavour);
    const since = ff.output.length;
    await watchThroughOptions(demo);
    const tab = await signInByHand(demo, flavour);
    const signedIn = await control.waitForStatus(demo.origin, 'signed-in');
    expect(signedIn.generation).toBe(flavour.expected);
    expect(signedIn.cookies).toEqual(expect.arrayContaining(flavour.cookies));
    expect(signedIn.expiry).not.toBeNull();
    expect(demo.logonPosts()).toHaveLength(1);
    await waitFor(async () => ['14', '15'].includes(await badgeText()), 'the badge to show 14 or 15 minutes');

    await mark(tab);
    demo.expireSessions();
    await tab.click('#refreshButton');
    await waitFor(() => reloaded(tab), 'the failed tab to be reloaded');
    await mailboxWorks(tab);
    const after = await control.waitForStatus(demo.origin, 'signed-in');
    expect(after.failure).toBeNull();
    expect(after.last440).not.toBeNull();
    expect(after.lastSignIn).not.toBeNull();
    expect(demo.logonPosts()).toHaveLength(2);
    expect(extensionPosts(demo)).toBe(1);
    const ours = demo.logonPosts()[1]!;
    // Origin and Referer are what the logon page itself would send (a DNR session rule sets them).
    expect(ours.headers.origin).toBe(demo.origin);
    expect(ours.headers.referer).toContain(`${demo.origin}/`);
    expect(new URLSearchParams(ours.body).get('username')).toBe('CONTOSO\\alice');
    expect(demo.sessions()).toHaveLength(1);
    // The password went to the logon POSTs only, and was never printed.
    for (const r of demo.requests) {
      if (!`${r.url} ${JSON.stringify(r.headers)} ${r.body}`.includes(encodeURIComponent(PASSWORD)) && !r.body.includes(PASSWORD)) continue;
      expect(`${r.method} ${r.url.split('?')[0]}`).toBe(`POST ${flavour.logonPost}`);
    }
    expect(ff.output.join('\n')).not.toContain(PASSWORD);
    expect(ff.errorsSince(since)).toEqual([]);
  });

  it('a 440 that comes in after the automatic sign-in (to a request sent before it) does not undo it: one sign-in, both tabs work', async () => {
    // In Firefox the late 440's clearing reaches cookies.onChanged as "explicit" removals before
    // webRequest reports the 440 itself: the put-back starts from a cookie event, not the 440.
    const demo = await startDemo(flavour);
    const since = ff.output.length;
    await watchThroughOptions(demo);
    const slow = await signInByHand(demo, flavour);
    const fast = await ff.browser.newPage();
    await fast.goto(demo.origin + flavour.entry);
    await mailboxWorks(fast);
    await control.waitForStatus(demo.origin, 'signed-in');
    const byHand = await sessionCookies(demo);
    await Promise.all([stopPolling(slow), stopPolling(fast), mark(slow), mark(fast)]);
    demo.expireSessions();
    // The slow tab's request goes out with the old cookies; its 440, which clears them, is held.
    demo.holdLoginTimeouts(1);
    await refresh(slow);
    await waitFor(() => demo.heldLoginTimeouts() === 1, "the slow tab's 440 to be held");
    // The fast tab's 440 starts the automatic sign-in, which succeeds.
    await refresh(fast);
    await waitFor(() => reloaded(fast), 'the fast tab to be reloaded');
    await mailboxWorks(fast);
    expect(extensionPosts(demo)).toBe(1);
    const fresh = await sessionCookies(demo);
    expect(Object.keys(fresh)).toEqual(expect.arrayContaining(flavour.cookies));
    for (const name of flavour.cookies) expect(fresh[name], name).not.toBe(byHand[name]);

    // Now the late 440 arrives and clears the fresh cookies, as Exchange does.
    demo.releaseLoginTimeouts();
    await waitFor(() => reloaded(slow), 'the slow tab to be brought back');
    await Promise.all([worksNow(slow), worksNow(fast)]);
    expect(extensionPosts(demo)).toBe(1);
    expect(demo.logonPosts()).toHaveLength(2);
    // The fresh session, not a newer one, is in the jar (the server answered it just now).
    expect(await sessionCookies(demo)).toEqual(fresh);
    expect(demo.sessions()).toHaveLength(1);
    expect((await control.session(demo.origin)).status).toBe('signed-in');
    // The late 440 did clear the jar (it was not a request the reload merely cancelled), and the extension put the cookies back.
    await waitFor(async () => (await timeline(demo)).some((e) => e.kind === 'cookie-cleared' && e.detail?.key === 'bg_cookie_put_back'), 'the timeline to show the late clearing put back');
    expect(ff.output.join('\n')).not.toContain(PASSWORD);
    expect(ff.errorsSince(since)).toEqual([]);
  });

  it('signing out by hand is not undone', async () => {
    const demo = await startDemo(flavour);
    await watchThroughOptions(demo);
    const tab = await signInByHand(demo, flavour);
    await control.waitForStatus(demo.origin, 'signed-in');
    await Promise.all([tab.waitForNavigation(), tab.click('#signOutButton')]);
    await control.waitForStatus(demo.origin, 'signed-out');
    // A later 440 from the same site (what would tempt a wrong sign-in): once the worker has
    // handled it (the session's last 440 moves) and answered a settings change queued behind
    // any sign-in it decided on, that sign-in would have been recorded before its POST.
    const before = Date.now();
    expect(await tab.evaluate((path) => fetch(path, { method: 'POST' }).then((r) => r.status), flavour.entry)).toBe(440);
    await waitFor(async () => ((await control.session(demo.origin)).last440 ?? 0) >= before, 'the worker to handle the 440 after the sign-out');
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { autoRelogin: true } });
    expect((await timeline(demo)).map((e) => e.kind)).not.toContain('sign-in-started');
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-out');
  });
});

// The rest of the watcher's browser-specific parts (content script, event page, failure state),
// once: they do not depend on the logon generation.
describe('more of the watcher in Firefox (Exchange 2010)', () => {
  const flavour = FLAVOURS[0]!;
  afterEach(cleanUp);

  it("the automatic sign-in keeps the user's public/private choice by hand, not the extension's setting", async () => {
    const demo = await startDemo(flavour);
    await watchThroughOptions(demo);
    await expectChoiceByHandKept(ff.browser, control, demo, flavour, PASSWORD);
  });

  it('a page with typing is not reloaded: the content script shows a banner and the draft stays', async () => {
    const demo = await startDemo(flavour);
    await watchThroughOptions(demo);
    const tab = await signInByHand(demo, flavour);
    await control.waitForStatus(demo.origin, 'signed-in');
    await tab.click('#newMessageButton');
    await tab.type('#composeBody', 'half-written reply');
    await mark(tab);
    demo.expireSessions();
    await tab.click('#refreshButton');
    await waitFor(() => tab.$('#owa-inspector-banner'), 'the in-page banner');
    await control.waitForStatus(demo.origin, 'signed-in');
    expect(await reloaded(tab)).toBe(false);
    expect(await tab.$eval('#composeBody', (el) => (el as HTMLTextAreaElement).value)).toBe('half-written reply');
    expect(extensionPosts(demo)).toBe(1);
    await tab.click('#refreshButton');
    await mailboxWorks(tab);
  });

  it('a wrong password: exactly one attempt and a clear failed state', async () => {
    const demo = await startDemo(flavour);
    await watchThroughOptions(demo);
    const tab = await signInByHand(demo, flavour);
    await control.waitForStatus(demo.origin, 'signed-in');
    demo.setPassword('alice', 'Changed-Passw0rd-e2e');
    demo.expireSessions();
    await tab.click('#refreshButton');
    const failed = await control.waitForStatus(demo.origin, 'sign-in-failed');
    expect(failed.failure).toBe('rejected');
    // The badge follows the state a moment later (its own API calls).
    await waitFor(async () => (await badgeText()) === '!', 'the badge to show !');
    // More timeouts from the page: each is handled (the last one's time becomes the session's
    // last 440) before the count is checked.
    let before = 0;
    for (let i = 0; i < 3; i++) {
      before = Date.now();
      expect(await tab.evaluate((path) => fetch(path, { method: 'POST' }).then((r) => r.status), flavour.entry)).toBe(440);
    }
    await waitFor(async () => ((await control.session(demo.origin)).last440 ?? 0) >= before, 'the worker to handle the later 440s');
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { autoRelogin: true } });
    expect(extensionPosts(demo)).toBe(1);
    expect((await control.session(demo.origin)).status).toBe('sign-in-failed');
  });

  it('an event page stopped in between is woken by the 440, keeps its state and signs in once', async () => {
    const demo = await startDemo(flavour);
    await watchThroughOptions(demo);
    const tab = await signInByHand(demo, flavour);
    const before = await control.waitForStatus(demo.origin, 'signed-in');
    // What Firefox's idle timeout does to an event page (the control page sends nothing meanwhile).
    await ff.terminateBackground();
    expect(await ff.backgroundRunning()).toBe(false);
    await mark(tab);
    demo.expireSessions();
    await tab.click('#refreshButton');
    await waitFor(() => reloaded(tab), 'the tab to be reloaded by the woken event page');
    await mailboxWorks(tab);
    expect(await ff.backgroundRunning()).toBe(true);
    const after = await control.waitForStatus(demo.origin, 'signed-in');
    expect(after).toMatchObject({ credentials: 'session', username: 'CONTOSO\\alice', generation: before.generation });
    expect(extensionPosts(demo)).toBe(1);
  });

  it('an open popup keeps its live view when the event page is stopped and woken again', async () => {
    const demo = await startDemo(flavour);
    await watchThroughOptions(demo);
    const popup = await ff.openPage('popup.html');
    const card = `article.card[data-origin="${demo.origin}"]`;
    const tab = await signInByHand(demo, flavour);
    await popup.waitForSelector(`${card}[data-status="signed-in"]`);
    // The mailbox polls every 5 s, and any request of a watched site wakes the event page: only
    // the popup may be what wakes it below.
    await stopPolling(tab);
    // A port of the test's own in the popup, opened after the popup's: it closes with them.
    await popup.evaluate(() => {
      const probe = browser.runtime.connect({ name: 'test-probe' });
      probe.onDisconnect.addListener(() => (document.documentElement.dataset.probeClosed = 'yes'));
    });
    // Firefox stops an idle event page after 30 s, open ports or not; the ports to pages close with it.
    await ff.terminateBackground();
    // The open popup does not wake it straight back up (that would restart it every 30 s). Its
    // chance to is its ports' onDisconnect: once the probe's has run in the popup, a connector
    // that connected again there has sent that to Firefox's parent process, on the channel that
    // then carries the answer to our question; a connect wakes a stopped event page at once
    // ("starting"), so the page must still be "stopped".
    await waitFor(() => popup.evaluate(() => document.documentElement.dataset.probeClosed === 'yes'), 'the popup to see its ports close');
    expect(await ff.backgroundState()).toBe('stopped');
    await mark(tab);
    demo.expireSessions();
    await tab.click('#refreshButton');
    await waitFor(() => reloaded(tab), 'the tab to be reloaded by the woken event page');
    // The popup, open all along, shows the 440 and the automatic sign-in that followed.
    await popup.waitForSelector(`${card} .last-sign-in[data-outcome="success"]`, { timeout: 10_000 });
    await popup.waitForSelector(`${card}[data-status="signed-in"]`);
    await popup.close();
  });
});

describe('an Exchange 2013 SP1+ server in Firefox (the demo in its 2016 mode), over HTTPS by name', () => {
  afterEach(cleanUp);

  it('its UA=0 notification long-poll is not activity; the automatic sign-in keeps hidden flags=4; a sign-out in another tab binds', async () => {
    const { demo } = await startDemoExchangeOverHttps({ generation: '2016', users: { alice: PASSWORD }, checkOrigin: true, notificationHoldMs: 300 }, HTTPS_HOST);
    firefox.closeAfterAll(demo);
    expect(demo.origin).toBe(`https://${HTTPS_HOST}:${new URL(demo.origin).port}`);
    await watchThroughOptions(demo);
    // The extension's own setting says public: the page's choice must win.
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { computer: 'public' } });
    const tab = await signInByHand(demo, FLAVOURS[0]!);
    await control.waitForStatus(demo.origin, 'signed-in');
    await mailboxWorks(tab);
    expect(demo.sessions()[0]?.private).toBe(true);
    // Once the mailbox page has loaded (its own requests after the sign-in are activity, and on
    // a loaded machine the worker may handle them after the status already says signed in),
    // four answered long-polls (GET ev.owa2?…&UA=0): the last activity does not move.
    const polls = () => demo.requests.filter((r) => r.url.startsWith('/owa/ev.owa2')).length;
    let before = polls();
    await waitFor(() => polls() >= before + 1, 'the first notification long-poll');
    const activity = (await control.session(demo.origin)).lastActivity;
    expect(activity).not.toBeNull();
    before = polls();
    await waitFor(() => polls() >= before + 4, 'four more notification long-polls');
    expect((await control.session(demo.origin)).lastActivity).toBe(activity);

    // The 440, and the automatic sign-in with the page's own flags.
    demo.expireSessions();
    await tab.click('#refreshButton');
    await waitFor(() => extensionPosts(demo) === 1, 'the automatic sign-in after the 440');
    const post = demo.logonPosts().at(-1)!;
    expect(new URLSearchParams(new TextDecoder().decode(post.bodyBytes)).get('flags')).toBe('4');
    await control.waitForStatus(demo.origin, 'signed-in');
    await mailboxWorks(tab);

    // Signed out in another tab (OWA answers with its logon page, reason=1): this tab's next
    // request is answered 440, and no sign-in follows.
    const other = await ff.browser.newPage();
    await other.goto(`${demo.origin}/owa/logoff.owa`);
    await control.waitForStatus(demo.origin, 'signed-out');
    const handled = Date.now();
    await tab.click('#refreshButton');
    await waitFor(async () => ((await control.session(demo.origin)).last440 ?? 0) >= handled, "the worker to handle the other tab's 440");
    expect(extensionPosts(demo)).toBe(1);
    expect((await control.session(demo.origin)).status).toBe('signed-out');
  });
});

describe('Origin checks in Firefox', () => {
  afterEach(cleanUp);

  it('the demo really refuses a background-page POST with the extension Origin (what the DNR rule avoids)', async () => {
    const demo = await startDemo(FLAVOURS[0]!);
    // The host permission, as for every watched site (without it the fetch fails on CORS).
    await watchThroughOptions(demo);
    const answer = await controlPage.evaluate(async (origin) => {
      const background = await browser.runtime.getBackgroundPage();
      if (!background) throw new Error('no background page');
      const response = await background.fetch(`${origin}/owa/auth.owa`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `destination=${encodeURIComponent(origin + '/owa/')}&flags=0&username=nobody&password=x`,
        redirect: 'manual',
      });
      return response.status;
    }, demo.origin);
    expect(answer).toBe(400);
    expect(demo.requests.at(-1)?.headers.origin).toMatch(/^moz-extension:\/\//);
  });
});

describe('the content script world in Firefox', () => {
  afterEach(cleanUp);

  it('on a watched OWA page it can neither read storage.session (the credentials) nor use the page protocol', async () => {
    const demo = await startDemo(FLAVOURS[0]!);
    await watchThroughOptions(demo);
    await signInByHand(demo, FLAVOURS[0]!);
    // Firefox has no storage.session.setAccessLevel: content scripts are kept out by default.
    const probe = await controlPage.evaluate(async (pattern) => {
      const [tab] = await browser.tabs.query({ url: pattern });
      if (tab?.id === undefined) throw new Error('no OWA tab');
      // Runs in the extension's isolated world on that page: the world the draft guard runs in.
      const [result] = await browser.scripting.executeScript({
        target: { tabId: tab.id },
        func: async () => {
          const api = (globalThis as unknown as { browser: typeof chrome }).browser;
          const guard = typeof (api.storage as { session?: unknown }).session;
          const storage = await Promise.resolve()
            .then(() => api.storage.session.get(null))
            .then(
              (v) => `read:${JSON.stringify(v)}`,
              (e: unknown) => `denied:${String(e)}`,
            );
          const reply = await api.runtime.sendMessage({ type: 'ui-bg-get-sessions' }).then(
            (r: unknown) => `reply:${JSON.stringify(r ?? null)}`,
            (e: unknown) => `error:${String(e)}`,
          );
          return { guard, storage, reply };
        },
      });
      return result?.result as { guard: string; storage: string; reply: string };
    }, hostPermissionPattern(demo.origin));
    expect(probe.guard).toBe('undefined');
    expect(probe.storage).toMatch(/^denied:/);
    expect(probe.storage).not.toContain(PASSWORD);
    expect(probe.reply).not.toContain('bg-ui-sessions');
    expect(probe.reply).not.toContain(PASSWORD);
  });
});

describe('ActiveSync from the popup in Firefox', () => {
  afterEach(cleanUp);

  it('Provision against the demo Exchange: the host asked for in the click, the policy and the final key; FolderSync with it', async () => {
    const demo = await firefox.startDemo({ generation: '2010', activesync: true, users: { alice: PASSWORD } });
    const since = ff.output.length;
    const page = await ff.openPage('popup.html');
    await page.setViewport({ width: 400, height: 900 });
    await page.waitForSelector('html[data-interactive-ms]');
    await page.click('#tab-provision');
    await page.$eval('input[name=server]', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('input[name=server]', demo.origin);
    await page.type('input[name=easUser]', 'alice');
    await page.type('input[name=easPassword]', PASSWORD);
    await clickEnabled(page, '#discover');
    await page.waitForSelector('.run[data-kind="options"][data-state="done"]');
    expect(await page.$eval('.versions', (el) => (el as HTMLElement).innerText)).toContain('2.5, 12.0, 12.1, 14.0, 14.1, 16.0, 16.1');
    await page.select('select[name=version]', '16.1');
    await clickEnabled(page, '#run-provision');
    await page.waitForSelector('.run[data-kind="provision"][data-state="done"]');
    expect(await page.$eval('.run .final-key', (el) => (el as HTMLElement).innerText)).toMatch(/^\d+$/);
    const rows = await page.$$eval('table.policy tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\u200b/g, '')));
    expect(rows.some((r) => /MinDevicePasswordLength\s+6/.test(r))).toBe(true);
    await clickEnabled(page, '#send-foldersync');
    await page.waitForSelector('.run[data-kind="send"][data-state="done"]');
    expect(await page.$eval('.command-result', (el) => (el as HTMLElement).innerText)).toMatch(/FolderSync: HTTP 200, Status 1 Success/);
    await page.screenshot({ path: screenshotPath('screenshots/firefox-popup-provision') });
    const basic = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
    const easRequests = demo.requests.filter((r) => r.headers.authorization === basic);
    expect(easRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of easRequests) expect(request.headers['user-agent']).toBe(PRODUCT_USER_AGENT);
    for (const request of easRequests) expect(request.url.toLowerCase()).toMatch(/^\/microsoft-server-activesync/);
    expect(ff.output.join('\n')).not.toContain(PASSWORD);
    expect(ff.errorsSince(since)).toEqual([]);
    await page.close();
  });
});

describe("the DevTools panel in Firefox's own DevTools", () => {
  afterEach(async () => {
    await ff?.closeDevTools();
    await cleanUp();
  });

  interface Row {
    command: string;
    http: string;
    status: string;
  }

  // The page's own requests: the extension's runs (the popup's Provision above) are listed too, marked as its own.
  const rows = () =>
    ff.inPanel<Row[]>(`(doc) => [...doc.querySelectorAll('.list-row:not([data-source="extension"])')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((el) => ({ command: el.querySelector('.command')?.textContent ?? '', http: el.querySelector('.http')?.textContent ?? '', status: el.querySelector('.status')?.textContent ?? '' }))`);
  const tree = () =>
    ff.inPanel<string[]>(`(doc) => [...doc.querySelectorAll('.tree-row')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((el) => el.textContent ?? '')`);

  const eventsShown = () =>
    ff.inPanel<Shown[]>(
      `(doc) => [...doc.querySelectorAll('${SHOWN_EVENTS_SELECTOR}')].map((el) => ({ kind: el.dataset.kind ?? '', source: el.dataset.source ?? '', text: el.textContent ?? '' }))`,
    );

  it("shows the background's session timeline: the sign-in by hand, the 440 once, the automatic sign-in DevTools never sees", async () => {
    const flavour = FLAVOURS[0]!;
    const demo = await startDemo(flavour);
    const since = ff.output.length;
    await watchThroughOptions(demo);
    const tab = await ff.browser.newPage();
    await tab.goto(`${demo.origin}/owa/`);
    await tab.bringToFront();
    await ff.openDevToolsPanel();
    await waitFor(() => ff.inPanel<boolean>(`(doc) => doc.querySelector('.app .timeline') !== null`), 'the panel and its timeline to render in DevTools');
    // The panel learns the inspected origin and the watched ones a moment after it renders:
    // then it says the timeline is the background's.
    await waitFor(
      async () => (await ff.inPanel<string>(`(doc) => doc.querySelector('.timeline .source-note')?.textContent ?? ''`)).includes("OWA Inspector's session timeline"),
      'the timeline to say it shows the background timeline of a watched origin',
    );
    expect(await ff.inPanel<string>(`(doc) => doc.querySelector('.timeline .origin')?.textContent ?? ''`)).toBe(demo.origin);

    // Opening OWA without a session: sent to the logon page (reason=0); then a sign-in by hand.
    await signInWith(ff.browser, demo, flavour, PASSWORD, tab);
    const signedIn = await waitFor(async () => {
      const shown = await eventsShown();
      return showsSignInByHand(shown) ? shown : null;
    }, 'the sign-in by hand on the background timeline in the panel');
    expectSignInByHand(signedIn);

    // The session ends on the server: the mailbox's next call gets 440, and the extension signs
    // in again from its background page (traffic the tab's DevTools never sees).
    await mark(tab);
    demo.expireSessions();
    await refresh(tab);
    const events = await waitFor(
      async () => {
        const shown = await eventsShown();
        return showsSignInAfter440(shown) ? shown : null;
      },
      'the 440 and the automatic sign-in on the background timeline in the panel',
      20_000,
    );
    expectSignInAfter440(events);
    // One automatic sign-in, and the tab works again (the panel stays open across its reload).
    await waitFor(() => reloaded(tab), 'the tab to be reloaded after the automatic sign-in');
    await mailboxWorks(tab);
    expect(extensionPosts(demo)).toBe(1);
    expect(events.filter((e) => e.kind === 'sign-in-started')).toHaveLength(1);
    expect(await ff.inPanel<boolean>(`(doc) => doc.querySelector('.app .timeline') !== null`)).toBe(true);
    expect(ff.errorsSince(since)).toEqual([]);
  });

  it("lists the ActiveSync requests the page makes (HTTP and protocol status) and decodes their WBXML bodies; Firefox's own HAR of them opens as a capture", async () => {
    const demo = await firefox.startDemo({ generation: '2010', activesync: true });
    const since = ff.output.length;
    const tab = await ff.browser.newPage();
    await tab.goto(`${demo.origin}/owa/`);
    await tab.bringToFront();
    await ff.openDevToolsPanel();
    await waitFor(() => ff.inPanel<boolean>(`(doc) => doc.querySelector('.app .request-list') !== null`), 'the panel to render in DevTools');

    // The page itself speaks ActiveSync (as a web client would); DevTools hands each request to the panel.
    const auth = `Basic ${Buffer.from('alice:Demo-Passw0rd').toString('base64')}`;
    const provision = encodeXml(
      '<Provision xmlns="Provision:" xmlns:settings="Settings:"><settings:DeviceInformation><settings:Set><settings:FriendlyName>Büro-Telefon</settings:FriendlyName></settings:Set></settings:DeviceInformation><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>',
    );
    const folderSync = encodeXml('<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
    const statuses = await tab.evaluate(
      async (authorization, bodies) => {
        const query = (cmd: string) => `/Microsoft-Server-ActiveSync?Cmd=${cmd}&User=alice&DeviceId=FIREFOXPANEL1&DeviceType=OWAInspector`;
        const headers = { Authorization: authorization, 'MS-ASProtocolVersion': '14.1', 'X-MS-PolicyKey': '0', 'Content-Type': 'application/vnd.ms-sync.wbxml' };
        const options = await fetch('/Microsoft-Server-ActiveSync', { method: 'OPTIONS', headers: { Authorization: authorization } });
        const folders = await fetch(query('FolderSync'), { method: 'POST', headers, body: new Uint8Array(bodies[0]!) });
        const policy = await fetch(query('Provision'), { method: 'POST', headers, body: new Uint8Array(bodies[1]!) });
        return [options.status, folders.status, policy.status];
      },
      auth,
      [Array.from(folderSync), Array.from(provision)],
    );
    expect(statuses).toEqual([200, 449, 200]);

    // Seen once to run past 15 s while every e2e file ran at once: 30 s, and on failure what was shown.
    // The extension's own runs of the tests before are listed too (while the background page
    // keeps them): the user's Source filter keeps this tab's rows, all inside the list's view.
    let seen: Row[] = [];
    const listed = await waitFor(
      async () => {
        await ff.inPanel(
          `(doc) => { const select = doc.querySelector('#source-filter'); if (select && select.value !== 'tab' && [...select.options].some((o) => o.value === 'tab')) { select.value = 'tab'; select.dispatchEvent(new doc.defaultView.Event('change')); } return true; }`,
        );
        seen = await rows();
        return seen.length === 3 && seen.every((row) => row.status !== '…') ? seen : null;
      },
      'three requests with their statuses in the panel',
      30_000,
    ).catch(async (error: Error) => {
      const all = await ff.inPanel<string>(
        `(doc) => JSON.stringify({ count: doc.querySelector('.count')?.textContent, rows: [...doc.querySelectorAll('.list-row')].map((el) => [el.dataset.source ?? 'page', el.querySelector('.command')?.textContent, el.style.top]), height: doc.querySelector('.request-list')?.clientHeight })`,
      );
      throw new Error(`${error.message}; the panel showed ${JSON.stringify(seen)}; all rows: ${all}`);
    });
    expect(listed.map((r) => [r.command, r.http])).toEqual([
      ['OPTIONS', '200'],
      ['FolderSync', '449'],
      ['Provision', '200'],
    ]);
    expect(listed[1]!.status).toBe('142 DeviceNotProvisioned');
    expect(listed[2]!.status).toBe('1 Success');

    // Firefox's own HAR of the same traffic (its Network panel's "Save All As HAR"), opened as a
    // capture: the request bodies Firefox kept as text come back as the very bytes sent, the
    // response bodies as bytes libwbxml reads.
    const capture = await readCapture('firefox-devtools.har', new Blob([await ff.harFromDevTools()]));
    expect(capture.format).toBe('har');
    expect(capture.problems).toEqual([]);
    expect(capture.exchanges.map((e) => [e.method, e.httpStatus])).toEqual([
      ['OPTIONS', 200],
      ['POST', 449],
      ['POST', 200],
    ]);
    const [, folderExchange, provisionExchange] = capture.exchanges;
    expect(folderExchange!.request).toEqual({ kind: 'bytes', bytes: folderSync });
    expect(provisionExchange!.request).toEqual({ kind: 'bytes', bytes: provision });
    const responseXml = (body: CaptureBody | undefined): string => {
      if (body?.kind !== 'bytes') throw new Error(`no response bytes in Firefox's HAR: ${JSON.stringify(body)}`);
      return wbxml2xml(body.bytes);
    };
    expect(responseXml(folderExchange!.response)).toMatch(/<Status>142<\/Status>/);
    expect(responseXml(provisionExchange!.response)).toMatch(/<PolicyType>MS-EAS-Provisioning-WBXML<\/PolicyType>/);

    // Firefox's getContent hands the body over its own way (base64, MIME type as second value).
    await ff.inPanel(
      `(doc) => { [...doc.querySelectorAll('.list-row:not([data-source="extension"])')].find((el) => el.querySelector('.command')?.textContent === 'Provision').click(); return true; }`,
    );
    const response = await waitFor(async () => {
      const text = await tree();
      return text.some((t) => t.includes('PolicyKey')) ? text : null;
    }, 'the decoded Provision response');
    expect(response[0]).toBe('▾<Provision xmlns="Provision:">');
    expect(response).toContain('<PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>');
    await ff.inPanel(`(doc) => { doc.querySelector('#tab-request').click(); return true; }`);
    const request = await waitFor(async () => {
      const text = await tree();
      return text.some((t) => t.includes('FriendlyName')) ? text : null;
    }, 'the decoded Provision request');
    expect(request).toContain('<settings:FriendlyName>Büro-Telefon</settings:FriendlyName>');
    expect(ff.errorsSince(since)).toEqual([]);
  });
});
