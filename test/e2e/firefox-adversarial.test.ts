// The adversarial cases of adversarial.test.ts that depend on the browser's own behaviour, in
// Debian's firefox-esr with the Firefox build: a hostile server answering the logon POST with a
// 307 to another host (Firefox's fetch, redirect: 'manual', its webRequest), and a hostile page
// on another site (127.0.0.2) opening the logon page with reason=3 or framing AD FS (Firefox's
// originUrl and Sec-Fetch-Site). The site is watched through the options page, as a user does.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import type { DemoExchange } from '../demo';
import { startHostileSite, type HostileSite } from '../demo/hostile-site';
import type { FirefoxExtension } from './harness/firefox';
import type { Control } from './helpers/owa-extension';
import { useFirefox, watchThroughOptions } from './helpers/firefox-session';
import { signInByHand, stopPolling } from './helpers/owa-pages';
import { ADVERSARIAL_FLAVOUR as flavour, crossSiteFrame, postRedirectedElsewhere, reason3Navigation, type AdversarialContext } from './helpers/adversarial-cases';

const PASSWORD = 'Firefox-Adversarial-Passw0rd';

const firefox = useFirefox();
let ff: FirefoxExtension;
let controlPage: Page;
let control: Control;
let hostile: HostileSite;
let witness: HostileSite;
/** What the shared cases use, made once the browser and the sites are up. */
let ctx: AdversarialContext;

beforeAll(async () => {
  hostile = await startHostileSite('127.0.0.2');
  witness = await startHostileSite('127.0.0.3');
  ({ ff, control, controlPage } = firefox);
  // Undefined when Firefox did not start: useFirefox fails every test with the reason.
  if (ff) ctx = { browser: ff.browser, control, hostile, witness, password: PASSWORD, signedInDemo };
});

afterEach(async () => {
  await firefox.cleanUp();
  hostile.requests.length = 0;
});

afterAll(async () => {
  await hostile?.close();
  await witness?.close();
});

async function signedInDemo(): Promise<{ demo: DemoExchange; tab: Page }> {
  const demo = await firefox.startDemo({ generation: '2010', users: { alice: PASSWORD }, checkOrigin: true });
  await watchThroughOptions(controlPage, control, demo.origin, PASSWORD);
  const tab = await signInByHand(ff.browser, demo, flavour, PASSWORD);
  await stopPolling(tab);
  await control.waitForStatus(demo.origin, 'signed-in');
  await watchThroughOptions(controlPage, control, witness.origin, PASSWORD);
  return { demo, tab };
}

describe('Firefox: a hostile server redirecting the logon POST', () => {
  it('HTTP 307 to plain HTTP on another host: the password never reaches it; one attempt, shown, never retried', () => postRedirectedElsewhere(ctx, 307));
});

describe('Firefox: a hostile page on another site', () => {
  it('navigating a tab to the logon page with reason=3 starts no sign-in (signed in, and after a sign-out by hand); the same from OWA itself does', () => reason3Navigation(ctx));

  it('a cross-site frame of AD FS on the OWA host does not turn automatic sign-in off', async () => {
    // Firefox shows an extension a frame's requests only where it may access the page holding
    // the frame too: the user who also watches the other site, as here.
    await watchThroughOptions(controlPage, control, hostile.origin, PASSWORD);
    await crossSiteFrame(ctx, '/adfs/ls/?wa=wsignin1.0');
  });
});
