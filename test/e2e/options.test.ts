// The options page in Debian's Chromium: watch a site (asking for its host permission in the
// click), set its timeouts and automatic sign-in, give credentials and see the sign-in happen;
// the device identity; export then import (round trip) with no credential in the file; that the
// permission is asked for and nothing is watched without it. All with the shipped build
// (dist/chrome): a site is allowed as a user does, in Chromium's site-access setting, before the
// page's own button asks for it (headless Chromium shows the prompt to nobody; helpers/grant.ts).
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { grantInSettings } from './helpers/grant';
import { hostPermissionPattern } from '../../src/owa/origin';
import { Control, screenshotPath, waitFor } from './helpers/owa-extension';

const PASSWORD = 'Options-Passw0rd';
const PASSPHRASE = 'an options e2e passphrase';

async function openOptions(ext: ExtensionBrowser): Promise<Page> {
  const page = await ext.browser.newPage();
  await page.setViewport({ width: 900, height: 1000 });
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await page.waitForSelector('#sites');
  return page;
}

describe("options page, shipped build, the site allowed in Chromium's settings", () => {
  let ext: ExtensionBrowser;
  let demo: DemoExchange;
  let downloads: string;
  beforeAll(async () => {
    [ext, demo] = await Promise.all([launchWithExtension(), startDemoExchange({ generation: '2010', users: { alice: PASSWORD } })]);
    downloads = mkdtempSync(join(tmpdir(), 'owa-inspector-downloads-'));
  });
  afterAll(async () => {
    await ext?.close();
    await demo?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('watches a site, takes its timeouts, credentials and opt-in, and shows the automatic sign-in happen', async () => {
    await grantInSettings(ext, hostPermissionPattern(demo.origin));
    const options = await openOptions(ext);
    await options.type('#watch-origin', demo.origin);
    await options.click('#watch-button');
    const site = `section.site[data-origin="${demo.origin}"]`;
    await options.waitForSelector(site);
    expect(await options.$eval(`${site} .permission`, (el) => el.getAttribute('data-granted'))).toBe('true');

    // Timeouts are sent when committed (change), each kind on its own.
    await options.type(`${site} input[name=publicTimeoutMinutes]`, '1');
    await options.keyboard.press('Tab');
    await options.type(`${site} input[name=privateTimeoutMinutes]`, '600');
    await options.keyboard.press('Tab');
    const control = new Control(options);
    await waitFor(async () => (await control.session(demo.origin)).settings.privateTimeoutMinutes === 600, 'the private timeout to be saved');
    expect((await control.session(demo.origin)).settings).toMatchObject({ publicTimeoutMinutes: 1, computer: 'public' });
    expect((await control.session(demo.origin)).timeoutMinutes).toBe(1);

    await options.click(`${site} .credentials button.link`);
    await options.type(`${site} input[name=username]`, 'alice');
    await options.type(`${site} input[name=password]`, PASSWORD);
    await options.click(`${site} input[name=remember]`);
    await options.type(`${site} input[name=passphrase]`, PASSPHRASE);
    await options.click(`${site} .credentials-form button[type=submit]`);
    await options.waitForSelector(`${site} [data-credentials="remembered"]`);
    await options.click(`${site} input[name=autoRelogin]`);
    await waitFor(async () => (await control.session(demo.origin)).settings.autoRelogin, 'auto-relogin on');

    // "Sign in now" signs in with no tab open; the page follows the state over its port.
    await options.click(`${site} button[name=signInNow]`);
    await options.waitForSelector(`${site}[data-status="signed-in"]`);
    expect(demo.logonPosts()).toHaveLength(1);

    // Keyboard: every control is reachable with Tab and shows its focus.
    const focusable = await options.$$eval('input, button, select', (els) => els.filter((el) => (el as HTMLElement).tabIndex >= 0).length);
    expect(focusable).toBeGreaterThan(15);
    await options.screenshot({ path: screenshotPath('screenshots/options'), fullPage: true });
    await options.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await options.screenshot({ path: screenshotPath('screenshots/options-dark'), fullPage: true });
    await options.close();
  });

  it('the device identity and storage mode are saved; export then import gives the same settings, and no credential is in the file', async () => {
    const options = await openOptions(ext);
    await options.waitForSelector('#activesync input[name=deviceId]');
    const deviceId = await options.$eval('#activesync input[name=deviceId]', (el) => (el as HTMLInputElement).value);
    expect(deviceId).toMatch(/^OWAI[0-9A-F]{16}$/);
    await options.$eval('#activesync input[name=model]', (el) => ((el as HTMLInputElement).value = ''));
    await options.type('#activesync input[name=model]', 'E2E Model');
    await options.select('#activesync select[name=protocolVersion]', '16.1');
    await options.click('#save-device');
    await options.waitForSelector('#activesync [role=status]');
    await options.click('input[name=credentialStorage][value=encrypted]');
    const control = new Control(options);

    // Export: a real download of the JSON file.
    const session = await options.createCDPSession();
    await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await options.click('#export');
    const file = await waitFor(async () => readdirSync(downloads).find((f) => f.endsWith('.json') && !f.endsWith('.crdownload')), 'the export download');
    const json = readFileSync(join(downloads, file), 'utf8');
    for (const secret of [PASSWORD, PASSPHRASE, 'alice', 'cadata', 'vault']) expect(json).not.toContain(secret);
    const data = JSON.parse(json);
    expect(data.origins[demo.origin]).toMatchObject({ publicTimeoutMinutes: 1, privateTimeoutMinutes: 600, autoRelogin: true });
    expect(data.activeSync).toMatchObject({ deviceId, model: 'E2E Model', protocolVersion: '16.1' });
    expect(data.prefs).toEqual({ credentialStorage: 'encrypted' });

    // Change things, then import the file back: the exported settings return.
    await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { publicTimeoutMinutes: 30, autoRelogin: false } });
    await control.ok({ type: 'ui-bg-set-device', device: { model: 'Changed' } });
    await control.ok({ type: 'ui-bg-set-prefs', prefs: { credentialStorage: 'memory' } });
    // A second site in the file, and a credential someone added by hand: refused, and said so.
    const edited = join(downloads, 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...data, credentials: { [demo.origin]: { password: 'x' } } }));
    const input = (await options.$('#import')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(edited);
    await options.waitForSelector('.import-report [data-report="applied"]');
    expect(await options.$eval('.import-report', (el) => (el as HTMLElement).innerText)).toMatch(/credentials: credentials and keys are never imported/);
    const view = await control.session(demo.origin);
    expect(view.settings).toMatchObject({ publicTimeoutMinutes: 1, privateTimeoutMinutes: 600, autoRelogin: true });
    // Credentials are untouched by an import (they were never in the file).
    expect(view.credentials).toBe('remembered');
    await waitFor(() => options.$eval('#activesync input[name=model]', (el) => (el as HTMLInputElement).value === 'E2E Model'), 'the device identity to come back');
    expect(await options.$eval('input[name=credentialStorage][value=encrypted]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await options.screenshot({ path: screenshotPath('screenshots/options-import'), fullPage: true });
    await options.close();
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
    const options = await openOptions(ext);
    // Headless Chromium shows the prompt and no test can answer it: the request stays
    // pending, and nothing is watched meanwhile.
    await options.type('#watch-origin', 'https://mail.example.com');
    await options.click('#watch-button');
    // The click sent the worker ui-bg-watch-origin (awaitGrant) beside the prompt. The same page's
    // next message reaches the worker after it and goes through the same permission check
    // first (Sites.watch): its refusal says the click's request was taken up and found no grant.
    const reply = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'ui-bg-watch-origin', origin: 'https://mail.example.com' }));
    expect(reply).toEqual({ type: 'bg-ui-error', error: { key: 'bg_error_no_host_permission', subs: ['https://mail.example.com'] } });
    // Nothing watched meanwhile: not by the worker, not on the page (which shows what it pushes).
    expect(await options.evaluate(() => chrome.runtime.sendMessage({ type: 'ui-bg-get-sessions' }))).toMatchObject({ type: 'bg-ui-sessions', sessions: [] });
    expect(await options.$$('section.site')).toHaveLength(0);
    expect(await options.evaluate(() => chrome.permissions.contains({ origins: ['https://mail.example.com/*'] }))).toBe(false);
  });

  it('an imported site without access waits, listed with a button that asks for it', async () => {
    const options = await openOptions(ext);
    const json = JSON.stringify({ format: 'owa-inspector-settings', version: 1, origins: { 'https://mail.example.org': { autoRelogin: true } } });
    const reply = await options.evaluate((j) => chrome.runtime.sendMessage({ type: 'ui-bg-import-settings', json: j }), json);
    expect(reply).toMatchObject({ report: { needsPermission: ['https://mail.example.org'] } });
    await options.waitForSelector('[data-pending="https://mail.example.org"] button');
    expect(await options.$$('section.site')).toHaveLength(0);
  });

  it('ships only the permissions it uses and no host permission', async () => {
    const manifest = await ext.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'cookies', 'webRequest', 'scripting', 'declarativeNetRequestWithHostAccess', 'activeTab']);
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
  });
});
