// Adversarial end-to-end tests in Debian's Chromium: a hostile server (the demo Exchange
// answering the logon POST with a redirect to another host) and a hostile page on another site
// (127.0.0.2, a different site from the demo on 127.0.0.1). Each case failed with the code
// before these holes were closed; the README's security section says which promise each checks.
// The shipped build (dist/chrome): every site is granted the way a user grants it (helpers/grant.ts).
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { startHostileSite, type HostileSite } from '../demo/hostile-site';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { clearCookies, Control, waitFor } from './helpers/owa-extension';
import { grantOriginLikeAUser, watchWithAutoSignIn } from './helpers/grant';
import { extensionPosts, mailboxWorks, refresh, reloaded, signInByHand, stopPolling } from './helpers/owa-pages';
import {
  ADVERSARIAL_FLAVOUR as flavour,
  attack,
  caughtUp,
  crossSiteFrame,
  postRedirectedElsewhere,
  reason3Navigation,
  timeline as timelineOf,
  type AdversarialContext,
} from './helpers/adversarial-cases';

const PASSWORD = 'Adversarial-Passw0rd-e2e';

let ext: ExtensionBrowser;
let control: Control;
let hostile: HostileSite;
let witness: HostileSite;
const demos: DemoExchange[] = [];
/** What the shared cases use, made once the browser and the sites are up. */
let ctx: AdversarialContext;

beforeAll(async () => {
  ext = await launchWithExtension();
  control = await Control.open(ext);
  hostile = await startHostileSite('127.0.0.2');
  witness = await startHostileSite('127.0.0.3');
  ctx = { browser: ext.browser, control, hostile, witness, password: PASSWORD, signedInDemo };
});

afterAll(async () => {
  await ext?.close();
  await hostile?.close();
  await witness?.close();
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
  // Unwatching gives each host back (afterEach): the user allows it again before watching it.
  await watchWithAutoSignIn(ext, control, demo.origin, 'alice', PASSWORD);
  const tab = await signInByHand(ext.browser, demo, flavour, PASSWORD);
  await stopPolling(tab);
  await control.waitForStatus(demo.origin, 'signed-in');
  await grantOriginLikeAUser(ext, witness.origin);
  await control.ok({ type: 'ui-bg-watch-origin', origin: witness.origin });
  return { demo, tab };
}

const timeline = (origin: string) => timelineOf(control, origin);

describe('a hostile server: the logon POST answered with a redirect to another host', () => {
  it.each([307, 308] as const)('HTTP %i to plain HTTP on another host: the password never reaches it; one attempt, shown, never retried', (status) => postRedirectedElsewhere(ctx, status));
});

describe('a hostile page on another site', () => {
  it('navigating a tab to the logon page with reason=3 starts no sign-in (signed in, and after a sign-out by hand); the same from OWA itself does', () => reason3Navigation(ctx));

  it("a cross-site request that OWA answers 440 (its SameSite cookies are not sent) starts no sign-in; the page's own 440 does", async () => {
    // Chromium shows an extension another site's requests only where it may access that site
    // too: the user who also watches (or inspects) the other site, as here.
    await grantOriginLikeAUser(ext, hostile.origin);
    const { demo, tab } = await signedInDemo();
    const page = await attack(
      ctx,
      'no-cors',
      `<script>fetch(${JSON.stringify(`${demo.origin}/owa/service.svc?action=GetFolder`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x' }).finally(() => { document.body.dataset.answered = 'yes'; });</script>`,
    );
    const hits = () => demo.requests.filter((r) => r.url.startsWith('/owa/service.svc') && r.headers.origin === hostile.origin);
    await waitFor(() => hits().length === 1, 'the cross-site request to reach the server');
    expect(hits()[0]!.headers.cookie ?? '').not.toContain('cadata');
    await waitFor(() => page.evaluate(() => document.body.dataset.answered === 'yes'), 'the hostile page to have its answer');
    await caughtUp(ctx);
    expect(extensionPosts(demo)).toBe(0);
    expect((await control.session(demo.origin)).status).toBe('signed-in');
    // Not even counted as a timeout (a sign-in would start, and find the session open).
    expect((await timeline(demo.origin)).map((e) => e.kind)).not.toContain('440');
    expect((await timeline(demo.origin)).map((e) => e.kind)).not.toContain('sign-in-started');
    // Control: the session really ends; OWA's own page gets the 440 and one sign-in follows.
    demo.expireSessions();
    await refresh(tab);
    await waitFor(() => extensionPosts(demo) === 1, "the sign-in after the page's own 440");
    // And the tab is brought back: waited for here, so that the clean-up after the test does not
    // close it in the middle of that reload (in CI that once hung the hook and the next test).
    await waitFor(() => reloaded(tab), 'the tab to be reloaded after the sign-in');
    await mailboxWorks(tab);
  });

  it.each([
    ['AD FS', '/adfs/ls/?wa=wsignin1.0'],
    ['TMG', '/CookieAuth.dll?GetLogon?curl=Z2Fowa'],
  ])('a cross-site frame of %s on the OWA host does not turn automatic sign-in off', (_name, path) => crossSiteFrame(ctx, path));
});
