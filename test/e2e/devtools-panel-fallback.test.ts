// The panel page in a tab, with a stand-in for chrome.devtools fed HAR entries in Chrome's and
// in Firefox's shape: the fallback for devtools-panel.test.ts (which needs an internal DevTools
// module), and the test that a 10 MB Sync response keeps the DOM small.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncResponse } from '../../benchmark/sync-response';
import { FOLDERSYNC_142, FOLDERSYNC_REQUEST, FOLDERSYNC_RESPONSE, harEntry, ORIGIN, PROVISION_REQUEST, PROVISION_RESPONSE } from '../ui/devtools/fixtures';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { feedPanel, stubDevtools } from './harness/panel-stub';
import { screenshotPath } from './helpers/owa-extension';

/** The virtual views must keep the DOM to what is on screen, whatever the size of the data. */
const MAX_DOM_ROWS = 200;

let ext: ExtensionBrowser;
let page: Page;
const errors: string[] = [];

const sortedText = (selector: string): Promise<string[]> =>
  page.$$eval(selector, (els) => els.sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top)).map((el) => el.textContent ?? ''));
const treeState = () =>
  page.$eval('.tree', (el) => ({
    nodes: Number((el as HTMLElement).dataset.nodeCount),
    visible: Number((el as HTMLElement).dataset.visibleCount),
    rows: el.querySelectorAll('.tree-row').length,
    active: el.getAttribute('aria-activedescendant'),
  }));

async function clickRow(command: string, nth = 0): Promise<void> {
  const handles = await page.$$(`.list-row[data-command="${command}"]`);
  const tops = await Promise.all(handles.map((h) => h.evaluate((el) => parseFloat((el as HTMLElement).style.top))));
  const order = tops.map((top, i) => [top, i] as const).sort((a, b) => a[0] - b[0]);
  await handles[order[nth]![1]]!.click();
}

async function waitForFile(dir: string, name: string | RegExp): Promise<string> {
  const until = Date.now() + 10_000;
  for (;;) {
    const file = readdirSync(dir).find((f) => (typeof name === 'string' ? f === name : name.test(f)));
    if (file && existsSync(join(dir, file)) && !file.endsWith('.crdownload')) return readFileSync(join(dir, file), 'utf8');
    if (Date.now() > until) throw new Error(`no download named ${String(name)} in ${readdirSync(dir).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  ext = await launchWithExtension();
  page = await ext.browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await stubDevtools(page, ORIGIN);
  await page.goto(`chrome-extension://${ext.extensionId}/panel.html`);
  await page.waitForSelector('.request-list');
}, 60_000);

afterAll(async () => {
  await ext?.close();
});

describe('the panel page with a stand-in for devtools.network', () => {
  it("lists entries in Chrome's and Firefox's shapes alike", async () => {
    await feedPanel(page, [
      harEntry(
        {
          command: 'FolderSync',
          request: FOLDERSYNC_REQUEST,
          response: FOLDERSYNC_142,
          status: 449,
          statusText: 'Retry after sending a PROVISION command',
          version: '14.1',
          policyKey: '0',
          startedDateTime: '2026-03-02T10:15:30.100Z',
        },
        'chrome',
      ),
      harEntry({ command: 'Provision', request: PROVISION_REQUEST, response: PROVISION_RESPONSE, version: '14.1', policyKey: '0', startedDateTime: '2026-03-02T10:15:30.200Z' }, 'firefox'),
      harEntry(
        { command: 'FolderSync', request: FOLDERSYNC_REQUEST, response: FOLDERSYNC_RESPONSE, version: '14.1', policyKey: '1307199584', startedDateTime: '2026-03-02T10:15:30.300Z' },
        'firefox',
      ),
    ]);
    await page.waitForFunction(
      () => document.querySelectorAll('.list-row .status').length === 3 && ![...document.querySelectorAll('.list-row .status')].some((el) => el.textContent === '…'),
    );
    const rows = await page.$$eval('.list-row', (els) =>
      els
        .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
        .map((el) => [el.querySelector('.command')?.textContent, el.querySelector('.http')?.textContent, el.querySelector('.status')?.textContent]),
    );
    expect(rows).toEqual([
      ['FolderSync', '449', '142 DeviceNotProvisioned'],
      ['Provision', '200', '1 Success'],
      ['FolderSync', '200', '1 Success'],
    ]);

    // Firefox's getContent gives (base64, mimeType): decoded all the same.
    await clickRow('FolderSync', 1);
    await page.waitForSelector('.tree-row');
    expect(await sortedText('.tree-row')).toContain('<DisplayName>Entwürfe</DisplayName>');
    await page.click('#tab-request');
    await page.waitForFunction(() => [...document.querySelectorAll('.tree-row')].some((el) => el.textContent?.includes('SyncKey')));
    expect(await sortedText('.tree-row')).toEqual(['▾<FolderSync xmlns="FolderHierarchy:">', '<SyncKey>0</SyncKey>']);
    await page.click('#tab-query');
    expect(await page.$eval('.query', (el) => el.textContent)).toContain('DeviceIdABCDEF0123456789');
    await page.click('#tab-headers');
    const headers = await page.$eval('.headers', (el) => el.textContent ?? '');
    expect(headers).toContain('Basic [hidden]');
    expect(headers).not.toContain('Demo-Passw0rd');
    await page.click('#tab-response');
  });

  it('moves through the list with the keyboard', async () => {
    await page.focus('.list-body');
    await page.keyboard.press('Home');
    expect(await page.$eval('.list-row.selected .command', (el) => el.textContent)).toBe('FolderSync');
    expect(await page.$eval('.protocol-status', (el) => el.textContent)).toMatch(/^142 DeviceNotProvisioned: /);
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval('.list-row.selected .command', (el) => el.textContent)).toBe('Provision');
    const active = await page.$eval('.list-body', (el) => el.getAttribute('aria-activedescendant'));
    expect(await page.$eval(`#${active}`, (el) => el.getAttribute('aria-selected'))).toBe('true');
  });

  it('filters by status and searches the decoded bodies', async () => {
    await page.select('select[aria-label="Filter by status"]', 'problems');
    await page.waitForFunction(() => document.querySelectorAll('.list-row').length === 1);
    await page.select('select[aria-label="Filter by status"]', '');
    await page.type('.toolbar .search', 'entwürfe');
    await page.waitForFunction(() => document.querySelectorAll('.list-row').length === 1);
    expect(await page.$eval('.toolbar .count', (el) => el.textContent)).toBe('1 of 3');
    await page.$eval('.toolbar .search', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('.toolbar .search', ' ');
    await page.waitForFunction(() => document.querySelectorAll('.list-row').length === 3);
  });

  it('keeps a 10 MB Sync response responsive: 100k+ tree nodes, under 200 rows in the DOM', async () => {
    const { bytes, emails } = syncResponse(10 * 1024 * 1024);
    const built = harEntry({ command: 'Sync', response: bytes, version: '16.1', policyKey: '1307199584', startedDateTime: '2026-03-02T10:16:00.000Z', time: 1830 });
    await feedPanel(page, [built]);
    await page.waitForFunction(() => [...document.querySelectorAll('.list-row[data-command="Sync"] .status')].some((el) => el.textContent === '1 Success'), { timeout: 30_000 });
    const started = Date.now();
    await clickRow('Sync');
    await page.waitForSelector('.tree[data-node-count]', { timeout: 30_000 });
    console.log(`10 MB Sync response (${bytes.length} bytes, ${emails} emails): selected to tree shown in ${Date.now() - started} ms`);

    const first = await treeState();
    expect(first.nodes).toBeGreaterThan(100_000);
    expect(first.rows).toBeLessThan(MAX_DOM_ROWS);
    await page.screenshot({ path: screenshotPath('screenshots/panel-large-sync') });

    // Everything open: 100k+ rows to show, still only the visible ones in the DOM.
    await page.click('.tree-toolbar button');
    await page.waitForFunction(() => Number(document.querySelector('.tree')?.getAttribute('data-visible-count')) > 100_000);
    const open = await treeState();
    expect(open.visible).toBe(open.nodes);
    expect(open.rows).toBeLessThan(MAX_DOM_ROWS);

    // Scrolled to the middle: the rows in the DOM are the ones in the middle.
    await page.$eval('.tree', (el) => (el.scrollTop = el.scrollHeight / 2));
    await page.waitForFunction(() => {
      const tree = document.querySelector('.tree')!;
      return [...tree.querySelectorAll('.tree-row')].some((row) => Math.abs(parseFloat((row as HTMLElement).style.top) - tree.scrollTop) < 40);
    });
    expect((await treeState()).rows).toBeLessThan(MAX_DOM_ROWS);
    console.log(`DOM rows: ${first.rows} at the top (${first.visible} of ${first.nodes} nodes shown), ${open.rows} with all ${open.visible} open`);

    // Keyboard to the very end and back; the focused row is always in the DOM.
    await page.focus('.tree');
    await page.keyboard.press('End');
    let state = await treeState();
    expect(state.active).toBe(`response-${(await page.$eval('.list-row.selected', (el) => el.id)).replace('request-', '')}-${state.nodes - 1}`);
    expect(await page.$(`#${state.active}`)).not.toBeNull();
    expect(state.rows).toBeLessThan(MAX_DOM_ROWS);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    state = await treeState();
    expect(await page.$eval(`#${state.active}`, (el) => el.textContent)).toBe('▾<Collections>');

    // Find deep in the tree: the match is opened, focused and scrolled to.
    await page.click('.tree-toolbar button:nth-child(2)'); // collapse all
    await page.type('.tree-find', 'user3000@example');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.node-details .node-path')?.textContent?.endsWith('› To'), { timeout: 10_000 });
    state = await treeState();
    expect(await page.$eval(`#${state.active}`, (el) => el.textContent)).toBe('<email:To>"Empfänger 3000" <user3000@example.com></email:To>');
    expect(await page.$eval('.node-details .node-path', (el) => el.textContent)).toBe('Sync › Collections › Collection › Commands › Add › ApplicationData › To');
    expect(state.rows).toBeLessThan(MAX_DOM_ROWS);
    await page.screenshot({ path: screenshotPath('screenshots/panel-find') });
  });

  it('reads in light and dark', async () => {
    await clickRow('FolderSync', 1);
    await page.waitForFunction(() => [...document.querySelectorAll('.tree-row')].some((el) => el.textContent?.includes('Inbox')));
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await page.$eval('body', (el) => getComputedStyle(el).backgroundColor);
    await page.screenshot({ path: screenshotPath('screenshots/panel-dark') });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const light = await page.$eval('body', (el) => getComputedStyle(el).backgroundColor);
    expect(dark).toBe('rgb(30, 33, 38)');
    expect(light).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: screenshotPath('screenshots/panel-light') });
  });

  it('saves HAR and XML files, without credentials', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'owa-inspector-downloads-'));
    const cdp = await ext.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    try {
      await clickRow('FolderSync', 1);
      await page.waitForSelector('.body-actions');
      const buttons = await page.$$('.toolbar button');
      const labels = await Promise.all(buttons.map((b) => b.evaluate((el) => el.textContent)));
      await buttons[labels.indexOf('Save HAR')]!.click();
      await page.click('.body-actions button:nth-child(2)'); // Save XML of the response
      const har = await waitForFile(downloads, 'activesync.har');
      const xml = await waitForFile(downloads, /FolderSync-response-\d+\.xml$/);
      expect(har).not.toContain('Demo-Passw0rd');
      expect(har).not.toContain(Buffer.from('CONTOSO\\alice:Demo-Passw0rd').toString('base64'));
      expect(har).not.toContain('SECRET-SESSION');
      const log = JSON.parse(har).log;
      expect(log.entries.length).toBeGreaterThanOrEqual(4);
      expect(log.creator.name).toBe('OWA Inspector');
      expect(xml).toContain('<DisplayName>Entwürfe</DisplayName>');
      expect(await page.$eval('.toolbar .message', (el) => el.textContent)).toBe('XML file saved');
    } finally {
      await cdp.detach();
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it('copies as curl and as XML', async () => {
    await page.click('.detail-actions button');
    await page.waitForFunction(() => document.querySelector('.toolbar .message')?.textContent !== '');
    expect(await page.$eval('.toolbar .message', (el) => el.textContent)).toBe('curl command copied (without password and cookies)');
    await page.click('.body-actions button');
    await page.waitForFunction(() => document.querySelector('.toolbar .message')?.textContent === 'XML copied');
  });

  it('logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
