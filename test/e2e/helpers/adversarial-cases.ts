// The adversarial cases, written once and run in each browser (adversarial.test.ts in Chromium,
// firefox-adversarial.test.ts in firefox-esr): a hostile server redirecting the logon POST, and a
// hostile page on another site (127.0.0.2) navigating to the logon page or framing AD FS / TMG.
import type { Browser, Page } from 'puppeteer-core';
import { expect } from 'vitest';
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
  password: string;
  /** A demo Exchange 2010+, watched with automatic sign-in on, and the user signed in by hand. */
  signedInDemo(): Promise<{ demo: DemoExchange; tab: Page }>;
}

/**
 * The worker handles each browser event a moment after it: a negative check ("no sign-in
 * started") waits this long after the attack reached the server. The positive control in each
 * case shows the same kind of event is acted on well within it.
 */
export const SETTLE_MS = 2_000;
export const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

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
  await refresh(tab);
  await refresh(tab);
  await waitFor(() => calls() >= before + 2, 'the next two requests (answered 440)');
  await settle();
  expect(extensionPosts(demo)).toBe(1);
  expect(await control.session(demo.origin)).toMatchObject({ status: 'sign-in-failed', failure: 'unsafe-redirect' });
  expect(hostile.requests).toEqual([]);
}

export async function reason3Navigation(ctx: AdversarialContext, controlWaitMs = SETTLE_MS): Promise<void> {
  const { control, hostile } = ctx;
  const { demo, tab } = await ctx.signedInDemo();
  const logon = `${demo.origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${demo.origin}/owa/`)}&reason=3`;
  const arrived = () => demo.requests.filter((r) => r.url.startsWith('/owa/auth/logon.aspx') && (r.headers.referer ?? '').startsWith(hostile.origin)).length;
  await attack(ctx, 'navigate', `<script>location.href = ${JSON.stringify(logon)};</script>`);
  await waitFor(() => arrived() === 1, 'the hostile navigation to reach the server');
  await settle();
  expect(extensionPosts(demo)).toBe(0);
  expect((await control.session(demo.origin)).status).toBe('signed-in');

  // After a sign-out by hand: the same navigation, again nothing.
  await tab.bringToFront();
  await Promise.all([tab.waitForNavigation(), tab.click('#signOutButton')]);
  await control.waitForStatus(demo.origin, 'signed-out');
  await attack(ctx, 'navigate-again', `<script>location.href = ${JSON.stringify(logon)};</script>`);
  await waitFor(() => arrived() === 2, 'the second hostile navigation to reach the server');
  await settle();
  expect(extensionPosts(demo)).toBe(0);
  expect((await control.session(demo.origin)).status).toBe('signed-out');

  // Control: signed in again by hand, OWA's own page going to the same URL is a timeout.
  const again = await signInByHand(ctx.browser, demo, ADVERSARIAL_FLAVOUR, ctx.password);
  await control.waitForStatus(demo.origin, 'signed-in');
  await again.evaluate((url) => {
    location.href = url;
  }, logon);
  await waitFor(() => extensionPosts(demo) === 1, 'the sign-in after an OWA-initiated reason=3', controlWaitMs);
}

export async function crossSiteFrame(ctx: AdversarialContext, path: string): Promise<void> {
  const { demo } = await ctx.signedInDemo();
  await attack(ctx, 'frame', `<iframe src="${demo.origin}${path}"></iframe>`);
  await waitFor(() => demo.requests.some((r) => r.url === path), 'the framed request to reach the server');
  await settle();
  const view = await ctx.control.session(demo.origin);
  expect(view.status).toBe('signed-in');
  expect(view.formsUnavailable).toBeNull();
}
