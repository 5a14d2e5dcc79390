// @vitest-environment happy-dom
// The panel's summary of what it lists and its comparison of two rows, on a HAR opened through
// the page's file input and read by the real readers. The bodies are written by hand from
// MS-ASWBXML's code pages (test/captures/helpers.ts); the expected figures are counted by hand
// from the scenario below, not produced by the code under test.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/devtools/App';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST, provisionResponse } from '../../captures/helpers';
import { settle, waitUntil, useMountRoot } from '../setup-dom';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

let clock = Date.parse('2026-12-01T10:00:00Z');
/** One HAR entry; `response` undefined is a 449 with no body. */
function entry(device: string, cmd: string, http: number, response: Uint8Array | undefined, key: string): unknown {
  clock += 1000;
  return {
    startedDateTime: new Date(clock).toISOString(),
    time: 10,
    request: {
      method: 'POST',
      url: `https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=${cmd}&User=${device === 'PHONE1' ? 'alice' : 'bob'}&DeviceId=${device}&DeviceType=iPhone`,
      headers: [
        { name: 'MS-ASProtocolVersion', value: device === 'PHONE1' ? '14.1' : '16.1' },
        { name: 'X-MS-PolicyKey', value: key },
        { name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' },
        { name: 'Content-Length', value: String(FOLDER_SYNC_REQUEST.length) },
      ],
      postData: { mimeType: 'application/vnd.ms-sync.wbxml', text: b64(FOLDER_SYNC_REQUEST), encoding: 'base64' },
    },
    response: {
      status: http,
      statusText: '',
      headers: response ? [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }] : [],
      content: response ? { size: response.length, mimeType: 'application/vnd.ms-sync.wbxml', text: b64(response), encoding: 'base64' } : { size: 0 },
    },
  };
}

// PHONE1 is asked to provision three times (449, Status 142, 449) and provisions after each: a
// loop of 3 cycles. TABLET2 provisions once and syncs: no loop.
const LOOPING = [
  entry('PHONE1', 'FolderSync', 449, undefined, '0'),
  entry('PHONE1', 'Provision', 200, provisionResponse('111'), '0'),
  entry('PHONE1', 'FolderSync', 200, FOLDER_SYNC_142, '111'),
  entry('PHONE1', 'Provision', 200, provisionResponse('222'), '0'),
  entry('PHONE1', 'FolderSync', 449, undefined, '222'),
  entry('PHONE1', 'Provision', 200, provisionResponse('333'), '0'),
  entry('TABLET2', 'FolderSync', 449, undefined, '0'),
  entry('TABLET2', 'Provision', 200, provisionResponse('999'), '0'),
  entry('TABLET2', 'FolderSync', 200, FOLDER_SYNC_OK, '999'),
];
const HAR = JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: LOOPING } });

let root: HTMLElement;
useMountRoot((el) => (root = el));

async function openLooping(): Promise<void> {
  await act(async () => {
    render(<App api={null} background={null} />, root);
    await settle();
  });
  const input = root.querySelector<HTMLInputElement>('#capture-input')!;
  Object.defineProperty(input, 'files', { value: [new File([HAR], 'loop.har')], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change'));
    await settle();
  });
  await waitUntil(() => root.querySelectorAll('.list-row').length === 9, 'the 9 rows');
}

async function click(el: Element, init: MouseEventInit = {}): Promise<void> {
  await act(async () => {
    el.dispatchEvent(new MouseEvent('click', { bubbles: true, ...init }));
    await settle();
  });
}

const button = (text: string): HTMLButtonElement => [...root.querySelectorAll('button')].find((b) => b.textContent === text)!;
const rows = (): HTMLElement[] => [...root.querySelectorAll<HTMLElement>('.list-row')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
/** A summary section's table as text, row by row. */
function table(section: string): string[][] {
  const el = root.querySelector(`.summary-section[data-section="${section}"]`);
  if (!el) throw new Error(`no section ${section}`);
  return [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
}

describe('the summary view', () => {
  it('shows devices, users, versions, commands, failures, policy keys and the re-provisioning loop', async () => {
    await openLooping();
    await click(button('Summary'));
    expect(root.querySelector('.summary-overview')?.textContent).toMatch(/^9 exchanges, from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} to \d{4}-\d\d-\d\d \S+$/);
    expect(table('devices')).toEqual([
      ['PHONE1', 'iPhone', 'alice', '6'],
      ['TABLET2', 'iPhone', 'bob', '3'],
    ]);
    expect(table('users')).toEqual([
      ['alice', '6'],
      ['bob', '3'],
    ]);
    expect(table('versions')).toEqual([
      ['14.1', '6'],
      ['16.1', '3'],
    ]);
    // FolderSync: three 449s and one Status 142 of five; every Provision succeeded.
    expect(table('commands')).toEqual([
      ['FolderSync', '5', '4'],
      ['Provision', '4', '0'],
    ]);
    expect(table('http-failures')).toEqual([['449 Retry after sending a PROVISION command', '3']]);
    expect(table('status-failures')).toEqual([['FolderSync', '142 DeviceNotProvisioned', '1']]);
    // Keys as sent, in order: PHONE1 0,0,111,0,222,0; TABLET2 0,0,999.
    expect(table('key-changes').map(([device, from, to, at]) => [device, from, to, at!.split(' at ')[0]])).toEqual([
      ['PHONE1', '0', '111', 'loop.har #3'],
      ['PHONE1', '111', '0', 'loop.har #4'],
      ['PHONE1', '0', '222', 'loop.har #5'],
      ['PHONE1', '222', '0', 'loop.har #6'],
      ['TABLET2', '0', '999', 'loop.har #9'],
    ]);
    expect(table('policy-keys')).toContainEqual(['PHONE1', '0', expect.stringMatching(/^loop\.har #1 at /), expect.stringMatching(/^loop\.har #6 at /), '4']);
    expect(table('loops').map(([device, cycles]) => [device, cycles])).toEqual([['PHONE1', '3']]);
  });

  it('opens the row an exchange reference names, in the traffic view', async () => {
    await openLooping();
    await click(button('Summary'));
    const ref = [...root.querySelectorAll<HTMLButtonElement>('.summary-section[data-section="key-changes"] button.ref')].find((b) => b.textContent?.startsWith('loop.har #5 '))!;
    await click(ref);
    expect(root.querySelector('.summary-view')).toBeNull();
    const selected = root.querySelector<HTMLElement>('.list-row.selected')!;
    expect(selected.getAttribute('title') ?? selected.querySelector('.source .chip')?.getAttribute('title')).toBe('From loop.har, exchange 5');
    expect(root.querySelector('.detail .http, .detail .facts')?.textContent).toContain('449');
  });

  it('says so when there is nothing to summarise', async () => {
    await act(async () => {
      render(<App api={null} background={null} />, root);
      await settle();
    });
    await click(button('Summary'));
    expect(root.querySelector('.summary-view .empty')?.textContent).toBe('Open a capture (or record traffic) to see its summary.');
  });
});

describe('comparing two requests', () => {
  /** The diff's lines of one side as [kind, path, values]. */
  const changes = (side: 'request' | 'response'): string[][] =>
    [...root.querySelectorAll<HTMLElement>(`.diff-side[data-side="${side}"] .diff-change`)].map((li) => [li.dataset.kind!, li.dataset.path!, li.querySelector('.values')?.textContent ?? '']);

  it('Ctrl-click compares a row with the selected one: added, removed and changed with their paths', async () => {
    await openLooping();
    // Row 3: FolderSync answered <Status>142</Status>; row 9: <Status>1</Status><SyncKey>1</SyncKey>.
    await click(rows()[2]!);
    await click(rows()[8]!, { ctrlKey: true });
    expect(rows()[2]!.classList.contains('selected')).toBe(true);
    expect(rows()[8]!.classList.contains('compared')).toBe(true);
    const view = root.querySelector('.diff-view')!;
    expect(view.querySelector('.diff-pair')?.textContent).toMatch(/^FolderSync · loop\.har #3 · \S+ → FolderSync · loop\.har #9 · \S+$/);
    // The same FolderSync request both times.
    expect(changes('request')).toEqual([]);
    expect(view.querySelector('.diff-side[data-side="request"] .none')?.textContent).toBe('No differences');
    expect(changes('response')).toEqual([
      ['changed', 'FolderSync/Status', '142 → 1'],
      ['added', 'FolderSync/SyncKey', '1'],
    ]);
    expect(view.querySelector('.diff-side[data-side="response"] h3')?.textContent).toBe('Response 1 added, 0 removed, 1 changed');

    // The other way round: what was added is removed.
    await click(button('Close comparison'));
    expect(root.querySelector('.diff-view')).toBeNull();
    await click(rows()[8]!);
    await click(rows()[2]!, { metaKey: true });
    expect(changes('response')).toEqual([
      ['changed', 'FolderSync/Status', '1 → 142'],
      ['removed', 'FolderSync/SyncKey', '1'],
    ]);
  });

  it('"Compare with…" picks the next row clicked; a body that is not there is said, not compared', async () => {
    await openLooping();
    await click(rows()[0]!);
    await click(button('Compare with…'));
    expect(root.querySelector('.compare-pick')?.textContent).toMatch(/^Click the request to compare with/);
    await click(rows()[1]!);
    expect(root.querySelector('.compare-pick')).toBeNull();
    // Row 1 is a 449 without a body, row 2 a Provision response: nothing to compare on that side.
    expect(root.querySelector('.diff-side[data-side="response"] .note')?.textContent).toBe('Not compared: first: empty body');
    expect(changes('response')).toEqual([['added', 'Provision', '(2 children)']]);
    // A plain click afterwards shows one request again.
    await click(rows()[4]!);
    expect(root.querySelector('.diff-view')).toBeNull();
    expect(root.querySelector('.detail .detail-title strong')?.textContent).toBe('FolderSync');
  });
});
