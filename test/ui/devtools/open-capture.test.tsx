// @vitest-environment happy-dom
// The panel page outside DevTools: capture files opened through its file input show their
// exchanges in the list with their file's chip; a damaged file says so on its own line and the
// others still show; the search runs with a Cancel; the extension's runs are marked as its own.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockConnector } from '../../../src/ui/connect/mock';
import { App } from '../../../src/ui/devtools/App';
import { settle } from '../setup-dom';

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

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await act(() => settle());
  }
  throw new Error(`timed out waiting for ${what}`);
}

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
    expect(cut.querySelector('.problem')?.textContent).toMatch(/JSON/);

    // The detail of a capture's row: decoded like live traffic.
    await act(async () => {
      rows()[0]!.click();
      await settle();
    });
    expect(root.querySelector('.detail .protocol-status')?.textContent).toMatch(/^1 Success/);
    expect(root.querySelector('.detail .xml-tree')?.textContent ?? root.querySelector('.detail')?.textContent).toContain('Status');
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
});
