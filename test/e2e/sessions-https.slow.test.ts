// The session watcher as a user meets it on a real server: the shipped build (dist/chrome,
// nothing granted at install; the host granted as a user does, helpers/grant.ts) against the
// demo Exchange in its 2016 mode (the default Exchange 2013 SP1+ logon page, hidden flags=4, the
// UA=0 notification long-poll, renewal only by user activity after T/2) over HTTPS on a host
// name, https://mail.contoso.test, with a certificate made for this run. The demo's T is one
// minute (a session dies 60 to 90 s after the last activity), so the server's own ends come
// within the test. Prints the figures issue 11 asks for (run with --silent=false): time from
// the end to a working tab, logon POSTs per scenario, learned T against the server's T.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgsFor, startDemoExchangeOverHttps, type DemoExchange } from '../demo';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { watchWithAutoSignIn } from './helpers/grant';
import { Control, currentWorker, privateStore, recordConsole, waitFor } from './helpers/owa-extension';
import { extensionPosts, FLAVOURS, mailboxWorks, mark, refresh, reloaded, signInByHand as signInWith } from './helpers/owa-pages';

const PASSWORD = 'Https-Passw0rd-e2e';
/** The demo's timeout, public and private alike: what the extension has to learn. */
const SERVER_T_SECONDS = 60;
/** A server's end comes at most 1.5 T after the last renewal; the next poll (5 s) sees it. */
const END_WITHIN_MS = 1.5 * SERVER_T_SECONDS * 1000 + 30_000;
const flavour = FLAVOURS.find((f) => f.generation === '2010')!;

let ext: ExtensionBrowser;
let control: Control;
let demo: DemoExchange;
let consoleLines: string[];
/** What the test prints at the end: one line per figure. */
const figures: string[] = [];

beforeAll(async () => {
  const started = await startDemoExchangeOverHttps({
    generation: '2016',
    users: { alice: PASSWORD },
    checkOrigin: true,
    notificationHoldMs: 2_000,
    publicTimeoutSeconds: SERVER_T_SECONDS,
    privateTimeoutSeconds: SERVER_T_SECONDS,
  });
  demo = started.demo;
  ext = await launchWithExtension({ args: chromiumArgsFor(started.certificate, demo.address.host) });
  consoleLines = recordConsole(ext.browser);
  control = await Control.open(ext);
  await watchWithAutoSignIn(ext, control, demo.origin, 'CONTOSO\\alice', PASSWORD);
}, 60_000);

afterAll(async () => {
  if (figures.length) console.log(['issue 11 figures (demo Exchange 2016 over HTTPS, shipped build, Chromium):', ...figures.map((f) => `  ${f}`)].join('\n'));
  await ext?.close();
  await demo?.close();
});

const session = () => control.session(demo.origin);
const byHandPosts = () => demo.logonPosts().length - extensionPosts(demo);
const polls = () => demo.requests.filter((r) => r.url.startsWith('/owa/ev.owa2?') || r.url.startsWith('/owa/service.svc')).length;

/** Closes every tab but the control page. */
async function closeTabs(): Promise<void> {
  for (const page of await ext.browser.pages()) if (page !== control.page) await page.close();
}

/**
 * A fresh session signed in by hand in one tab, and `more` tabs of the mailbox beside it, all
 * polling (service.svc with X-UserActivity: 0 every 5 s, the ev.owa2 long-poll with UA=0).
 */
async function signedInWithTabs(more: number): Promise<Page[]> {
  await closeTabs();
  // The user signs out first (a session open from the test before, or none: the server then
  // only shows the logon page with reason=1), and signs in again through the form.
  const first = await ext.browser.newPage();
  await first.goto(`${demo.origin}/owa/logoff.owa`);
  await control.waitForStatus(demo.origin, 'signed-out');
  await signInWith(ext.browser, demo, flavour, PASSWORD, first);
  await control.waitForStatus(demo.origin, 'signed-in');
  const tabs = [first];
  for (let i = 0; i < more; i++) {
    const tab = await ext.browser.newPage();
    await tab.goto(`${demo.origin}/owa/`);
    await mailboxWorks(tab);
    // A name in the URL's fragment, to tell the tabs apart in the browser's tab list.
    await tab.evaluate((n) => history.replaceState(null, '', `#tab${n}`), i + 1);
    tabs.push(tab);
  }
  return tabs;
}

/**
 * Waits until every tab works: reloaded by the extension, or (a tab whose polls met the new
 * session only) never stopped; a tab that met the end shows it and stops polling, so it is not
 * counted until it was reloaded. When that was, and how many tabs were reloaded.
 */
async function allWorkAgain(tabs: Page[]): Promise<{ at: number; reloaded: number }> {
  const states = () =>
    Promise.all(
      tabs.map(async (tab) =>
        (await reloaded(tab)) ? 'reloaded' : (await tab.evaluate(() => document.querySelector('#serviceStatus')?.getAttribute('data-state'))) === 'ok' ? 'working' : 'stopped',
      ),
    );
  await waitFor(async () => (await states()).every((s) => s !== 'stopped'), 'every tab to work again', 30_000).catch(async (error: unknown) => {
    const shown = await Promise.all(
      tabs.map((tab) =>
        tab.evaluate(
          () =>
            `${location.href} banner=${String(!!document.querySelector('#owa-inspector-banner'))} ${document.querySelector('#serviceStatus')?.textContent ?? ''} / ${document.querySelector('#notifyStatus')?.textContent ?? ''}`,
        ),
      ),
    );
    const worker = await currentWorker(ext);
    const record = JSON.stringify(await worker.evaluate(async () => [await chrome.storage.session.get('relogin'), (await chrome.tabs.query({})).map((t) => `${t.id} ${t.url}`)]));
    const timeline = await control.send({ type: 'ui-bg-get-timeline', origin: demo.origin });
    const events = timeline.type === 'bg-ui-timeline' ? timeline.events.slice(-25).map((e) => `${e.at} ${e.kind} ${e.url ?? ''}`) : [];
    throw new Error(
      `${String(error)}; the tabs show: ${shown.join(' | ')}; relogin record and tabs: ${record}; the worker said: ${consoleLines
        .filter((l) => l.includes('[worker]'))
        .slice(-15)
        .join(' / ')}; the timeline: ${events.join(', ')}`,
      { cause: error },
    );
  });
  await Promise.all(tabs.map(mailboxWorks));
  const at = Date.now();
  return { at, reloaded: (await states()).filter((s) => s === 'reloaded').length };
}

describe('Exchange 2013 SP1+ over HTTPS on a host name, the shipped build', () => {
  it('a 440 is followed by one automatic sign-in and the tab works again, over HTTPS by name', async () => {
    const [tab] = await signedInWithTabs(0);
    expect(demo.sessions()).toMatchObject([{ user: 'alice', private: true }]);
    const postsBefore = demo.logonPosts().length;
    await mark(tab!);
    demo.expireSessions();
    await refresh(tab!);
    await waitFor(() => extensionPosts(demo) === 1, 'the automatic sign-in after the 440');
    const working = await allWorkAgain([tab!]);
    expect(working.reloaded).toBe(1);
    const view = await control.waitForStatus(demo.origin, 'signed-in');
    expect(view.last440).not.toBeNull();
    expect(demo.logonPosts().length - postsBefore).toBe(1);
    // The page's own choice (hidden flags=4) kept: the session stays private.
    expect(new URLSearchParams(demo.logonPosts().at(-1)!.body).get('flags')).toBe('4');
    expect(demo.sessions().every((s) => s.private)).toBe(true);
    figures.push(`440 (session ended by the server) -> working tab: ${working.at - view.last440!} ms; logon POSTs: 1 by hand, 1 automatic`);
  });

  it("a sign-out in one tab stays a sign-out, though the other tabs' polls then get 440s", async () => {
    const [tab, other] = await signedInWithTabs(1);
    const posts = extensionPosts(demo);
    await tab!.bringToFront();
    await Promise.all([tab!.waitForNavigation(), tab!.click('#signOutButton')]);
    await control.waitForStatus(demo.origin, 'signed-out');
    expect(demo.sessions()).toEqual([]);
    // The other tab's next request is answered 440 (the server forgot the session); the worker
    // handles it (the session's last 440 moves) and starts no sign-in.
    const before = Date.now();
    await refresh(other!);
    await waitFor(async () => ((await session()).last440 ?? 0) >= before, "the worker to handle the other tab's 440");
    expect(extensionPosts(demo)).toBe(posts);
    expect((await session()).status).toBe('signed-out');
    figures.push(`sign-out by hand, another tab's 440 after it: 0 automatic logon POSTs, still signed out`);
  });

  it("the popup's status does not flip between expiring and signed in while the tabs poll", async () => {
    const tabs = await signedInWithTabs(2);
    const card = `article.card[data-origin="${demo.origin}"]`;
    const popup = await ext.browser.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await popup.waitForSelector(card);
    // Every status the card shows, as it shows it.
    await popup.evaluate((selector) => {
      const seen: Array<[number, string]> = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      const note = () => {
        const status = document.querySelector(selector)?.getAttribute('data-status');
        if (status && seen.at(-1)?.[1] !== status) seen.push([Date.now(), status]);
      };
      note();
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    }, card);
    // A warning lead as long as T (15 min set for this private session): the session is in it from its first check on (a settings
    // change runs that check before it answers).
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { warnMinutes: 15, privateTimeoutMinutes: 15 } });
    await popup.waitForSelector(`${card}[data-status="expiring"]`);
    const activity = (await session()).lastActivity;
    expect(activity).not.toBeNull();
    // Three tabs poll: at least nine polls answered.
    const before = polls();
    await waitFor(() => polls() >= before + 9, 'nine more polls of the three tabs', 30_000);
    const activityAfterPolls = (await session()).lastActivity;
    // The witness: a request that is user activity. The worker handles events in their order,
    // so once it has moved the last activity, every poll before it was handled too.
    const clicked = Date.now();
    await refresh(tabs[0]!);
    await waitFor(async () => ((await session()).lastActivity ?? 0) >= clicked, 'the click to count as activity');
    const seen = await popup.evaluate(() => (window as unknown as { seen: Array<[number, string]> }).seen);
    const whilePolling = seen.filter(([at]) => at < clicked).map(([, status]) => status);
    expect(whilePolling.at(-1)).toBe('expiring');
    expect(whilePolling.slice(whilePolling.indexOf('expiring'))).toEqual(['expiring']);
    // Nor did the polls move the last activity the estimate counts from.
    expect(activityAfterPolls).toBe(activity);
    figures.push(`popup status while 3 tabs polled (${polls() - before} polls): ${whilePolling.join(' -> ')}`);
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { warnMinutes: 2, privateTimeoutMinutes: null } });
    await popup.close();
  });

  it(
    "learns the server's 1-minute timeout from its own ends: a suggestion after one, used after two; several polling tabs are not activity",
    async () => {
      const tabs = await signedInWithTabs(2);
      const postsBefore = { byHand: byHandPosts(), automatic: extensionPosts(demo) };
      // The logon page's hidden flags=4 made the session private: Exchange's 8 hours, whatever the setting says.
      expect(await session()).toMatchObject({ timeoutComputer: 'private', timeoutMinutes: 480, timeoutSource: 'default' });

      // Three tabs keep polling; the last activity the estimate counts from stays where it was.
      let before = polls();
      await waitFor(() => polls() >= before + 6, 'six more polls', 30_000);
      const activity = (await session()).lastActivity;
      before = polls();
      await waitFor(() => polls() >= before + 9, 'nine more polls', 30_000);
      expect((await session()).lastActivity).toBe(activity);

      const learned = async () => ((await privateStore(control.page)).learned as Record<string, { lowMs: number; highMs: number; observations: number }> | undefined)?.[demo.origin];
      /** Waits for the server's own end (no activity: 1.5 T after the sign-in) and the automatic sign-in after it. */
      const nextEnd = async (n: number): Promise<void> => {
        await Promise.all(tabs.map(mark));
        const idleFrom = (await session()).lastActivity ?? 0;
        await waitFor(() => extensionPosts(demo) === postsBefore.automatic + n, `the server's end number ${n} and the automatic sign-in after it`, END_WITHIN_MS);
        const working = await allWorkAgain(tabs);
        expect(working.reloaded).toBeGreaterThanOrEqual(1);
        const view = await control.waitForStatus(demo.origin, 'signed-in');
        const bounds = await learned();
        figures.push(
          `end ${n} (the server's own, 440 or reason=3, ${((view.last440! - idleFrom) / 1000).toFixed(1)} s after the last activity): ` +
            `end -> 3 tabs working (${working.reloaded} reloaded): ${working.at - view.last440!} ms; learned T in (${((bounds?.lowMs ?? 0) / 1000).toFixed(1)} s, ${((bounds?.highMs ?? 0) / 1000).toFixed(1)} s], ` +
            `${bounds?.observations ?? 0} agreeing end(s); T in use ${view.timeoutMinutes} min (${view.timeoutSource}), suggested ${view.suggestedTimeoutMinutes ?? '-'} min; server T ${SERVER_T_SECONDS} s`,
        );
      };

      await nextEnd(1);
      expect(await session()).toMatchObject({ timeoutMinutes: 480, timeoutSource: 'default', timeoutObservations: 1, suggestedTimeoutMinutes: 1 });
      // The card says so, with one click to use it.
      const popup = await ext.browser.newPage();
      await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
      const card = `article.card[data-origin="${demo.origin}"]`;
      await popup.waitForSelector(`${card} .timeout-suggestion`);
      expect(await popup.$eval(`${card} .timeout-suggestion`, (el) => (el as HTMLElement).innerText)).toMatch(/This server's timeout looks like 1 min\.\s+Use 1 min/);
      await popup.close();

      await nextEnd(2);
      const view = await session();
      expect(view).toMatchObject({ timeoutMinutes: 1, timeoutSource: 'learned', timeoutObservations: 2, suggestedTimeoutMinutes: null });
      expect(view.expiry!.earliest - view.lastActivity!).toBe(60_000);
      const bounds = (await learned())!;
      expect(bounds.lowMs).toBeLessThan(SERVER_T_SECONDS * 1000);
      expect(bounds.highMs).toBeGreaterThanOrEqual(SERVER_T_SECONDS * 1000);
      // Each end cost one logon POST, and only one.
      expect({ byHand: byHandPosts() - postsBefore.byHand, automatic: extensionPosts(demo) - postsBefore.automatic }).toEqual({ byHand: 0, automatic: 2 });
      figures.push(`learning scenario: logon POSTs 1 by hand (before it), ${extensionPosts(demo) - postsBefore.automatic} automatic for 2 server ends`);
    },
    5 * 60_000,
  );
});
