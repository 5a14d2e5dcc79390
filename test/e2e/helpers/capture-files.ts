// What the capture tests of both browsers read: the rows the panel page shows, and what they
// should be, derived from the HAR file itself (not by the panel's code): the command from the
// URL's Cmd (OPTIONS by its method), the HTTP status, and the response bytes for libwbxml.
import type { Frame, Page } from 'puppeteer-core';
import type { ExtensionBrowser } from '../harness/chromium';

export interface HarFile {
  log: {
    entries: Array<{
      request: { method: string; url: string };
      response: { status: number; content: { text?: string; encoding?: string } };
    }>;
  };
}

export interface ExpectedRow {
  command: string;
  http: string;
  responseBytes: Uint8Array;
}

export function expectedRows(har: HarFile): ExpectedRow[] {
  return har.log.entries
    .filter((e) => new URL(e.request.url).pathname.toLowerCase() === '/microsoft-server-activesync')
    .map((e) => ({
      command: e.request.method === 'OPTIONS' ? 'OPTIONS' : (new URL(e.request.url).searchParams.get('Cmd') ?? e.request.method),
      http: String(e.response.status),
      responseBytes: Buffer.from(e.response.content.text ?? '', e.response.content.encoding === 'base64' ? 'base64' : 'utf8'),
    }));
}

/** The DisplayName of every folder in libwbxml's XML of a FolderSync response. */
export function folderNames(xml: string): string[] {
  return [...xml.matchAll(/<DisplayName>([^<]*)<\/DisplayName>/g)].map((m) => m[1]!);
}

export interface ShownRow {
  command: string;
  http: string;
  status: string;
  source: string;
}

/** The list's rows in the order shown (they are absolutely placed: sorted by their top). */
export function captureRows(panel: Page | Frame): Promise<ShownRow[]> {
  return panel.$$eval('.list-row', (els) =>
    els
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((el) => ({
        command: (el as HTMLElement).dataset.command ?? '',
        http: el.querySelector('.http')?.textContent ?? '',
        status: el.querySelector('.status')?.textContent ?? '',
        source: (el as HTMLElement).dataset.source ?? '',
      })),
  );
}

/** Clicks the row shown at this position. */
export async function clickRow(panel: Page | Frame, index: number): Promise<void> {
  const handles = await panel.$$('.list-row');
  const tops = await Promise.all(handles.map((h) => h.evaluate((el) => parseFloat((el as HTMLElement).style.top))));
  const order = tops.map((top, i) => [top, i] as const).sort((a, b) => a[0] - b[0]);
  const row = handles[order[index]![1]];
  if (!row) throw new Error(`no row ${index}`);
  await row.click();
}

/** Every row of the detail's tree (it is virtual: scrolled through, a view at a time). */
export async function wholeTreeText(panel: Page | Frame): Promise<string> {
  return panel.$eval('.detail .tree', async (tree) => {
    const seen = new Map<number, string>();
    const el = tree as HTMLElement;
    for (let top = 0; ; top += Math.max(1, el.clientHeight - 20)) {
      el.scrollTop = top;
      // Two frames: the scroll event re-renders the window of rows.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (const row of el.querySelectorAll<HTMLElement>('.tree-row')) seen.set(parseFloat(row.style.top), row.textContent ?? '');
      if (top + el.clientHeight >= el.scrollHeight) break;
    }
    el.scrollTop = 0;
    return [...seen.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, text]) => text)
      .join('\n');
  });
}

/** The leaves of an XML document, `<Name>text</Name>`, as libwbxml writes them. */
export function leaves(xml: string): string[] {
  return [...xml.matchAll(/<(\w+)>([^<]+)<\/\1>/g)].map((m) => m[0]);
}

/** The panel page of the Chromium build in a tab of its own, ready to open files. */
export async function openPanelTab(ext: ExtensionBrowser): Promise<Page> {
  const panel = await ext.browser.newPage();
  await panel.setViewport({ width: 1400, height: 780 });
  await panel.goto(`chrome-extension://${ext.extensionId}/panel.html`);
  await panel.waitForSelector('#open-capture');
  return panel;
}
