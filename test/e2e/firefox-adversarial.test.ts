// The adversarial cases of adversarial.test.ts that depend on the browser's own behaviour, in
// Debian's firefox-esr with the Firefox build: a hostile server answering the logon POST with a
// 307 to another host (Firefox's fetch, redirect: 'manual', its webRequest), and a hostile page
// on another site (127.0.0.2) opening the logon page with reason=3 or framing AD FS (Firefox's
// originUrl and Sec-Fetch-Site). The site is watched through the options page, as a user does.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { startHostileSite, type HostileSite } from '../demo/hostile-site';
import { launchFirefoxWithExtension, type FirefoxExtension } from './harness/firefox';
import { Control, waitFor } from './helpers/owa-extension';
import { cleanUpFirefox, watchThroughOptions } from './helpers/firefox-session';
import { extensionPosts, FLAVOURS, refresh, signInByHand, stopPolling } from './helpers/owa-pages';

const PASSWORD = 'Firefox-Adversarial-Passw0rd';
const flavour = FLAVOURS.find((f) => f.generation === '2010')!;

let ff: FirefoxExtension;
let controlPage: Page;
let control: Control;
let hostile: HostileSite;
let launchError: unknown = null;
const demos: DemoExchange[] = [];

beforeAll(async () => {
  hostile = await startHostileSite('127.0.0.2');
  try {
    ff = await launchFirefoxWithExtension();
    controlPage = await ff.openPage('options.html');
    control = new Control(controlPage);
  } catch (error) {
    launchError = error;
  }
});

// No Firefox: every test fails with the reason (the install command), never a skip.
beforeEach(() => {
  if (launchError) throw launchError;
});

afterEach(async () => {
  await cleanUpFirefox(ff, controlPage, control);
  hostile.requests.length = 0;
});

afterAll(async () => {
  await ff?.close();
  await hostile?.close();
  await Promise.all(demos.map((d) => d.close()));
});

async function signedInDemo(): Promise<{ demo: DemoExchange; tab: Page }> {
  const demo = await startDemoExchange({ generation: '2010', users: { alice: PASSWORD }, checkOrigin: true });
  demos.push(demo);
  await watchThroughOptions(controlPage, control, demo.origin, PASSWORD);
  const tab = await signInByHand(ff.browser, demo, flavour, PASSWORD);
  await stopPolling(tab);
  await control.waitForStatus(demo.origin, 'signed-in');
  return { demo, tab };
}

async function attack(name: string, body: string): Promise<Page> {
  const url = hostile.page(`/${name}.html`, `<!doctype html><title>${name}</title><body>${body}</body>`);
  const page = await ff.browser.newPage();
  await page.goto(url);
  return page;
}

/** How long a negative check waits after the attack reached the server (see adversarial.test.ts). */
const SETTLE_MS = 2_000;
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

describe('Firefox: a hostile server redirecting the logon POST', () => {
  it('HTTP 307 to plain HTTP on another host: the password never reaches it; one attempt, shown, never retried', async () => {
    const { demo, tab } = await signedInDemo();
    demo.redirectLogonPosts({ status: 307, location: `${hostile.origin}/collect?from=owa` });
    demo.expireSessions();
    await refresh(tab);
    const failed = await control.waitForStatus(demo.origin, 'sign-in-failed');
    expect(failed.failure).toBe('unsafe-redirect');
    expect(failed.lastSignIn?.detail).toContain(`HTTP 307 to ${hostile.origin}/collect`);
    expect(hostile.requests).toEqual([]);
    expect(extensionPosts(demo)).toBe(1);
    await refresh(tab);
    await settle();
    expect(extensionPosts(demo)).toBe(1);
    expect(hostile.requests).toEqual([]);
  });
});

describe('Firefox: a hostile page on another site', () => {
  it('navigating a tab to the logon page with reason=3 starts no sign-in (signed in, and after a sign-out by hand); the same from OWA itself does', async () => {
    const { demo, tab } = await signedInDemo();
    const logon = `${demo.origin}/owa/auth/logon.aspx?url=${encodeURIComponent(`${demo.origin}/owa/`)}&reason=3`;
    const arrived = () => demo.requests.filter((r) => r.url.startsWith('/owa/auth/logon.aspx') && (r.headers.referer ?? '').startsWith(hostile.origin)).length;
    await attack('navigate', `<script>location.href = ${JSON.stringify(logon)};</script>`);
    await waitFor(() => arrived() === 1, 'the hostile navigation to reach the server');
    await settle();
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-in');

    await tab.bringToFront();
    await Promise.all([tab.waitForNavigation(), tab.click('#signOutButton')]);
    await control.waitForStatus(demo.origin, 'signed-out');
    await attack('navigate-again', `<script>location.href = ${JSON.stringify(logon)};</script>`);
    await waitFor(() => arrived() === 2, 'the second hostile navigation to reach the server');
    await settle();
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-out');

    // Control: signed in again by hand, OWA's own page going to the same URL is a timeout.
    const again = await signInByHand(ff.browser, demo, flavour, PASSWORD);
    await control.waitForStatus(demo.origin, 'signed-in');
    await again.evaluate((url) => {
      location.href = url;
    }, logon);
    await waitFor(() => extensionPosts(demo) === 1, 'the sign-in after an OWA-initiated reason=3', SETTLE_MS * 3);
  });

  it('a cross-site frame of AD FS on the OWA host does not turn automatic sign-in off', async () => {
    // Firefox shows an extension a frame's requests only where it may access the page holding
    // the frame too: the user who also watches the other site, as here.
    await watchThroughOptions(controlPage, control, hostile.origin, PASSWORD);
    const { demo } = await signedInDemo();
    const path = '/adfs/ls/?wa=wsignin1.0';
    await attack('frame', `<iframe src="${demo.origin}${path}"></iframe>`);
    await waitFor(() => demo.requests.some((r) => r.url === path), 'the framed request to reach the server');
    await settle();
    const view = await control.session(demo.origin);
    expect(view.status).toBe('signed-in');
    expect(view.formsUnavailable).toBeNull();
  });
});
