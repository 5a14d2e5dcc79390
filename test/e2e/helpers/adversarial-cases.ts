// The adversarial cases, written once and run in each browser (adversarial.test.ts in Chromium,
// firefox-adversarial.test.ts in firefox-esr): a hostile server redirecting the logon POST, and a
// hostile page on another site (127.0.0.2) navigating to the logon page or framing AD FS / TMG.
import type { Browser, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { TimelineEvent } from '../../../src/messages/protocol';
import type { DemoExchange } from '../../demo';
import type { HostileSite } from '../../demo/hostile-site';
import { waitFor, type Control } from './owa-extension';
import { extensionPosts, FLAVOURS, refresh, signInByHand } from './owa-pages';
import { english } from '../../shared/english';

export const ADVERSARIAL_FLAVOUR = FLAVOURS.find((f) => f.generation === '2010')!;

export interface AdversarialContext {
  browser: Browser;
  control: Control;
  hostile: HostileSite;
  /** Another loopback host (127.0.0.3), nothing but a witness: see caughtUp. */
  witness: HostileSite;
  password: string;
  /**
   * A demo Exchange 2010+, watched with automatic sign-in on, and the user signed in by hand;
   * the witness site is watched too.
   */
  signedInDemo(): Promise<{ demo: DemoExchange; tab: Page }>;
}

export async function timeline(control: Control, origin: string): Promise<TimelineEvent[]> {
  const reply = await control.send({ type: 'ui-bg-get-timeline', origin });
  if (reply.type !== 'bg-ui-timeline') throw new Error(JSON.stringify(reply));
  return reply.events;
}

let witnessVisits = 0;

/**
 * Resolves once the worker has handled every browser event that came before the call: what
 * makes a negative check after it ("no sign-in started") able to fail. The worker ignores an
 * untrusted event without recording anything, so there is nothing of the attack itself to wait
 * for; instead the user opens the logon page of the witness site (another watched site, sharing
 * not even the cookie jar with the demo), which the worker does record, and this waits for that
 * entry in the witness's timeline.
 *
 * Why that entry proves the worker had its chance at the attack: every listener of the worker
 * hands its event to `later()` (src/background/index.ts), which runs the handlers in the order
 * the browser delivered the events, all chained on the one start-up promise; each handler
 * passes its observations to `SessionWatch.observe`, which asks `Store.update` (one at a time,
 * in the order asked) before it appends the timeline entry. So the witness's entry appears only
 * after the worker has handled the attack's events and stored what they did to the demo's
 * session (an attack event gives one observation: a 440, a logon redirect, forms logon
 * unavailable), and after a sign-in, had one been decided, was started (`signing-in` is stored
 * before anything is sent). The callers open the witness's page only after the attack's last
 * browser event: they wait until the page that made the attacking request has its answer (a
 * loaded document, a settled fetch), and the browser hands webRequest events of an answer to
 * the extension before it hands the answer to the page.
 */
export async function caughtUp(ctx: AdversarialContext): Promise<void> {
  // A reason no Exchange gives (the worker reads up to 3 digits), new each time: the timeline
  // drops an entry that repeats one of the last 2 s, and this one must be recorded every time.
  const url = `${ctx.witness.origin}/owa/auth/logon.aspx?reason=${100 + (++witnessVisits % 900)}`;
  const tab = await ctx.browser.newPage();
  try {
    await tab.goto(url);
    await waitFor(async () => (await timeline(ctx.control, ctx.witness.origin)).some((e) => e.url === url), `the worker to record the visit to ${url}`).catch(async (error: unknown) => {
      const seen = (await timeline(ctx.control, ctx.witness.origin)).map((e) => `${e.kind} ${e.url ?? ''}`);
      throw new Error(`${String(error)}; the witness's timeline: ${seen.join(', ') || 'empty'}`, { cause: error });
    });
  } finally {
    await tab.close();
  }
}

/** Waits until `page` has the document at `path` loaded (its answer has reached the page). */
async function loaded(page: Page, path: string): Promise<void> {
  await waitFor(() => page.evaluate((p) => location.pathname === p && document.readyState === 'complete', path), `the attacked tab to load ${path}`);
}

/** A click on the mailbox's refresh button, and its answer (a 440) shown. */
async function refreshedInto440(tab: Page): Promise<void> {
  await tab.evaluate(() => {
    document.getElementById('serviceStatus')!.dataset.state = 'checking';
    (document.getElementById('refreshButton') as HTMLButtonElement).click();
  });
  await waitFor(() => tab.evaluate(() => document.getElementById('serviceStatus')?.dataset.state === 'expired'), 'the page to show the 440');
}

/** Opens a page of the hostile site whose body (the attack) runs as it loads. */
export async function attack(ctx: AdversarialContext, name: string, body: string): Promise<Page> {
  const url = ctx.hostile.page(`/${name}.html`, `<!doctype html><title>${name}</title><body>${body}</body>`);
  const page = await ctx.browser.newPage();
  await page.goto(url);
  return page;
}

export async function postRedirectedElsewhere(ctx: AdversarialContext, status: 307 | 308): Promise<void> {
  const { control, hostile } = ctx;
  const { demo, tab } = await ctx.signedInDemo();
  demo.redirectLogonPosts({ status, location: `${hostile.origin}/collect?from=owa` });
  demo.expireSessions();
  await refresh(tab);
  const failed = await control.waitForStatus(demo.origin, 'sign-in-failed');
  expect(failed.failure).toBe('unsafe-redirect');
  expect(failed.lastSignIn).toMatchObject({ outcome: 'unsafe-redirect' });
  expect(failed.lastSignIn?.detail).toMatchObject({ key: 'bg_sign_in_unsafe_redirect' });
  expect(english(failed.lastSignIn?.detail)).toContain(`HTTP ${status} to ${hostile.origin}/collect`);
  // Nothing at all reached the other host: not the form, not a GET.
  expect(hostile.requests).toEqual([]);
  expect(extensionPosts(demo)).toBe(1);
  // More timeouts from the page: nothing is tried again.
  const calls = () => demo.requests.filter((r) => r.url.startsWith('/owa/service.svc')).length;
  const before = calls();
  await refreshedInto440(tab);
  await refreshedInto440(tab);
  expect(calls()).toBeGreaterThanOrEqual(before + 2);
  await caughtUp(ctx);
  expect(extensionPosts(demo)).toBe(1);
  expect(await control.session(demo.origin)).toMatchObject({ status: 'sign-in-failed', failure: 'unsafe-redirect' });
  expect(hostile.requests).toEqual([]);
}

export async function reason3Navigation(ctx: AdversarialContext): Promise<void> {
  const { control, hostile } = ctx;
  const { demo, tab } = await ctx.signedInDemo();
  const logon = `${demo.origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${demo.origin}/owa/`)}&reason=3`;
  const arrived = () => demo.requests.filter((r) => r.url.startsWith('/owa/auth/logon.aspx') && (r.headers.referer ?? '').startsWith(hostile.origin)).length;
  const navigated = await attack(ctx, 'navigate', `<script>location.href = ${JSON.stringify(logon)};</script>`);
  await waitFor(() => arrived() === 1, 'the hostile navigation to reach the server');
  await loaded(navigated, '/owa/auth/logon.aspx');
  await caughtUp(ctx);
  expect(extensionPosts(demo)).toBe(0);
  expect((await control.session(demo.origin)).status).toBe('signed-in');

  // After a sign-out by hand: the same navigation, again nothing.
  await tab.bringToFront();
  await Promise.all([tab.waitForNavigation(), tab.click('#signOutButton')]);
  await control.waitForStatus(demo.origin, 'signed-out');
  const again = await attack(ctx, 'navigate-again', `<script>location.href = ${JSON.stringify(logon)};</script>`);
  await waitFor(() => arrived() === 2, 'the second hostile navigation to reach the server');
  await loaded(again, '/owa/auth/logon.aspx');
  await caughtUp(ctx);
  expect(extensionPosts(demo)).toBe(0);
  expect((await control.session(demo.origin)).status).toBe('signed-out');

  // Control: signed in again by hand, OWA's own page going to the same URL is a timeout.
  const byHand = await signInByHand(ctx.browser, demo, ADVERSARIAL_FLAVOUR, ctx.password);
  await control.waitForStatus(demo.origin, 'signed-in');
  await byHand.evaluate((url) => {
    location.href = url;
  }, logon);
  await waitFor(() => extensionPosts(demo) === 1, 'the sign-in after an OWA-initiated reason=3');
}

export async function crossSiteFrame(ctx: AdversarialContext, path: string): Promise<void> {
  const { demo } = await ctx.signedInDemo();
  const page = await attack(ctx, 'frame', `<iframe src="${demo.origin}${path}" onload="document.body.dataset.framed = 'yes'"></iframe>`);
  await waitFor(() => demo.requests.some((r) => r.url === path), 'the framed request to reach the server');
  await waitFor(() => page.evaluate(() => document.body.dataset.framed === 'yes'), 'the frame to load');
  await caughtUp(ctx);
  const view = await ctx.control.session(demo.origin);
  expect(view.status).toBe('signed-in');
  expect(view.formsUnavailable).toBeNull();
}
