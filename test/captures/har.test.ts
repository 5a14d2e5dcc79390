// HAR files as Chrome, Firefox, Fiddler, Charles and mitmproxy write them: the entry shapes are
// copied from each tool's HAR (body encodings especially); bodies are MS-ASWBXML bytes by hand.
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/captures/index.js';
import { readHar } from '../../src/captures/har.js';
import { leadingBytes } from '../../src/captures/lazy-bytes.js';
import { fromBase64, toBase64 } from '../../src/shared/base64.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST, blobOf, bytesOf } from './helpers.js';

const EAS = 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=ABC&DeviceType=iPhone';
const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

function entry(overrides: { url?: string; postData?: object; content?: object; status?: number; requestHeaders?: object[]; responseHeaders?: object[] } = {}): object {
  return {
    startedDateTime: '2026-12-01T10:00:00.000Z',
    time: 42,
    request: {
      method: 'POST',
      url: overrides.url ?? EAS,
      httpVersion: 'HTTP/1.1',
      headers: overrides.requestHeaders ?? [
        { name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' },
        { name: 'MS-ASProtocolVersion', value: '14.1' },
        { name: 'Content-Length', value: String(FOLDER_SYNC_REQUEST.length) },
      ],
      postData: overrides.postData ?? { mimeType: 'application/vnd.ms-sync.wbxml', text: latin1(FOLDER_SYNC_REQUEST) },
      bodySize: FOLDER_SYNC_REQUEST.length,
    },
    response: {
      status: overrides.status ?? 449,
      statusText: 'Retry With',
      headers: overrides.responseHeaders ?? [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }],
      content: overrides.content ?? { size: FOLDER_SYNC_142.length, mimeType: 'application/vnd.ms-sync.wbxml', text: toBase64(FOLDER_SYNC_142), encoding: 'base64' },
    },
  };
}

const har = (entries: object[], creator = 'WebInspector'): string => JSON.stringify({ log: { version: '1.2', creator: { name: creator, version: '1' }, pages: [], entries } }, null, 1);

describe('HAR', () => {
  it('reads Chrome entries: base64 response, Latin-1 request text checked against Content-Length', async () => {
    const result = await readCapture('chrome.har', blobOf(har([entry()])));
    expect(result).toMatchObject({ file: 'chrome.har', format: 'har', otherRequests: 0, problems: [] });
    const [e] = result.exchanges;
    expect(e).toMatchObject({ file: 'chrome.har', index: 1, format: 'har', method: 'POST', url: EAS, httpStatus: 449, startedAt: Date.parse('2026-12-01T10:00:00Z'), durationMs: 42 });
    expect(bytesOf(e!.request)).toEqual(FOLDER_SYNC_REQUEST);
    expect(bytesOf(e!.response)).toEqual(FOLDER_SYNC_142);
  });

  it("reads Firefox's base64 without an encoding field as base64 (by MIME type and WBXML start)", async () => {
    const content = { size: FOLDER_SYNC_OK.length, mimeType: 'application/vnd.ms-sync.wbxml', text: toBase64(FOLDER_SYNC_OK) };
    const result = await readCapture('firefox.har', blobOf(har([entry({ content, status: 200 })], 'Firefox')));
    expect(bytesOf(result.exchanges[0]!.response)).toEqual(FOLDER_SYNC_OK);
  });

  it("reads mitmproxy's surrogate-escaped request text and Fiddler's base64 postData", async () => {
    const withHigh = Uint8Array.from([...FOLDER_SYNC_REQUEST.subarray(0, 8), 0xe9, 0x80, ...FOLDER_SYNC_REQUEST.subarray(8)]);
    const escaped = [...withHigh].map((b) => (b >= 0x80 ? String.fromCharCode(0xdc00 + b) : String.fromCharCode(b))).join('');
    const fiddler = entry({ postData: { mimeType: 'application/vnd.ms-sync.wbxml', text: toBase64(FOLDER_SYNC_REQUEST), encoding: 'base64' } });
    const mitm = entry({ postData: { mimeType: 'application/vnd.ms-sync.wbxml', text: escaped }, requestHeaders: [] });
    const result = await readCapture('x.har', blobOf(har([fiddler, mitm])));
    expect(bytesOf(result.exchanges[0]!.request)).toEqual(FOLDER_SYNC_REQUEST);
    expect(bytesOf(result.exchanges[1]!.request)).toEqual(withHigh);
  });

  it('says why a body is missing: lossy text, none captured', async () => {
    const lossy = entry({ postData: { mimeType: 'application/vnd.ms-sync.wbxml', text: '\u0003\u0001j\u0000\uFFFD' } });
    const none = entry({ content: { size: 15, mimeType: 'application/vnd.ms-sync.wbxml' } });
    const result = await readCapture('x.har', blobOf(har([lossy, none])));
    expect(result.exchanges[0]!.request).toEqual({ kind: 'missing', reason: expect.stringMatching(/lost/) });
    expect(result.exchanges[1]!.response).toEqual({ kind: 'missing', reason: expect.stringMatching(/no body/) });
  });

  it('counts other traffic and leaves it out; Chrome status 0 is no response', async () => {
    const other = entry({ url: 'https://mail.contoso.com/owa/service.svc?action=GetFolder' });
    const failed = entry({ status: 0, content: { size: 0, mimeType: 'x-unknown' } });
    const result = await readCapture('x.har', blobOf(har([other, entry(), other, failed])));
    expect(result.otherRequests).toBe(2);
    expect(result.exchanges.map((e) => [e.index, e.httpStatus])).toEqual([
      [1, 449],
      [2, undefined],
    ]);
  });

  it('finds entries across any chunk boundary, escapes included (1-, 7- and 4096-byte chunks)', async () => {
    const tricky = entry({ url: `${EAS}&x=${encodeURIComponent('"}]\\')}` });
    // A string ending in a backslash ("…\\\\" in JSON) and one with an escaped quote after escaped backslashes.
    const text = har([tricky, { ...entry(), comment: 'quote " backslash \\ brace } bracket ] \\\\"' }, { ...entry(), comment: 'ends in a backslash \\' }, entry()]);
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 7, 4096]) {
      const result = await readHar('x.har', blobOf(bytes), {}, size);
      expect(result.problems).toEqual([]);
      expect(result.exchanges.map((e) => e.url)).toEqual((JSON.parse(text) as { log: { entries: Array<{ request: { url: string } }> } }).log.entries.map((e) => e.request.url));
    }
  });

  it('reads entries of every shape as JSON.parse reads them, split across any chunk boundary', async () => {
    const big = Uint8Array.from({ length: 6000 }, (_, i) => (i * 31) % 256);
    const shapes: object[] = [
      entry({ url: `${EAS}&Name=Ren\u00e9%20"q"`, requestHeaders: [{ name: 'X-Quote', value: 'a "b" \\ \u00e9 😀' }] }),
      // A big base64 body, fields in another order, pretty-printed below.
      {
        response: { content: { encoding: 'base64', text: toBase64(big), mimeType: 'application/vnd.ms-sync.wbxml', size: big.length }, headers: [], statusText: 'OK', status: 200 },
        request: { headers: [], url: EAS, method: 'POST' },
        time: 3,
      },
      // Firefox: base64 without an encoding field; no content text at all; no response.
      entry({ status: 200, content: { size: FOLDER_SYNC_OK.length, mimeType: 'application/vnd.ms-sync.wbxml', text: toBase64(FOLDER_SYNC_OK) } }),
      entry({ content: { size: 15, mimeType: 'application/vnd.ms-sync.wbxml' } }),
      { startedDateTime: 'not a date', request: { method: 'OPTIONS', url: EAS, headers: [], nested: { a: [{ b: [1, 2, { c: null }] }] } } },
      // Text that is not base64 under a base64 label, and base64 with escaped slashes (as PHP writes).
      entry({ content: { mimeType: 'application/vnd.ms-sync.wbxml', text: 'not base64!', encoding: 'base64' } }),
      entry({ postData: { mimeType: 'text/plain', text: 'plain text é' }, requestHeaders: [] }),
      entry({ url: 'https://mail.contoso.com/owa/?x=é' }),
    ];
    const text = JSON.stringify({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: shapes } }, null, 2);
    // Escape the slashes of one base64 body the way some tools do.
    const escaped = text.replace(toBase64(FOLDER_SYNC_142), toBase64(FOLDER_SYNC_142).replace(/\//g, '\\/'));
    const parsed = (JSON.parse(escaped) as { log: { entries: Array<{ request: { url: string; method: string }; response?: { status: number; content: { text?: string } } }> } }).log.entries;
    const bytes = new TextEncoder().encode(escaped);
    for (const size of [1, 7, 1000, 4096, bytes.length]) {
      const result = await readHar('x.har', blobOf(bytes), {}, size);
      expect(result.problems).toEqual([]);
      expect(result.otherRequests).toBe(1);
      const expected = parsed.filter((e) => e.request.url.includes('Microsoft-Server-ActiveSync'));
      expect(result.exchanges.map((e) => [e.url, e.method, e.httpStatus])).toEqual(
        expected.map((e) => [e.request.url, e.request.method, e.response?.status === 0 ? undefined : e.response?.status]),
      );
      // Each base64 body as the shared decoder reads the text JSON.parse gives; the big one read
      // from the file's bytes (har-entry.ts) and not decoded yet.
      expect(leadingBytes(result.exchanges[1]!.response as { bytes: Uint8Array }, 4).whole).toBe(false);
      expect(bytesOf(result.exchanges[1]!.response)).toEqual(big);
      expect(bytesOf(result.exchanges[0]!.response)).toEqual(fromBase64(expected[0]!.response!.content.text!));
      expect(bytesOf(result.exchanges[2]!.response)).toEqual(FOLDER_SYNC_OK);
      expect(result.exchanges[3]!.response).toEqual({ kind: 'missing', reason: expect.stringMatching(/no body/) });
      expect(result.exchanges[4]).toMatchObject({ method: 'OPTIONS', startedAt: undefined, httpStatus: undefined, response: { kind: 'missing' } });
      expect(result.exchanges[5]!.response).toEqual({ kind: 'bytes', bytes: new TextEncoder().encode('not base64!') });
      expect(result.exchanges[6]!.request).toEqual({ kind: 'bytes', bytes: new TextEncoder().encode('plain text é') });
    }
  });

  it('reports a control character in a base64 body or in other traffic as invalid JSON, as JSON.parse does', async () => {
    const good = JSON.stringify(entry());
    const rawControl = good.replace(toBase64(FOLDER_SYNC_142), `QUJD${String.fromCharCode(1)}`);
    const otherRaw = JSON.stringify(entry({ url: 'https://x/other' })).replace(toBase64(FOLDER_SYNC_142), `QUJD${String.fromCharCode(9)}`);
    const text = `{"log":{"entries":[${good},${rawControl},${otherRaw},${good}]}}`;
    const result = await readCapture('bad.har', blobOf(text));
    for (const raw of [rawControl, otherRaw]) expect(() => JSON.parse(raw)).toThrow(/control character/);
    expect(result.exchanges).toHaveLength(2);
    expect(result.otherRequests).toBe(0);
    expect(result.problems.map((p) => [p.where, p.message.slice(0, 12)])).toEqual([
      [`entry 2 (byte ${text.indexOf(rawControl)})`, 'invalid JSON'],
      [`entry 3 (byte ${text.indexOf(otherRaw)})`, 'invalid JSON'],
    ]);
  });

  it('keeps the entries before invalid JSON and names the entry and byte', async () => {
    const good = JSON.stringify(entry());
    const text = `{"log":{"version":"1.2","entries":[${good},{"request": {"method": "POST", "url": nope}},${good}]}}`;
    const result = await readCapture('bad.har', blobOf(text));
    expect(result.exchanges).toHaveLength(2);
    expect(result.problems).toEqual([{ file: 'bad.har', where: `entry 2 (byte ${text.indexOf('{"request"')})`, message: expect.stringMatching(/^invalid JSON/) }]);
  });

  it('reads a file cut short up to the cut and says where', async () => {
    const text = har([entry(), entry(), entry()]);
    const cut = text.slice(0, text.lastIndexOf('"request"'));
    const result = await readCapture('cut.har', blobOf(cut));
    expect(result.exchanges).toHaveLength(2);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toMatch(/ends inside entry 3 .*cut short/);
  });

  it('reports invalid JSON around the entries, and JSON that is not a HAR', async () => {
    const broken = await readCapture('a.har', blobOf(`{"log":{"entries":[${JSON.stringify(entry())}], "creator": oops}}`));
    expect(broken.exchanges).toHaveLength(1);
    expect(broken.problems[0]).toMatchObject({ where: 'outside the entries', message: expect.stringMatching(/invalid JSON/) });
    const notHar = await readCapture('b.json', blobOf('{"name": "package", "entries": []}'));
    expect(notHar).toMatchObject({ format: undefined, exchanges: [], problems: [{ file: 'b.json', message: expect.stringMatching(/not a HAR/) }] });
  });

  it('stops between slices once the signal aborts, in the middle of a file', async () => {
    const controller = new AbortController();
    const blob = blobOf(har([entry(), entry(), entry()]));
    let slices = 0;
    // The caller gives up while the second slice is being read.
    const watched = Object.assign(blob, {
      slice: (start?: number, end?: number) => {
        if (++slices === 2) controller.abort(new Error('cancelled in the middle'));
        return Blob.prototype.slice.call(blob, start, end);
      },
    });
    await expect(readHar('x.har', watched, { signal: controller.signal }, 256)).rejects.toThrow('cancelled in the middle');
    expect(slices).toBeLessThan(5);
  });

  it('stops when the signal aborts, and reports progress up to the whole size', async () => {
    const blob = blobOf(har([entry()]));
    const seen: number[] = [];
    await readCapture('x.har', blob, { onProgress: (read, total) => seen.push(read / total) });
    expect(seen.at(-1)).toBe(1);
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    await expect(readCapture('x.har', blob, { signal: controller.signal })).rejects.toThrow('user cancelled');
  });
});
