// The expiry warning as a desktop notification, in Debian's Chromium against the demo Exchange.
// The shipped build with one change: `notifications` granted at install. The options page asks
// for it with permissions.request(), whose prompt headless Chromium shows to nobody, and unlike a
// host, Chromium's own extension settings (chrome://extensions) have no switch that grants an
// optional API permission (tried: the request never resolves, with or without
// --apps-gallery-install-auto-confirm-for-tests). The demo's host is granted as a user does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { launchWithExtension, shippedBuildCopy, type ExtensionBrowser } from './harness/chromium';
import { grantOriginLikeAUser } from './helpers/grant';
import { Control, waitFor } from './helpers/owa-extension';
import { stopPolling } from './helpers/owa-pages';

const PASSWORD = 'Notify-Passw0rd-e2e';

let ext: ExtensionBrowser;
let control: Control;
let demo: DemoExchange;
const build = shippedBuildCopy({ grantAtInstall: ['notifications'] });

beforeAll(async () => {
  demo = await startDemoExchange({ generation: '2010', users: { alice: PASSWORD } });
  ext = await launchWithExtension({ extensionDir: build.dir });
  control = await Control.open(ext);
});

afterAll(async () => {
  await ext?.close();
  await demo?.close();
  build.remove();
});

type Shown = Record<string, unknown>;
const notifications = (): Promise<Shown> => control.page.evaluate(() => chrome.notifications.getAll()) as Promise<Shown>;

describe('expiry warning notification', () => {
  it('warns once per activity, naming the site, when the session enters the warning lead with notifications on; none while they are off', async () => {
    await grantOriginLikeAUser(ext, demo.origin);
    await control.ok({ type: 'ui-bg-watch-origin', origin: demo.origin });
    const tab = await ext.browser.newPage();
    await tab.goto(`${demo.origin}/owa/`);
    await tab.type('#username', 'alice');
    await tab.type('#password', PASSWORD);
    await Promise.all([tab.waitForNavigation(), tab.click('#signInButton')]);
    await control.waitForStatus(demo.origin, 'signed-in');
    // The page's polling counts as activity, which puts the session back to signed-in until the
    // next tick (30 s): without it the lead entered below stays entered.
    await stopPolling(tab);

    // Notifications off (the default): the session enters the warning lead, and nothing is shown.
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { timeoutMinutes: 1, warnMinutes: 1 } });
    await control.waitForStatus(demo.origin, 'expiring');
    // A settings change runs a check and answers after it (and after any notification it shows):
    // a check in the warning lead, the one that would warn, has run with notifications off.
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { warnMinutes: 1 } });
    expect((await control.session(demo.origin)).status).toBe('expiring');
    expect(await notifications()).toEqual({});

    // On: the next check warns, under an id that names the site.
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { notify: true } });
    const shown = await waitFor(async () => {
      const all = await notifications();
      return Object.keys(all).length ? all : null;
    }, 'the expiry notification');
    expect(Object.keys(shown)).toEqual([`owa:${demo.origin}`]);
    // The user dismisses it; later checks for the same activity do not raise it again.
    await control.page.evaluate((id) => chrome.notifications.clear(id), `owa:${demo.origin}`);
    expect(await notifications()).toEqual({});
    // This change's check, answered only after it ran, is a later check for the same activity.
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { warnMinutes: 1 } });
    expect((await control.session(demo.origin)).status).toBe('expiring');
    expect(await notifications()).toEqual({});
  });
});
