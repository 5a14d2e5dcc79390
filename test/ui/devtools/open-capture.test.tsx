// @vitest-environment happy-dom
// The panel page outside DevTools: capture files opened through its file input show their
// exchanges in the list with their file's chip; a damaged file says so on its own line and the
// others still show; the search runs with a Cancel; the extension's runs are marked as its own.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import type { CaptureExchange, CaptureReadResult, ReadOptions } from '../../../src/captures/types';
import { MockConnector } from '../../../src/ui/connect/mock';
import { App } from '../../../src/ui/devtools/App';
import { settle, waitUntil, useMountRoot } from '../setup-dom';

/** <FolderSync xmlns="FolderHierarchy:"><Status>1</Status></FolderSync>, by hand. */
const FOLDERSYNC_OK = Buffer.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x4c, 0x03, 0x31, 0x00, 0x01, 0x01]).toString('base64');

function har(entries: unknown[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } });
}

function entry(cmd: string, at: string): unknown {
  return {
    startedDateTime: at,
    time: 5,
    request: {
      method: 'POST',
      url: `https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=${cmd}&User=alice&DeviceId=PHONE1&DeviceType=iPhone`,
      headers: [{ name: 'MS-ASProtocolVersion', value: '14.1' }],
    },
    response: {
      status: 200,
      statusText: 'OK',
      headers: [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }],
      content: { size: 13, mimeType: 'application/vnd.ms-sync.wbxml', text: FOLDERSYNC_OK, encoding: 'base64' },
    },
  };
}

const page = {
  startedDateTime: '2026-01-05T09:00:00.000Z',
  time: 1,
  request: { method: 'GET', url: 'https://mail.contoso.com/owa/', headers: [] },
  response: { status: 200, statusText: 'OK', headers: [], content: {} },
};

let root: HTMLElement;
useMountRoot((el) => (root = el));

async function open(...files: File[]): Promise<void> {
  const input = root.querySelector<HTMLInputElement>('#capture-input')!;
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change'));
    await settle();
  });
}

const rows = () => [...root.querySelectorAll<HTMLElement>('.list-row')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));

describe('opening captures in the panel page', () => {
  it('lists every exchange of every file with its file, and a damaged file only on its own line', async () => {
    await act(async () => {
      render(<App api={null} background={null} />, root);
      await settle();
    });
    expect(root.querySelector('#open-capture')?.textContent).toBe('Open a capture…');
    expect(root.querySelector('.empty-detail')?.textContent).toMatch(/^Open a capture/);

    const good = new File([har([page, entry('FolderSync', '2026-01-05T09:00:01.000Z'), entry('Sync', '2026-01-05T09:00:02.000Z')])], 'phone.har');
    const damaged = new File([har([entry('Ping', '2026-01-05T09:00:03.000Z')]).slice(0, 150)], 'cut.har');
    await open(good, damaged);
    await waitUntil(() => root.querySelectorAll('.capture-file[data-state="read"]').length === 2, 'both files read');

    expect(rows().map((r) => [r.dataset.command, r.dataset.source, r.querySelector('.status')?.textContent])).toEqual([
      ['FolderSync', 'phone.har', '1 Success'],
      ['Sync', 'phone.har', '1 Success'],
    ]);
    const phone = root.querySelector('.capture-file[data-file="phone.har"]')!;
    expect(phone.textContent).toContain('2 ActiveSync exchanges (har)');
    expect(phone.textContent).toContain('1 other requests left out');
    const cut = root.querySelector('.capture-file[data-file="cut.har"]')!;
    expect(cut.querySelector('.problem')?.textContent).toMatch(/byte \d+: the file ends inside entry/);

    // The detail of a capture's row: decoded like live traffic.
    await act(async () => {
      rows()[0]!.click();
      await settle();
    });
    expect(root.querySelector('.detail .protocol-status')?.textContent).toMatch(/^1 Success/);
    expect(root.querySelector('.detail .xml-tree')?.textContent ?? root.querySelector('.detail')?.textContent).toContain('Status');
  });

  it('the Source filter keeps the rows of one file, or of the extension, and shows only when there is a choice', async () => {
    const connector = new MockConnector();
    connector.reply = () => ({ type: 'bg-ui-eas-bodies', bodies: [] });
    await act(async () => {
      render(<App api={null} background={connector} />, root);
      await settle();
    });
    await open(new File([har([entry('FolderSync', '2026-01-05T09:00:01.000Z')])], 'phone.har'));
    await waitUntil(() => rows().length === 1, 'the first file read');
    // One source: nothing to choose.
    expect(root.querySelector('#source-filter')).toBeNull();
    await open(new File([har([entry('Sync', '2026-01-05T09:00:02.000Z'), entry('Ping', '2026-01-05T09:00:03.000Z')])], 'tablet.har'));
    await waitUntil(() => rows().length === 3, 'the second file read');
    const select = root.querySelector<HTMLSelectElement>('#source-filter')!;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', 'All sources'],
      ['file:phone.har', 'phone.har'],
      ['file:tablet.har', 'tablet.har'],
    ]);
    const choose = async (value: string) =>
      act(async () => {
        select.value = value;
        select.dispatchEvent(new Event('change'));
        await settle();
      });
    await choose('file:tablet.har');
    expect(rows().map((r) => [r.dataset.command, r.dataset.source])).toEqual([
      ['Sync', 'tablet.har'],
      ['Ping', 'tablet.har'],
    ]);
    expect(root.querySelector('.count')?.textContent).toBe('2 of 3');
    await choose('');
    expect(rows()).toHaveLength(3);
  });

  it("shows the extension's own runs, marked as its own", async () => {
    const connector = new MockConnector();
    connector.reply = () => ({ type: 'bg-ui-eas-bodies', bodies: [] });
    await act(async () => {
      render(<App api={null} background={connector} />, root);
      await settle();
    });
    await act(async () => {
      connector.pushRuns([
        {
          id: 'r1',
          kind: 'options',
          server: 'https://mail.contoso.com/Microsoft-Server-ActiveSync',
          user: '',
          deviceId: 'D',
          deviceType: 'T',
          protocolVersion: '14.1',
          startedAt: 1,
          finishedAt: 2,
          state: 'done',
          steps: [
            {
              step: 'OPTIONS',
              startedAt: new Date(1).toISOString(),
              durationMs: 3,
              request: { method: 'OPTIONS', url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync', headers: [] },
              response: { status: 200, statusText: 'OK', headers: [] },
              notes: [],
            },
          ],
        },
      ]);
      await settle();
    });
    const [row] = rows();
    expect(row?.dataset.command).toBe('OPTIONS');
    expect(row?.dataset.source).toBe('extension');
    expect(row?.querySelector('.chip.extension')?.textContent).toBe('extension');
    expect(connector.sent).toContainEqual({ type: 'ui-bg-eas-bodies' });
  });

  it('reading shows progress and can be cancelled; the next file is still read; a reader that throws fails its file only', async () => {
    const releases: Array<() => void> = [];
    const reader = (file: string, source: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> =>
      new Promise((resolve, reject) => {
        if (file === 'broken.saz') {
          reject(new Error('the zip ends inside raw/07_s.txt'));
          return;
        }
        options.onProgress?.(source.size / 2, source.size);
        options.signal?.addEventListener('abort', () => reject(options.signal!.reason));
        releases.push(() => resolve({ file, format: 'har', exchanges: [oneExchange(file)], otherRequests: 0, problems: [] }));
      });
    await act(async () => {
      render(<App api={null} background={null} readCapture={reader} />, root);
      await settle();
    });
    await open(new File(['x'.repeat(1000)], 'big.har'), new File(['y'], 'next.har'), new File(['z'], 'broken.saz'));
    const big = () => root.querySelector<HTMLElement>('.capture-file[data-file="big.har"]')!;
    await waitUntil(() => big().querySelector('progress') !== null, 'the progress bar');
    expect(big().querySelector('progress')!.value).toBe(500);
    expect(root.querySelector('.capture-file[data-file="next.har"]')?.getAttribute('data-state')).toBe('reading');
    await act(async () => {
      big().querySelector<HTMLButtonElement>('.cancel-read')!.click();
      await settle();
    });
    expect(big().dataset.state).toBe('cancelled');
    // One file at a time: the next one starts once the first is done.
    await waitUntil(() => releases.length === 2, 'the next file to be read');
    await act(async () => {
      releases[1]!();
      await settle();
    });
    await waitUntil(() => root.querySelector('.capture-file[data-file="broken.saz"]')?.getAttribute('data-state') === 'failed', 'the broken file to fail');
    expect(root.querySelector('.capture-file[data-file="broken.saz"]')?.textContent).toContain('the zip ends inside raw/07_s.txt');
    expect(rows().map((r) => r.dataset.source)).toEqual(['next.har']);
  });

  it('the search over a big capture shows its progress and can be cancelled, keeping what it found', async () => {
    const many = Array.from({ length: 4000 }, (_, i) => oneExchange('many.har', i));
    const reader = async (file: string): Promise<CaptureReadResult> => ({ file, format: 'har', exchanges: many, otherRequests: 0, problems: [] });
    await act(async () => {
      render(<App api={null} background={null} readCapture={reader} />, root);
      await settle();
    });
    await open(new File(['x'], 'many.har'));
    await waitUntil(() => root.querySelector('.list-body')?.getAttribute('data-row-count') === '4000', '4000 rows');
    // Only rows in view are in the page.
    expect(rows().length).toBeLessThan(100);
    const search = root.querySelector<HTMLInputElement>('input.search')!;
    await act(async () => {
      search.value = '<synckey>';
      search.dispatchEvent(new Event('input'));
      await new Promise((r) => setTimeout(r, 300));
    });
    await waitUntil(() => root.querySelector('.search-progress progress') !== null, 'the search progress bar');
    await act(async () => {
      root.querySelector<HTMLButtonElement>('#cancel-search')!.click();
      await settle();
    });
    expect(root.querySelector('.search-progress')).toBeNull();
    expect(root.querySelector('.toolbar .note.warn')?.textContent).toMatch(/^Search cancelled after \d+ of 4000$/);
    const found = Number(root.querySelector('.list-body')?.getAttribute('data-row-count'));
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(4000);
  });

  it('files dropped on the panel are opened', async () => {
    await act(async () => {
      render(<App api={null} background={null} />, root);
      await settle();
    });
    const app = root.querySelector<HTMLElement>('.app')!;
    const file = new File([har([entry('FolderSync', '2026-01-05T09:00:01.000Z')])], 'dropped.har');
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [file], types: ['Files'] } });
    await act(async () => {
      app.dispatchEvent(drop);
      await settle();
    });
    expect(drop.defaultPrevented).toBe(true);
    await waitUntil(() => rows().length === 1, 'the dropped file’s row');
    expect(rows()[0]!.dataset.source).toBe('dropped.har');
  });
});

/** One FolderSync exchange of `file`, its request body written by hand (SyncKey 0). */
function oneExchange(file: string, i = 0): CaptureExchange {
  return {
    file,
    index: i + 1,
    format: 'har',
    startedAt: Date.UTC(2026, 0, 5) + i,
    durationMs: 1,
    method: 'POST',
    url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=PHONE1&DeviceType=iPhone',
    requestHeaders: [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }],
    responseHeaders: [],
    httpStatus: 200,
    httpStatusText: 'OK',
    request: { kind: 'bytes', bytes: Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01]) },
    response: { kind: 'empty' },
  };
}
