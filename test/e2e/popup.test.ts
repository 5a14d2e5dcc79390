// The real toolbar popup in Debian's Chromium, shipped build (nothing granted at install): opened over
// a demo OWA tab it watches the site, counts the session down, shows the 440 and the automatic
// sign-in; its Provision runs against the demo Exchange and the real Horde server, shows the
// steps, the policy table and the final key, and a remote wipe as an alarm. Screenshots go to
// test-results/screenshots/ for a person to look at. Hosts are granted as a user does: in
// Chromium's site-access setting (helpers/grant.ts), then the popup's own button asks for them.
// The build is a copy of dist/chrome with one page added, `peer-blank.html`, the blank page the
// popup's opening time is compared with: it must be a page of the same extension, and the
// shipped build has no reason to carry it. Its manifest is the shipped one.
import type { Page } from 'puppeteer-core';
import { PRODUCT_USER_AGENT } from '../../src/shared/version';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { startHorde, type HordeServer } from '../integration/horde/server';
import { launchWithExtension, shippedBuildCopy, type ExtensionBrowser } from './harness/chromium';
import { grantInSettings } from './helpers/grant';
import { hostPermissionPattern } from '../../src/owa/origin';
import { clickEnabled, currentWorker, openActionPopup, privateStore, recordConsole, screenshotPath, waitFor } from './helpers/owa-extension';

const PASSWORD = 'Popup-Passw0rd-e2e';
const HORDE_PASSWORD = 'Horde-Passw0rd-e2e';

let ext: ExtensionBrowser;
let demo: DemoExchange;
let horde: HordeServer;
let consoleLines: string[];
const build = shippedBuildCopy({
  files: {
    'peer-blank.html': '<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>blank</title></head><body><p>blank</p><script src="peer-blank.js"></script></body></html>\n',
    'peer-blank.js': 'document.documentElement.dataset.interactiveMs = performance.now().toFixed(1);\n',
  },
});

/** The user's "Allow" for the host of `origin`, given in Chromium's settings before the popup's button asks for it. */
const allow = (origin: string) => grantInSettings(ext, hostPermissionPattern(origin));

beforeAll(async () => {
  [ext, demo, horde] = await Promise.all([
    launchWithExtension({ extensionDir: build.dir }),
    startDemoExchange({ generation: '2010', activesync: true, users: { alice: PASSWORD } }),
    startHorde({
      policy: { DevicePasswordEnabled: true, MinDevicePasswordLength: '6', MaxInactivityTimeDeviceLock: '900', AllowCamera: '0', RequireDeviceEncryption: '1' },
      password: HORDE_PASSWORD,
      remoteWipe: ['WIPEPOPUP'],
    }),
  ]);
  consoleLines = recordConsole(ext.browser);
});

afterAll(async () => {
  await ext?.close();
  await Promise.all([demo?.close(), horde?.stop()]);
  build.remove();
});

/** popup.html in a tab of its own (the same page; wide enough for the Provision results). */
async function popupInTab(): Promise<Page> {
  const page = await ext.browser.newPage();
  await page.setViewport({ width: 400, height: 900 });
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  await page.waitForSelector('html[data-interactive-ms]');
  return page;
}

/** A screenshot of all the popup's content: the 600 px cap lifted, as if the popup scrolled through. */
async function fullScreenshot(page: Page, name: string): Promise<void> {
  const style = await page.addStyleTag({ content: 'html, body { overflow: visible !important; } .popup { max-height: none !important; }' });
  const height = await page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
  await page.setViewport({ width: 400, height });
  await page.screenshot({ path: screenshotPath(name) });
  await page.setViewport({ width: 400, height: 900 });
  await style.evaluate((el) => el.remove());
}

async function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => (el as HTMLElement).innerText);
}

/**
 * Whether a secret is anywhere in storage but where OWA credentials entered "for this browser
 * session" are meant to be (storage.session's `secrets`, memory only, never content scripts).
 */
async function storageHolds(secret: string): Promise<boolean> {
  const worker = await currentWorker(ext);
  const dump = await worker.evaluate(async () => {
    const { secrets: _kept, ...session } = await chrome.storage.session.get(null);
    return JSON.stringify([await chrome.storage.local.get(null), session]);
  });
  // And the extension's IndexedDB (vault, settings, policy keys), read from one of its pages.
  const page = await ext.browser.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  const kept = JSON.stringify(await privateStore(page));
  await page.close();
  return dump.includes(secret) || kept.includes(secret);
}

async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(selector, value);
}

describe('toolbar popup', () => {
  it('opens fast: prints its time to interactive beside a blank page in the same action popup, with the worker running and stopped', async () => {
    const tab = await ext.browser.newPage();
    await tab.goto(`${demo.origin}/owa/`);
    const figures: Record<'blank' | 'popup' | 'own' | 'coldBlank' | 'coldPopup' | 'coldOwn', number[]> = { blank: [], popup: [], own: [], coldBlank: [], coldPopup: [], coldOwn: [] };
    // What the page itself knows, read independently of the two figures it printed.
    const timingOf = () => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return {
        marks: performance.getEntriesByName('popup-script-start').map((m) => m.startTime),
        responseEnd: nav?.responseEnd ?? -1,
        loading: document.getElementById('app')!.textContent!.includes('Loading'),
      };
    };
    const checks: Array<{ total: number; own: number } & ReturnType<typeof timingOf>> = [];
    // Each page opened in the action popup chooses the next one (extension pages may call chrome.action).
    const open = async (file: 'popup.html' | 'peer-blank.html', next: 'popup.html' | 'peer-blank.html') => {
      const page = await openActionPopup(ext, tab, file, 'html[data-interactive-ms]');
      const [total, own] = await page.$eval('html', (el) => [Number(el.getAttribute('data-interactive-ms')), Number(el.getAttribute('data-own-ms'))]);
      if (file === 'popup.html') checks.push({ total: total!, own: own!, ...(await page.evaluate(timingOf)) });
      await page.evaluate((popup) => chrome.action.setPopup({ popup }), next);
      await page.close();
      return [total!, own!] as const;
    };
    // With the worker stopped and no extension page open the extension has no process: the next
    // page pays for a new one, as the first popup after a while of idleness does.
    const stopWorker = async () => {
      const running = () => ext.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(ext.extensionId));
      if (running()) await (await currentWorker(ext)).close();
      await waitFor(() => !running(), 'the worker to stop');
    };
    for (let i = 0; i < 5; i++) {
      const [total, own] = await open('popup.html', 'peer-blank.html');
      figures.popup.push(total);
      figures.own.push(own);
      figures.blank.push((await open('peer-blank.html', 'popup.html'))[0]);
    }
    for (let i = 0; i < 3; i++) {
      await stopWorker();
      const [total, own] = await open('popup.html', 'peer-blank.html');
      figures.coldPopup.push(total);
      figures.coldOwn.push(own);
      await stopWorker();
      figures.coldBlank.push((await open('peer-blank.html', 'popup.html'))[0]);
    }
    await tab.close();
    // A measurement to report, not a timed assertion (the machine is shared). The blank page is
    // the peer: what the browser takes for any page in the action popup before its script runs.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const line = (values: number[]) => `median ${median(values).toFixed(1)} ms (${values.map((v) => v.toFixed(1)).join(', ')})`;
    console.log(
      [
        "popup time to interactive, from navigation start (popup: first render with the worker's data; blank page: its script ran):",
        `  worker running:  popup ${line(figures.popup)}`,
        `                   of it after the popup's script started ${line(figures.own)}`,
        `                   blank page ${line(figures.blank)}`,
        `  worker stopped:  popup ${line(figures.coldPopup)}`,
        `                   of it after the popup's script started ${line(figures.coldOwn)}`,
        `                   blank page ${line(figures.coldBlank)}`,
      ].join('\n'),
    );
    // The split is measured, not derived: "own" runs from the one mark the popup's first module
    // sets, which the browser placed after the document's bytes arrived, and "interactive" is a
    // render that already shows the worker's data.
    expect(checks).toHaveLength(8);
    for (const check of checks) {
      expect(check.marks, JSON.stringify(check)).toHaveLength(1);
      const [mark] = check.marks as [number];
      expect(Math.abs(check.total - check.own - mark), JSON.stringify(check)).toBeLessThanOrEqual(0.15);
      expect(check.responseEnd, JSON.stringify(check)).toBeGreaterThan(0);
      expect(mark, JSON.stringify(check)).toBeGreaterThanOrEqual(check.responseEnd);
      expect(check.own, JSON.stringify(check)).toBeGreaterThan(0);
      expect(check.loading, JSON.stringify(check)).toBe(false);
    }
  });

  it('over an OWA tab: watch this site, sign in by hand, the card counts down; a 440 and the automatic sign-in show', async () => {
    const tab = await ext.browser.newPage();
    await tab.goto(`${demo.origin}/owa/`);
    await tab.waitForSelector('#username');
    // Before the popup opens: the settings page would take the focus and close it.
    await allow(demo.origin);
    let popup = await openActionPopup(ext, tab);
    expect(await text(popup, '.watch-current')).toContain(new URL(demo.origin).host);
    await popup.click('#watch-current');
    const card = `article.card[data-origin="${demo.origin}"]`;
    await popup.waitForSelector(card);
    await popup.close();

    // The user signs in by hand through the real logon form.
    await tab.type('#username', 'alice');
    await tab.type('#password', PASSWORD);
    await Promise.all([tab.waitForNavigation(), tab.click('#signInButton')]);
    await waitFor(() => tab.evaluate(() => document.querySelector('#serviceStatus')?.getAttribute('data-state') === 'ok'), 'the mailbox to work');

    popup = await openActionPopup(ext, tab);
    await popup.waitForSelector(`${card}[data-status="signed-in"] .countdown`);
    expect(await text(popup, `${card} .last-440`)).toBe('none seen');
    const first = await text(popup, `${card} .countdown`);
    expect(first).toMatch(/^\d+:\d\d$/);
    // It counts down live (the popup's clock; the worker's estimate).
    await waitFor(async () => (await text(popup, `${card} .countdown`)) !== first, 'the countdown to change');
    expect(await text(popup, `${card} .expiry`)).toMatch(/T = 15 min to 22.5 min after your last activity/);

    // Credentials and auto-relogin from the card.
    await popup.click(`${card} .credentials button.link`);
    await popup.type(`${card} input[name=username]`, 'alice');
    await popup.type(`${card} input[name=password]`, PASSWORD);
    await popup.click(`${card} .credentials-form button[type=submit]`);
    await popup.waitForSelector(`${card} [data-credentials="session"]`);
    await popup.click(`${card} input[name=autoRelogin]`);
    await waitFor(() => popup.$eval(`${card} input[name=autoRelogin]`, (el) => (el as HTMLInputElement).checked), 'auto-relogin on');

    // The server ends the session; the mailbox's next request gets a 440; the extension signs in again.
    demo.expireSessions();
    await tab.evaluate(() => (document.getElementById('refreshButton') as HTMLButtonElement).click());
    await popup.waitForSelector(`${card} .last-sign-in[data-outcome="success"]`, { timeout: 20_000 });
    // The 440's own Set-Cookie clearing may start the sign-in before the 440 itself is handled.
    await waitFor(async () => /ago\)$/.test(await text(popup, `${card} .last-440`)), 'the last 440 to show');
    expect(await text(popup, `${card} .last-sign-in`)).toMatch(/succeeded: signed in again/);
    await popup.waitForSelector(`${card}[data-status="signed-in"] .countdown`);
    await popup.screenshot({ path: screenshotPath('screenshots/popup-session') });
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await popup.screenshot({ path: screenshotPath('screenshots/popup-session-dark') });
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);

    // The session timeline, pushed on its port: what the browser showed and what we did.
    await popup.click(`${card} .timeline-box summary`);
    await waitFor(async () => {
      const kinds = await popup.$$eval(`${card} ol.timeline li`, (lis) => lis.map((li) => li.getAttribute('data-kind')));
      return ['logon-post', 'cookie-set', '440', 'sign-in-started', 'sign-in-succeeded'].every((k) => kinds.includes(k));
    }, 'the timeline to show the sign-in by hand, the 440 and the automatic sign-in');
    const timeline = await text(popup, `${card} ol.timeline`);
    expect(timeline).toMatch(/440 Login Timeout HTTP 440 Login Timeout: the server ended the session/);
    expect(timeline).not.toContain(PASSWORD);
    await popup.screenshot({ path: screenshotPath('screenshots/popup-timeline') });
    await popup.close();
    await tab.close();
    expect(await storageHolds(PASSWORD)).toBe(false);
  });

  it('Provision against the demo Exchange: versions, steps, the policy table, the final key; FolderSync with it', async () => {
    const page = await popupInTab();
    await page.click('#tab-provision');
    await fill(page, 'input[name=server]', demo.origin);
    await allow(demo.origin);
    await page.type('input[name=easUser]', 'alice');
    await page.type('input[name=easPassword]', PASSWORD);
    await clickEnabled(page, '#discover');
    await page.waitForSelector('.run[data-kind="options"][data-state="done"]');
    expect(await text(page, '.versions')).toContain('2.5, 12.0, 12.1, 14.0, 14.1, 16.0, 16.1');
    await page.select('select[name=version]', '16.1');
    await clickEnabled(page, '#run-provision');
    await page.waitForSelector('.run[data-kind="provision"][data-state="done"]');
    expect(await text(page, '.run .final-key')).toMatch(/^\d+$/);
    expect(await text(page, '.run .temporary-key')).toMatch(/^\d+$/);
    const rows = await page.$$eval('table.policy tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\u200b/g, '')));
    expect(rows.some((r) => /MinDevicePasswordLength\s+6\s+The device password must be at least 6 characters long/.test(r))).toBe(true);
    const steps = await page.$$eval('ol.trace > li', (lis) => lis.map((li) => (li as HTMLElement).innerText));
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatch(/Provision: policy request \(phase 1\)\s+HTTP 200 OK/);
    expect(steps[0]).toMatch(/Policy Status 1 Success: The policy was sent/);
    await fullScreenshot(page, 'screenshots/popup-provision');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await fullScreenshot(page, 'screenshots/popup-provision-dark');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);

    const finalKey = await text(page, '.run .final-key');
    await clickEnabled(page, '#send-foldersync');
    await page.waitForSelector('.run[data-kind="send"][data-state="done"]');
    expect(await text(page, '.command-result')).toMatch(/FolderSync: HTTP 200, Status 1 Success/);
    expect(await text(page, '.run .final-key')).toBe(finalKey);
    // The password went only to the demo's ActiveSync endpoint, and is nowhere in storage.
    expect(await storageHolds(PASSWORD)).toBe(false);
    const basic = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
    for (const request of demo.requests) {
      if (request.headers.authorization === basic) expect(request.url.toLowerCase()).toMatch(/^\/microsoft-server-activesync/);
    }
    // The server saw the User-Agent the trace shows (Chromium would send its own without the
    // worker's header rule).
    const easRequests = demo.requests.filter((r) => r.headers.authorization === basic);
    expect(easRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of easRequests) expect(request.headers['user-agent']).toBe(PRODUCT_USER_AGENT);
    // A re-opened popup shows the last run (kept by the worker in storage.session).
    await page.close();
    const again = await popupInTab();
    await again.click('#tab-provision');
    await again.waitForSelector('.run[data-kind="send"][data-state="done"]');
    await again.close();
  });

  it('Provision against the real Horde ActiveSync server, then its remote wipe as an alarm, never acknowledged', async () => {
    const page = await popupInTab();
    await page.click('#tab-provision');
    await fill(page, 'input[name=server]', horde.url);
    await allow(horde.url);
    await page.type('input[name=easUser]', horde.user);
    await page.type('input[name=easPassword]', HORDE_PASSWORD);
    await clickEnabled(page, '#discover');
    await page.waitForSelector('.run[data-kind="options"][data-state="done"]');
    expect(await page.$eval('select[name=version]', (el) => (el as HTMLSelectElement).value)).toBe('14.1');
    await clickEnabled(page, '#run-provision');
    await page.waitForSelector('.run[data-kind="provision"][data-state="done"]', { timeout: 20_000 });
    expect(await text(page, '.run .final-key')).toMatch(/^\d+$/);
    const names = await page.$$eval('table.policy tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-setting')));
    expect(names).toEqual(expect.arrayContaining(['DevicePasswordEnabled', 'MinDevicePasswordLength', 'AllowCamera', 'RequireDeviceEncryption']));
    await fullScreenshot(page, 'screenshots/popup-provision-horde');

    // A device Horde wants wiped (from its second request on).
    await page.click('details.device summary');
    await fill(page, 'details.device input[name=deviceId]', 'WIPEPOPUP');
    await clickEnabled(page, '#send-foldersync');
    await page.waitForSelector('.run[data-kind="send"]:not([data-state="running"])', { timeout: 20_000 });
    await clickEnabled(page, '#run-provision');
    await page.waitForSelector('.run[data-kind="provision"][data-state="remote-wipe"] .wipe-alarm', { timeout: 20_000 });
    expect(await text(page, '.wipe-alarm')).toMatch(/REMOTE WIPE[\s\S]*did NOT acknowledge/i);
    const steps = await page.$$eval('ol.trace .step-name', (els) => els.map((el) => el.textContent));
    expect(steps).toEqual(['Provision: policy request (phase 1)']);
    await fullScreenshot(page, 'screenshots/popup-remote-wipe');
    await page.close();
    expect(await storageHolds(HORDE_PASSWORD)).toBe(false);
    expect(consoleLines.join('\n')).not.toContain(HORDE_PASSWORD);
    expect(consoleLines.join('\n')).not.toContain(PASSWORD);
  });
});
