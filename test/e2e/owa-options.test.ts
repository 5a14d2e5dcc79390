// The minimal options form drives the whole protocol: watch a site (asking for its host
// permission in the click), save credentials, opt in, and see the state change live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { launchWithExtension, TEST_LOOPBACK_DIR, type ExtensionBrowser } from './harness/chromium';
import { screenshotPath, waitFor } from './helpers/owa-extension';

const PASSWORD = 'Options-Passw0rd';

describe('options page, test build (127.0.0.1 pre-granted)', () => {
  let ext: ExtensionBrowser;
  let demo: DemoExchange;
  beforeAll(async () => {
    [ext, demo] = await Promise.all([launchWithExtension({ extensionDir: TEST_LOOPBACK_DIR }), startDemoExchange({ generation: '2010', users: { alice: PASSWORD } })]);
  });
  afterAll(async () => {
    await ext?.close();
    await demo?.close();
  });

  it('watches a site, takes credentials, and shows the automatic sign-in happen', async () => {
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.type('#watch-origin', demo.origin);
    await options.click('#watch-button');
    const item = `li.session[data-origin="${demo.origin}"]`;
    await options.waitForSelector(item);
    await options.type(`${item} input[name=username]`, 'alice');
    await options.type(`${item} input[name=password]`, PASSWORD);
    await options.click(`${item} button[type=submit]`);
    await options.click(`${item} input[name=autoRelogin]`);
    await waitFor(() => options.$eval(item, (el) => el.textContent?.includes('credentials: session (alice)') ?? false), 'the credentials to show');
    // The password field is emptied once saved: the page keeps no copy.
    expect(await options.$eval(`${item} input[name=password]`, (el) => (el as HTMLInputElement).value)).toBe('');

    // "Sign in now" signs in with no tab open; the page follows the state over its port.
    await options.click(`${item} button:not([type=submit])`);
    await options.waitForSelector(`${item}[data-status="signed-in"]`);
    expect(demo.logonPosts()).toHaveLength(1);
    expect(await options.$eval(item, (el) => el.textContent)).toMatch(/signed in \(ends in \d+–\d+ min without activity\)/);
    await options.screenshot({ path: screenshotPath('owa-options') });
  });
});

describe('options page, shipped build (no host permission granted)', () => {
  let ext: ExtensionBrowser;
  beforeAll(async () => {
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
  });

  it('asks the browser for exactly that origin, and the worker refuses to watch without it', async () => {
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    // Headless Chromium shows the prompt and no test can answer it: the request stays
    // pending, and nothing is watched meanwhile.
    await options.type('#watch-origin', 'https://mail.example.com');
    await options.click('#watch-button');
    await new Promise((r) => setTimeout(r, 500));
    expect(await options.$$('li.session')).toHaveLength(0);
    const reply = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'ui-bg-watch-origin', origin: 'https://mail.example.com' }));
    expect(reply).toEqual({ type: 'bg-ui-error', error: 'no host permission for https://mail.example.com: request it first' });
    expect(await options.evaluate(() => chrome.permissions.contains({ origins: ['https://mail.example.com/*'] }))).toBe(false);
  });

  it('ships only the permissions it uses and no host permission', async () => {
    const manifest = await ext.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'cookies', 'webRequest', 'scripting', 'declarativeNetRequestWithHostAccess', 'activeTab']);
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
  });
});
