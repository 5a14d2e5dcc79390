// A capture's exchange as a panel record: the same command, version, query, HTTP status and
// protocol Status as live traffic, its file named, an XML-only body (mailbox log) shown as XML
// without bytes, a missing body said so. The WBXML below is written by hand byte by byte
// (MS-ASWBXML code page 7, FolderHierarchy), and the expected XML by hand too.
import { describe, expect, it } from 'vitest';
import { lazyBase64Body, leadingBytes } from '../../../src/captures/lazy-bytes';
import type { CaptureExchange } from '../../../src/captures/types';
import { toBase64 } from '../../../src/shared/base64';
import type { EasRunView } from '../../../src/messages/protocol';
import { byTime, failFile, finishFileInSlices, startFile } from '../../../src/ui/devtools/model/capture-files';
import { recordFromCapture } from '../../../src/ui/devtools/model/capture-record';
import { bodyText, DecodeCache } from '../../../src/ui/devtools/model/decoded';
import { toHar } from '../../../src/ui/devtools/model/export';
import { recordsFromRuns } from '../../../src/ui/devtools/model/extension-record';
import { filterRecords, NO_FILTER } from '../../../src/ui/devtools/model/filter';
import { formatDuration } from '../../../src/ui/devtools/model/format';
import { isProblem, protocolStatusMeaning } from '../../../src/ui/devtools/model/record';
import { findXmlStatus } from '../../../src/ui/devtools/model/xml-status';
import './../setup-dom';

/** <FolderSync xmlns="FolderHierarchy:"><Status>142</Status></FolderSync> */
const FOLDERSYNC_142 = Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x4c, 0x03, 0x31, 0x34, 0x32, 0x00, 0x01, 0x01]);
/** <FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync> */
const FOLDERSYNC_REQUEST = Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01]);

function exchange(patch: Partial<CaptureExchange> = {}): CaptureExchange {
  return {
    file: 'phone.har',
    index: 3,
    format: 'har',
    startedAt: Date.UTC(2026, 0, 5, 9, 30),
    durationMs: 120,
    method: 'POST',
    url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=PHONE1&DeviceType=iPhone',
    requestHeaders: [
      { name: 'MS-ASProtocolVersion', value: '14.1' },
      { name: 'X-MS-PolicyKey', value: '1234' },
      { name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' },
      { name: 'Authorization', value: 'Basic YWxpY2U6c2VjcmV0' },
    ],
    responseHeaders: [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }],
    httpStatus: 200,
    httpStatusText: 'OK',
    request: { kind: 'bytes', bytes: FOLDERSYNC_REQUEST },
    response: { kind: 'bytes', bytes: FOLDERSYNC_142 },
    ...patch,
  };
}

describe('a capture exchange as a record', () => {
  it('reads like live traffic: command, version, key, query, statuses, its file', () => {
    const record = recordFromCapture(7, exchange());
    expect(record).toMatchObject({ id: 7, command: 'FolderSync', protocolVersion: '14.1', policyKey: '1234', httpStatus: 200, requestSize: 13, responseSize: 15 });
    expect(record.source).toEqual({ kind: 'capture', file: 'phone.har', index: 3 });
    expect(record.query).toMatchObject({ command: 'FolderSync', user: 'alice', deviceId: 'PHONE1', deviceType: 'iPhone', encoding: 'plain' });
    expect(record.protocolStatus).toEqual({ code: 142, namespace: 'FolderHierarchy', parent: 'FolderSync' });
    expect(protocolStatusMeaning(record)).toMatch(/^142 DeviceNotProvisioned/);
    expect(isProblem(record)).toBe(true);
    expect(record.startedAt).toBe(Date.UTC(2026, 0, 5, 9, 30));
  });

  it('decodes its bodies only when asked, to the XML written by hand', () => {
    const record = recordFromCapture(1, exchange());
    const cache = new DecodeCache();
    expect(cache.get(record, 'response').kind).toBe('wbxml');
    expect(bodyText(record, 'request').replace(/\s+/g, '')).toContain('<FolderSyncxmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
    expect(bodyText(record, 'response').replace(/\s+/g, '')).toContain('<Status>142</Status>');
  });

  it('a body still in base64 (a HAR read from bytes) gives size and Status undecoded, its bytes when read', () => {
    const lazy = (bytes: Uint8Array): { kind: 'bytes'; bytes: Uint8Array } => lazyBase64Body(new TextEncoder().encode(toBase64(bytes)), bytes.length);
    // <FolderSync><Status>142</Status><SyncKey>k…k</SyncKey></FolderSync>: the Status in the first bytes of 319.
    const response = Uint8Array.from([...FOLDERSYNC_142.subarray(0, 14), 0x52, 0x03, ...new Uint8Array(300).fill(0x6b), 0x00, 0x01, 0x01]);
    // Without a Content-Type the first bytes say whether it is WBXML.
    const record = recordFromCapture(1, exchange({ request: lazy(FOLDERSYNC_REQUEST), response: lazy(response), responseHeaders: [] }));
    expect(record).toMatchObject({ requestSize: 13, responseSize: 319, protocolStatus: { code: 142, namespace: 'FolderHierarchy', parent: 'FolderSync' } });
    expect(record.responseBody?.state === 'bytes' && leadingBytes(record.responseBody, 4).whole).toBe(false);
    expect(record.responseBody).toMatchObject({ state: 'bytes', via: 'base64' });
    expect(bodyText(record, 'response').replace(/\s+/g, '')).toContain(`<Status>142</Status><SyncKey>${'k'.repeat(300)}</SyncKey>`);
    expect(record.responseBody?.state === 'bytes' && record.responseBody.bytes).toEqual(response);
    expect(record.requestBody?.state === 'bytes' && record.requestBody.bytes).toEqual(FOLDERSYNC_REQUEST);
    // An empty body in base64 is empty.
    expect(recordFromCapture(2, exchange({ response: lazyBase64Body(new Uint8Array(0), 0) })).responseBody).toEqual({ state: 'empty' });
  });

  it('a mailbox log body (XML only) is shown as XML, with no bytes, and its Status is read from the XML', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<Provision xmlns="Provision:" xmlns:settings="Settings:">\n  <settings:DeviceInformation><settings:Status>1</settings:Status></settings:DeviceInformation>\n  <Status>1</Status>\n  <Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>2</Status></Policy></Policies>\n</Provision>';
    const record = recordFromCapture(
      2,
      exchange({
        format: 'mailbox-log',
        durationMs: undefined,
        url: '/Microsoft-Server-ActiveSync?Cmd=Provision&User=alice&DeviceId=PHONE1&DeviceType=iPhone',
        request: { kind: 'empty' },
        response: { kind: 'xml', xml },
      }),
    );
    expect(record.command).toBe('Provision');
    // The log gives no duration: none is shown, rather than "0 ms".
    expect(record.durationMs).toBeUndefined();
    expect(formatDuration(record.durationMs)).toBe('');
    expect(record.query?.deviceId).toBe('PHONE1');
    expect(record.responseBody).toEqual({ state: 'xml', xml });
    expect(record.protocolStatus).toEqual({ code: 1, namespace: 'Provision', parent: 'Provision' });
    expect(new DecodeCache().get(record, 'response')).toEqual({ kind: 'xml', text: xml });
    expect(bodyText(record, 'response')).toBe(xml);
    // Exported as XML text, said so: there were no bytes.
    const har = JSON.parse(toHar([record], { name: 't', version: '0' })) as { log: { entries: Array<{ response: { content: { text: string; mimeType: string } } }> } };
    expect(har.log.entries[0]!.response.content).toMatchObject({ text: xml, mimeType: 'text/xml' });
  });

  it('a body the capture lacks says why; an exchange without a response has HTTP status 0', () => {
    const record = recordFromCapture(3, exchange({ httpStatus: undefined, httpStatusText: '', response: { kind: 'missing', reason: 'the capture stopped here' } }));
    expect(record.responseBody).toEqual({ state: 'unavailable', reason: 'capture', detail: 'the capture stopped here' });
    expect(record.httpStatus).toBe(0);
    expect(isProblem(record)).toBe(true);
  });

  it('the same filters as live traffic, and the search reaches the decoded bodies', () => {
    const records = [recordFromCapture(1, exchange()), recordFromCapture(2, exchange({ url: exchange().url.replace('FolderSync', 'Ping'), response: { kind: 'empty' } }))];
    const cache = new DecodeCache();
    expect(filterRecords(records, { ...NO_FILTER, command: 'Ping' }, (r) => cache.searchText(r)).map((r) => r.id)).toEqual([2]);
    expect(filterRecords(records, { ...NO_FILTER, status: 'status:142' }, (r) => cache.searchText(r)).map((r) => r.id)).toEqual([1]);
    expect(filterRecords(records, { ...NO_FILTER, search: '<status>142' }, (r) => cache.searchText(r)).map((r) => r.id)).toEqual([1]);
  });
});

describe('findXmlStatus', () => {
  it('takes the first Status of the root namespace, else the first', () => {
    expect(findXmlStatus('<Sync xmlns="AirSync:"><Collections><Collection><Status>3</Status></Collection></Collections></Sync>')).toEqual({
      code: 3,
      namespace: 'AirSync',
      parent: 'Collection',
    });
    expect(findXmlStatus('<a:Foo xmlns:a="X:"><a:Status>9</a:Status></a:Foo>')).toEqual({ code: 9, namespace: 'a', parent: 'Foo' });
    expect(findXmlStatus('<Ping xmlns="Ping:"><Status/></Ping>')).toBeUndefined();
    expect(findXmlStatus('not xml')).toBeUndefined();
  });
});

describe('capture files', () => {
  it('a read file keeps its counts and problems; its records come with fresh ids', async () => {
    let id = 100;
    const { file, records } = await finishFileInSlices(
      startFile(1, 'damaged.har', 5000),
      {
        file: 'damaged.har',
        format: 'har',
        exchanges: [exchange(), exchange({ index: 4 })],
        otherRequests: 12,
        problems: [{ file: 'damaged.har', where: 'byte 4096', message: 'the file ends inside an entry' }],
      },
      () => id++,
    );
    expect(file).toMatchObject({ state: 'read', format: 'har', exchanges: 2, otherRequests: 12, readBytes: 5000 });
    expect(file.problems).toHaveLength(1);
    expect(records.map((r) => r.id)).toEqual([100, 101]);
  });

  it('in slices: the same records, the event loop given back between slices, stopped by a cancel', async () => {
    const result = { file: 'many.har', format: 'har' as const, exchanges: Array.from({ length: 30 }, (_, i) => exchange({ index: i + 1 })), otherRequests: 0, problems: [] };
    let id = 1;
    let clock = 0;
    let pauses = 0;
    const sliced = await finishFileInSlices(startFile(1, 'many.har', 10), result, () => id++, { sliceMs: 10, now: () => clock++, pause: async () => void pauses++ });
    expect(sliced.records.map((r) => r.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(sliced.file.exchanges).toBe(30);
    expect(pauses).toBeGreaterThan(1);
    const controller = new AbortController();
    const cancelled = finishFileInSlices(startFile(1, 'many.har', 10), result, () => id++, {
      signal: controller.signal,
      sliceMs: 10,
      now: () => clock++,
      pause: async () => controller.abort(),
    });
    await expect(cancelled).rejects.toThrow();
  });

  it('an exchange with a time no Date can hold still shows (at time 0)', async () => {
    const { file, records } = await finishFileInSlices(
      startFile(1, 'odd.har', 10),
      { file: 'odd.har', format: 'har', exchanges: [exchange({ startedAt: 1e300 }), exchange({ startedAt: Number.NaN })], otherRequests: 0, problems: [] },
      () => 1,
    );
    expect(records.map((r) => r.startedAt)).toEqual([0, 0]);
    expect(file.problems).toEqual([]);
  });

  it('a reader that throws fails its file only; a cancel is not a failure', () => {
    expect(failFile(startFile(1, 'a.saz', 1), new Error('boom'), false)).toMatchObject({ state: 'failed', error: 'boom' });
    expect(failFile(startFile(1, 'a.saz', 1), new DOMException('aborted', 'AbortError'), true)).toMatchObject({ state: 'cancelled' });
  });

  it('records of several sources in time order, equal times in their own order', () => {
    const a = recordFromCapture(1, exchange({ startedAt: 20 }));
    const b = recordFromCapture(2, exchange({ startedAt: 10 }));
    const c = recordFromCapture(3, exchange({ startedAt: 10 }));
    expect(byTime([a], [b, c]).map((r) => r.id)).toEqual([2, 3, 1]);
  });
});

describe("the extension's own runs", () => {
  const run: EasRunView = {
    id: 'run-1',
    kind: 'send',
    server: 'https://mail.contoso.com/Microsoft-Server-ActiveSync',
    user: 'alice',
    deviceId: 'OWAI1',
    deviceType: 'OWAInspector',
    protocolVersion: '14.1',
    startedAt: 1000,
    finishedAt: 2000,
    state: 'done',
    steps: [
      {
        step: 'FolderSync',
        startedAt: new Date(1500).toISOString(),
        durationMs: 30,
        request: {
          method: 'POST',
          url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=OWAI1&DeviceType=OWAInspector',
          headers: [
            ['Authorization', 'Basic [redacted]'],
            ['MS-ASProtocolVersion', '14.1'],
            ['Content-Type', 'application/vnd.ms-sync.wbxml'],
          ],
          body: { byteLength: 13, xml: '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>' },
        },
        response: {
          status: 200,
          statusText: 'OK',
          headers: [['Content-Type', 'application/vnd.ms-sync.wbxml']],
          body: { byteLength: 15, xml: '<FolderSync xmlns="FolderHierarchy:"><Status>142</Status></FolderSync>' },
        },
        notes: [],
      },
    ],
  };

  it('are marked as the extension’s, keep stable ids, and show XML until the raw bytes come', () => {
    const ids = new Map<string, number>();
    const idOf = (key: string): number => ids.get(key) ?? (ids.set(key, ids.size + 1), ids.size);
    const [first] = recordsFromRuns([run], idOf);
    expect(first).toMatchObject({ id: 1, command: 'FolderSync', source: { kind: 'extension', run: 'run-1', step: 'FolderSync' } });
    expect(first!.responseBody?.state).toBe('xml');
    expect(first!.protocolStatus?.code).toBe(142);
    expect(first!.entry.request.headers.find((h) => h.name === 'Authorization')?.value).toBe('Basic [redacted]');

    const bytes = new Map([['run-1:0', { request: Buffer.from(FOLDERSYNC_REQUEST).toString('base64'), response: Buffer.from(FOLDERSYNC_142).toString('base64') }]]);
    const [again] = recordsFromRuns([run], idOf, bytes);
    expect(again!.id).toBe(1);
    expect(again!.responseBody).toMatchObject({ state: 'bytes', bytes: FOLDERSYNC_142 });
    expect(again!.protocolStatus).toEqual({ code: 142, namespace: 'FolderHierarchy', parent: 'FolderSync' });
  });
});
