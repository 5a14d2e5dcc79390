// The build users install (dist/chrome: no host granted at install) in Debian's Chromium, with
// the host granted the way a user grants it (Chromium's own site-access setting, then the
// extension's button: see helpers/grant.ts). The worker that runs is the one that started
// before the grant, never restarted: what a new user meets in the first minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { grantHostLikeAUser } from './helpers/grant';
import { Control, currentWorker, waitFor } from './helpers/owa-extension';
import { extensionPosts, FLAVOURS, mailboxWorks, mark, refresh, signInByHand } from './helpers/owa-pages';

const PASSWORD = 'Shipped-Passw0rd-e2e';
const flavour = FLAVOURS.find((f) => f.generation === '2010')!;

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

/** Marks the running worker, to tell later whether it is still the same one. */
async function markWorker(value: string): Promise<void> {
  await (await currentWorker(ext)).evaluate((v) => ((globalThis as { testMark?: string }).testMark = v), value);
}

async function workerMark(): Promise<string | undefined> {
  return (await currentWorker(ext)).evaluate(() => (globalThis as { testMark?: string }).testMark);
}

describe('the shipped build, host granted like a user, worker started before the grant', () => {
  it('sees the site at once: a sign-out by hand stays a sign-out; a 440 gets one automatic sign-in', async () => {
    const demo = await startDemoExchange({ generation: flavour.generation, users: { alice: PASSWORD }, checkOrigin: flavour.checkOrigin });
    demos.push(demo);
    expect((await control.send({ type: 'ui-bg-ping' })).type).toBe('bg-ui-pong');
    await markWorker('started before the grant');
    // Nothing granted at install: the worker may not watch the site yet.
    expect(await control.send({ type: 'ui-bg-watch-origin', origin: demo.origin })).toMatchObject({ type: 'bg-ui-error' });

    await grantHostLikeAUser(ext, 'http://127.0.0.1/*');
    await control.ok({ type: 'ui-bg-watch-origin', origin: demo.origin });
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { autoRelogin: true } });
    await control.ok({ type: 'ui-bg-set-credentials', origin: demo.origin, username: 'CONTOSO\\alice', password: PASSWORD, remember: false });

    // Signing out by hand: the worker must see the logoff request itself. Without its webRequest
    // listeners it sees only the cookies cleared, takes that for the server ending the session,
    // and signs the user back in.
    const tab = await signInByHand(ext.browser, demo, flavour, PASSWORD);
    await control.waitForStatus(demo.origin, 'signed-in');
    await Promise.all([tab.waitForNavigation(), tab.click('#signOutButton')]);
    await control.waitForStatus(demo.origin, 'signed-out');
    const timeline = await control.send({ type: 'ui-bg-get-timeline', origin: demo.origin });
    expect(timeline.type === 'bg-ui-timeline' && timeline.events.map((e) => e.kind)).toContain('logoff');
    expect(extensionPosts(demo)).toBe(0);

    // A 440 is seen and repaired, once.
    await signInByHand(ext.browser, demo, flavour, PASSWORD, tab);
    await control.waitForStatus(demo.origin, 'signed-in');
    await mark(tab);
    demo.expireSessions();
    await refresh(tab);
    await waitFor(() => extensionPosts(demo) === 1, 'the automatic sign-in after the 440');
    await mailboxWorks(tab);
    const view = await control.session(demo.origin);
    expect(view.last440).not.toBeNull();
    expect(extensionPosts(demo)).toBe(1);

    // All of it by the worker that started before the grant.
    expect(await workerMark()).toBe('started before the grant');
  });
});
