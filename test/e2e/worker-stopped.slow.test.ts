// A service worker stopped while its own automatic sign-in waits for the server's answer: the
// next worker must settle it as a spent attempt and sign in again only after the pause that
// follows a failed attempt (30 s of the extension's own clock, hence a slow file, run beside the
// others). The shipped build in Debian's Chromium against the demo Exchange 2010.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { watchWithAutoSignIn } from './helpers/grant';
import { Control, currentWorker, waitFor } from './helpers/owa-extension';
import { expectPasswordsOnlyInLogonPosts, extensionPosts, FLAVOURS, mailboxWorks, mark, refresh, reloaded, signInByHand as signInWith } from './helpers/owa-pages';

const PASSWORD = 'Stopped-Passw0rd-e2e';

let ext: ExtensionBrowser;
let control: Control;
const demos: DemoExchange[] = [];

beforeAll(async () => {
  ext = await launchWithExtension();
  control = await Control.open(ext);
});

afterAll(async () => {
  await ext?.close();
  await Promise.all(demos.map((d) => d.close()));
});

describe('a service worker stopped during its own sign-in (Exchange 2010)', () => {
  const flavour = FLAVOURS.find((f) => f.generation === '2010')!;

  it('the next start settles it at once as a spent attempt (never posting again while the first may have gone through); after the usual pause one sign-in brings the tab back', async () => {
    const demo = await startDemoExchange({ generation: flavour.generation, users: { alice: PASSWORD }, checkOrigin: flavour.checkOrigin });
    demos.push(demo);
    await watchWithAutoSignIn(ext, control, demo.origin, 'CONTOSO\\alice', PASSWORD);
    const tab = await signInWith(ext.browser, demo, flavour, PASSWORD);
    await control.waitForStatus(demo.origin, 'signed-in');
    await mark(tab);
    // The server takes the automatic sign-in's POST but is slow to answer it...
    demo.holdLogonPosts(1);
    demo.expireSessions();
    await refresh(tab);
    await waitFor(() => demo.heldLogonPosts() === 1, "the automatic sign-in's POST to reach the server");
    // ...and the worker is stopped meanwhile: the answer comes to nobody.
    const running = () => ext.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(ext.extensionId));
    await (await currentWorker(ext)).close();
    await waitFor(() => !running(), 'the worker to stop');
    demo.releaseLogonPosts();
    // The tab's next 440 wakes the worker, which settles the cut-off sign-in as it starts (the
    // check alarm would do so only a minute after the sign-in began, and the pause follow it).
    await refresh(tab);
    await waitFor(async () => (await control.session(demo.origin)).lastSignIn?.outcome === 'error', 'the cut-off sign-in to be settled as failed', 10_000);
    const settled = await control.session(demo.origin);
    expect(settled.lastSignIn?.detail).toEqual({ key: 'bg_error_worker_stopped' });
    // The cut-off sign-in's header rule (a session rule, which outlives the worker) is gone.
    expect(await (await currentWorker(ext)).evaluate(() => chrome.declarativeNetRequest.getSessionRules().then((rules) => rules.length))).toBe(0);
    expect(extensionPosts(demo)).toBe(1);
    // The first pause after a failed attempt is 30 s; then exactly one more sign-in.
    await waitFor(() => reloaded(tab), 'the tab to be brought back after the pause', 50_000);
    await mailboxWorks(tab);
    expect(await control.session(demo.origin)).toMatchObject({ status: 'signed-in', lastSignIn: { outcome: 'success' } });
    expect(extensionPosts(demo)).toBe(2);
    const timeline = await control.send({ type: 'ui-bg-get-timeline', origin: demo.origin });
    const kinds = timeline.type === 'bg-ui-timeline' ? timeline.events.map((e) => e.kind) : [];
    expect(kinds.filter((k) => k === 'sign-in-started')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'sign-in-failed')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'sign-in-succeeded')).toHaveLength(1);
    expectPasswordsOnlyInLogonPosts(demo, flavour, [PASSWORD]);
  }, 90_000);
});
