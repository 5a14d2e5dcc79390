// Opening capture files in the panel page of the shipped build (dist/chrome, nothing granted at
// install: reading a local file needs no permission), in Debian's Chromium. The capture is a real
// one: Chromium's own network log (DevTools protocol events, helpers/cdp-har.ts) of the demo
// Exchange's web ActiveSync client page, written as HAR. What the panel must show is derived
// without the code under test: commands and statuses from the HAR's URLs and entries read here,
// the FolderSync folder names from libwbxml's wbxml2xml of the response bytes. A cut-off copy of
// the file must be reported on its own line. Then the extension's own FolderSync run (host
// granted like a user) shows in the same list, marked as the extension's, decoded from the
// bytes the worker keeps in memory. Then the other readers in the browser: a flow file written
// by Debian's mitmproxy (mitmdump -w) in front of the demo, a Fiddler SAZ built as Fiddler writes
// one (test/captures/saz-fixture.ts) and an Exchange mailbox log (test/captures/fixtures); their
// bodies checked against libwbxml's wbxml2xml of the same bytes, the mailbox log's against the
// XML the fixture holds; then the summary and the comparison of two rows.
// Screenshots: test-results/screenshots/panel-capture.png, panel-summary.png, panel-diff.png.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { FOLDER_SYNC_OK } from '../captures/helpers';
import { meta, saz } from '../captures/saz-fixture';
import { recordProvisioning, type ProvisioningCapture } from '../integration/helpers/mitmproxy';
import { wbxml2xml } from '../integration/libwbxml';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { recordHar } from './helpers/cdp-har';
import { grantHostLikeAUser } from './helpers/grant';
import { Control, screenshotPath, waitFor } from './helpers/owa-extension';
import { FLAVOURS, signInByHand } from './helpers/owa-pages';
import { captureRows, openPanelTab, clickRow, expectedRows, folderNames, leaves, wholeTreeText, type HarFile } from './helpers/capture-files';

const PASSWORD = 'Demo-Passw0rd';
const CAPTURES = resolve(import.meta.dirname, '../../test-results/captures');
const MAILBOX_LOG = resolve(import.meta.dirname, '../captures/fixtures/mailbox-log-2013.txt');

let ext: ExtensionBrowser;
let demo: DemoExchange;
let harPath: string;
let cutPath: string;
let har: HarFile;
let mitm: ProvisioningCapture;
let sazPath: string;

beforeAll(async () => {
  demo = await startDemoExchange({ generation: '2010', activesync: true, users: { alice: PASSWORD } });
  ext = await launchWithExtension();
  // The capture: a person runs the demo's web ActiveSync client with Chromium's network log on.
  const tab = await signInByHand(
    ext.browser,
    demo,
    FLAVOURS.find((f) => f.generation === '2010')!,
    PASSWORD,
  );
  // Recording from before the page loads: the page, its script and style are other requests.
  const recorder = await recordHar(tab);
  await tab.goto(`${demo.origin}/owa/activesync-client.aspx`);
  await tab.type('#easPassword', PASSWORD);
  await tab.click('#easRunButton');
  await tab.waitForSelector('#easStatus[data-state=done]', { timeout: 20_000 });
  const text = await recorder.har();
  await recorder.stop();
  await tab.close();
  mkdirSync(CAPTURES, { recursive: true });
  harPath = join(CAPTURES, 'demo-chromium.har');
  writeFileSync(harPath, text);
  har = JSON.parse(text) as HarFile;
  // The same file cut off in the middle, as a failed download or a full disk leaves it.
  cutPath = join(CAPTURES, 'cut-off.har');
  writeFileSync(cutPath, text.slice(0, Math.floor(text.length * 0.6)));
  // A device's first contact through mitmdump, as its flow file (the tool's own format).
  mitm = await recordProvisioning(demo.origin, mkdtempSync(join(CAPTURES, 'mitmproxy-')), `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`);
  sazPath = join(CAPTURES, 'fiddler.saz');
  // Fiddler writes timers for every session; the unit tests' archive leaves two out (a row without a time sorts first).
  writeFileSync(
    sazPath,
    zipSync({
      ...saz(),
      'raw/03_m.xml': meta(3, '2013-05-01T10:00:01.0000000+02:00', '2013-05-01T10:00:01.2000000+02:00'),
      'raw/04_m.xml': meta(4, '2013-05-01T10:00:02.0000000+02:00', '2013-05-01T10:00:02.2000000+02:00'),
    }),
  );
}, 120_000);

afterAll(async () => {
  await ext?.close();
  await demo?.close();
});

/** The body of one section of a mailbox log ("ResponseBody : " up to the next blank line). */
function logSection(log: string, name: string, nth: number): string {
  const parts = log.split(`${name} : \n`);
  return parts[nth + 1]!.split(/\n\n/, 1)[0]!.trim();
}

describe('a capture opened in the panel page (shipped build, Chromium)', () => {
  it('the options page links to it', async () => {
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.click('#open-capture');
    const target = await ext.browser.waitForTarget((t) => t.url() === `chrome-extension://${ext.extensionId}/panel.html`, { timeout: 10_000 });
    await (await target.asPage()).close();
    await options.close();
  });

  it("lists Chromium's capture like live traffic, decodes a body as libwbxml does, reports the cut-off copy", async () => {
    const expected = expectedRows(har);
    // OPTIONS, FolderSync 449, Provision ×2, FolderSync, Sync ×2; the page, its script and the
    // logon traffic are other requests.
    expect(expected.map((r) => `${r.command} ${r.http}`)).toEqual(['OPTIONS 200', 'FolderSync 449', 'Provision 200', 'Provision 200', 'FolderSync 200', 'Sync 200', 'Sync 200']);
    const others = har.log.entries.length - expected.length;

    const panel = await openPanelTab(ext);
    const input = await panel.$('input#capture-input');
    if (!input) throw new Error('no file input');
    await input.uploadFile(harPath, cutPath);

    await waitFor(async () => (await captureRows(panel)).length === expected.length, `${expected.length} rows`);
    const rows = await captureRows(panel);
    expect(rows.map((r) => ({ command: r.command, http: r.http, source: r.source }))).toEqual(expected.map((r) => ({ command: r.command, http: r.http, source: 'demo-chromium.har' })));
    // Status names as for live traffic: Provision's Status 1, the 449's FolderSync Status 142.
    expect(rows[1]!.status).toMatch(/^142 /);
    expect(rows[2]!.status).toMatch(/^1 Success/);

    const file = (name: string) =>
      panel.$eval(`.capture-file[data-file="${name}"]`, (el) => ({ state: (el as HTMLElement).dataset.state, readIn: (el as HTMLElement).dataset.readIn, text: el.textContent ?? '' }));
    await waitFor(async () => (await file('cut-off.har')).state !== 'reading', 'the cut-off file to be read');
    // Both were read in the panel's capture worker (capture-worker.js), not in the page.
    expect((await file('demo-chromium.har')).readIn).toBe('worker');
    expect((await file('cut-off.har')).readIn).toBe('worker');
    expect((await file('demo-chromium.har')).text).toContain(`${expected.length} ActiveSync exchanges (har)`);
    expect((await file('demo-chromium.har')).text).toContain(`${others} other requests left out`);
    const cut = await file('cut-off.har');
    expect(cut.text).toMatch(/cut-off\.har.*(JSON|end)/is);

    // The FolderSync that worked: its folders as libwbxml reads the same bytes.
    const folderSync = expected.findIndex((r) => r.command === 'FolderSync' && r.http === '200');
    const names = folderNames(wbxml2xml(expected[folderSync]!.responseBytes));
    expect(names.length).toBeGreaterThan(3);
    await clickRow(panel, folderSync);
    await panel.waitForSelector('.detail .tree-row');
    const tree = await wholeTreeText(panel);
    for (const name of names) expect(tree).toContain(`<DisplayName>${name}</DisplayName>`);

    // The search inside decoded bodies finds the one response with a folder's name.
    await panel.type('input.search', names[names.length - 1]!);
    await waitFor(async () => (await captureRows(panel)).length === 1, 'one row matching the folder name');
    expect((await captureRows(panel))[0]).toMatchObject({ command: 'FolderSync', http: '200' });
    await panel.$eval('input.search', (el) => ((el as HTMLInputElement).value = ''));
    await panel.type('input.search', ' ');
    await panel.keyboard.press('Backspace');
    await waitFor(async () => (await captureRows(panel)).length === expected.length, 'all rows again');
    await clickRow(panel, folderSync);
    await panel.screenshot({ path: screenshotPath('screenshots/panel-capture') });
    await panel.close();
  });

  it('reads a mitmproxy flow file, a Fiddler SAZ and a mailbox log; summary and comparison', async () => {
    // What went through mitmdump, as the client saw it.
    expect(mitm.sent.map((s) => `${s.command} ${s.status}`)).toEqual(['FolderSync 449', 'Provision 200', 'Provision 200', 'FolderSync 200']);
    const panel = await openPanelTab(ext);
    const input = await panel.$('input#capture-input');
    if (!input) throw new Error('no file input');
    await input.uploadFile(mitm.flowFile, sazPath, MAILBOX_LOG);
    const names = { flow: 'eas.flow', saz: 'fiddler.saz', log: 'mailbox-log-2013.txt' };
    await waitFor(async () => (await captureRows(panel)).length === 11, '11 rows');
    const file = (name: string) => panel.$eval(`.capture-file[data-file="${name}"]`, (el) => el.textContent ?? '');
    expect(await file(names.flow)).toContain('4 ActiveSync exchanges (mitmproxy)');
    expect(await file(names.flow)).toContain('1 other requests left out');
    expect(await file(names.saz)).toContain('3 ActiveSync exchanges (saz)');
    expect(await file(names.saz)).toContain('1 other requests left out');
    expect(await file(names.log)).toContain('4 ActiveSync exchanges (mailbox-log)');
    expect(await panel.$$('.capture-file .problem')).toHaveLength(0);

    // In time order: the SAZ (May 2013), the mailbox log (October 2013), the flow file (today).
    const rows = await captureRows(panel);
    expect(rows.map((r) => `${r.source} ${r.command} ${r.http}`)).toEqual([
      `${names.saz} FolderSync 449`,
      `${names.saz} FolderSync 200`,
      `${names.saz} FolderSync 200`,
      `${names.log} Provision 200`,
      `${names.log} Provision 200`,
      `${names.log} FolderSync 200`,
      `${names.log} Ping 200`,
      ...mitm.sent.map((s) => `${names.flow} ${s.command} ${s.status}`),
    ]);
    // The written Status of each: 142 in the 449's body, Ping's 3 from the log's XML.
    expect(rows.map((r) => r.status.split(' ')[0])).toEqual(['142', '1', '1', '1', '1', '1', '3', '142', '1', '1', '1']);

    // The SAZ's chunked, gzipped FolderSync: the tree holds what libwbxml reads in the bytes.
    await clickRow(panel, 1);
    await panel.waitForSelector('.detail .tree-row');
    const sazLeaves = leaves(wbxml2xml(FOLDER_SYNC_OK));
    expect(sazLeaves).toEqual(['<Status>1</Status>', '<SyncKey>1</SyncKey>']);
    const sazTree = await wholeTreeText(panel);
    for (const leaf of sazLeaves) expect(sazTree).toContain(leaf);

    // The flow file's last FolderSync: the demo's folders as libwbxml reads the recorded bytes.
    await clickRow(panel, 10);
    await panel.waitForSelector('.detail .tree-row');
    const folders = folderNames(wbxml2xml(mitm.sent[3]!.response));
    expect(folders.length).toBeGreaterThan(3);
    const flowTree = await wholeTreeText(panel);
    for (const name of folders) expect(flowTree).toContain(`<DisplayName>${name}</DisplayName>`);

    // The mailbox log's first Provision: its bodies are XML already, shown as the log writes them.
    await clickRow(panel, 3);
    const log = readFileSync(MAILBOX_LOG, 'utf8').replace(/\r\n/g, '\n');
    const shownResponse = await panel.waitForSelector('.detail .xml-body').then((el) => el!.evaluate((e) => e.textContent ?? ''));
    expect(shownResponse.trim()).toBe(logSection(log, 'ResponseBody', 0));
    await panel.click('#tab-request');
    const shownRequest = await panel.$eval('.detail .xml-body', (e) => e.textContent ?? '');
    expect(shownRequest.trim()).toBe(logSection(log, 'RequestBody', 0));
    expect(shownRequest).toContain('<PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>');

    // The summary of the three files: three devices, the 449s, the log's Ping Status 3.
    await panel.click('.view-switch button:nth-child(2)');
    await panel.waitForSelector('.summary-view');
    const devices = await panel.$$eval('.summary-section[data-section="devices"] tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    expect(devices.sort()).toEqual(['6F24CAD599A5BF1A690246B8C68FAE8D', 'ABC', 'MITMDEVICE1']);
    const http = await panel.$$eval('.summary-section[data-section="http-failures"] tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(http).toEqual([expect.stringMatching(/^449 .*2$/)]);
    await panel.screenshot({ path: screenshotPath('screenshots/panel-summary') });

    // The SAZ's 449 (<Status>142</Status> only) compared with the flow file's last FolderSync:
    // the Status changed, the SyncKey and the folders were added; both requests are the same
    // FolderSync with SyncKey 0 (one written by hand, one by libwbxml).
    await panel.click('.view-switch button:nth-child(1)');
    await clickRow(panel, 0);
    await panel.keyboard.down('Control');
    await clickRow(panel, 10);
    await panel.keyboard.up('Control');
    await panel.waitForSelector('.diff-view');
    const response = await panel.$$eval('.diff-side[data-side="response"] .diff-change', (lis) =>
      lis.map((li) => `${(li as HTMLElement).dataset.kind} ${(li as HTMLElement).dataset.path} ${li.querySelector('.values')?.textContent ?? ''}`),
    );
    expect(response).toEqual([
      'changed FolderSync/Status 142 → 1',
      expect.stringMatching(/^added FolderSync\/SyncKey \S+$/),
      expect.stringMatching(/^added FolderSync\/Changes \(\d+ children\)$/),
    ]);
    expect(await panel.$$('.diff-side[data-side="request"] .diff-change')).toHaveLength(0);
    await panel.screenshot({ path: screenshotPath('screenshots/panel-diff') });
    await panel.close();
  });

  it("the extension's own FolderSync shows too, marked as its own, decoded from the bytes the worker kept", async () => {
    await grantHostLikeAUser(ext, 'http://127.0.0.1/*');
    const control = await Control.open(ext);
    const reply = await control.send({ type: 'ui-bg-eas-send', command: 'FolderSync', server: demo.origin, user: 'alice', password: PASSWORD, protocolVersion: '14.1' });
    expect(reply.type).toBe('bg-ui-eas-run');
    const panel = await openPanelTab(ext);
    const own = await waitFor(async () => {
      const rows = await captureRows(panel);
      const mine = rows.filter((r) => r.source === 'extension');
      return mine.some((r) => r.command === 'FolderSync' && r.http === '200') ? mine : null;
    }, "the extension's FolderSync in the list");
    expect(own.map((r) => r.command)).toContain('Provision');
    await panel.click('.list-row[data-source="extension"][data-command="FolderSync"]:not(.problem)');
    // A tree (bytes from the worker), not the XML text the stored run keeps.
    await panel.waitForSelector('.detail .tree-row');
    expect(await wholeTreeText(panel)).toContain('<DisplayName>Inbox</DisplayName>');
    const headers = await (async () => {
      await panel.click('#tab-headers');
      return panel.$eval('.detail .headers', (el) => el.textContent ?? '');
    })();
    expect(headers).not.toContain(Buffer.from(`alice:${PASSWORD}`).toString('base64'));
    await panel.close();
    await (control.page as Page).close();
  });
});
