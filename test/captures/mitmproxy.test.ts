// mitmproxy flow files without mitmproxy: tnetstrings (the examples are those of mitmproxy's
// io/tnetstring.py) and flows in the later formats (mitmproxy 9–12, flow format 18–21), written
// here by a small encoder of the test's own. Files made by the real mitmdump 8.1.1 are read in
// test/integration/captures-mitmproxy.test.ts.
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/captures/index.js';
import { parseTNetString, TNetError } from '../../src/captures/tnetstring.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_REQUEST, blobOf, bytesOf } from './helpers.js';
import { gzipSync } from 'node:zlib';

type Value = null | boolean | number | string | Uint8Array | Value[] | { [key: string]: Value };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** tnetstring.dumps as mitmproxy writes it: str as `;`, bytes as `,`. */
function dump(value: Value): Uint8Array {
  const wrap = (data: Uint8Array, type: string): Uint8Array => cat(enc(`${data.length}:`), data, enc(type));
  if (value === null) return enc('0:~');
  if (value === true) return enc('4:true!');
  if (value === false) return enc('5:false!');
  if (typeof value === 'number') return wrap(enc(String(value)), Number.isInteger(value) ? '#' : '^');
  if (typeof value === 'string') return wrap(enc(value), ';');
  if (value instanceof Uint8Array) return wrap(value, ',');
  if (Array.isArray(value)) return wrap(cat(...value.map(dump)), ']');
  return wrap(cat(...Object.entries(value).flatMap(([k, v]) => [dump(k), dump(v)])), '}');
}

function flow(version: number, path: string, requestBody: Uint8Array, response: Value): Uint8Array {
  return dump({
    version,
    type: 'http',
    id: 'a6f8…',
    error: null,
    request: {
      host: 'mail.contoso.com',
      port: 443,
      method: enc('POST'),
      scheme: enc('https'),
      authority: enc(''),
      path: enc(path),
      http_version: enc('HTTP/1.1'),
      headers: [
        [enc('Content-Type'), enc('application/vnd.ms-sync.wbxml')],
        [enc('MS-ASProtocolVersion'), enc('16.1')],
      ],
      content: requestBody,
      trailers: null,
      timestamp_start: 1700000000.25,
      timestamp_end: 1700000000.5,
    },
    response,
    websocket: null,
  });
}

const RESPONSE = {
  http_version: enc('HTTP/1.1'),
  status_code: 200,
  reason: enc('OK'),
  headers: [
    [enc('Content-Type'), enc('application/vnd.ms-sync.wbxml')],
    [enc('Content-Encoding'), enc('gzip')],
  ],
  content: new Uint8Array(gzipSync(FOLDER_SYNC_142)),
  trailers: null,
  timestamp_start: 1700000000.75,
  timestamp_end: 1700000001.0,
};

describe('tnetstring', () => {
  it('parses the documented examples', () => {
    expect(parseTNetString(enc('11:hello world,'))).toEqual(enc('hello world'));
    expect(parseTNetString(enc('5:12345#'))).toBe(12345);
    expect(parseTNetString(enc('19:5:12345#4:true!1:0#]'))).toEqual([12345, true, 0]);
    expect(parseTNetString(enc('14:5:hello;3:1.5^}'))).toEqual(new Map([['hello', 1.5]]));
  });

  it('refuses damaged input with an offset', () => {
    for (const bad of ['5:123#', '99999999999999:x,', '3:abc?', 'x:', '4:1:a;}']) {
      expect(() => parseTNetString(enc(bad)), bad).toThrow(TNetError);
    }
    const deep = Array.from({ length: 100 }).reduce<string>((inner) => `${inner.length}:${inner}]`, '0:~');
    expect(() => parseTNetString(enc(deep))).toThrow(/deeper/);
  });
});

describe('mitmproxy flows', () => {
  const EAS = '/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=ABC&DeviceType=Android';

  it('reads format 20 flows (mitmproxy 11): URL from scheme, host and path, gzip undone, times', async () => {
    const file = cat(flow(20, EAS, FOLDER_SYNC_REQUEST, RESPONSE), flow(20, '/owa/', new Uint8Array(), RESPONSE), dump({ version: 20, type: 'tcp', id: 'x' }));
    const result = await readCapture('capture.mitm', blobOf(file));
    expect(result).toMatchObject({ format: 'mitmproxy', otherRequests: 2, problems: [] });
    const [e] = result.exchanges;
    expect(e).toMatchObject({ url: `https://mail.contoso.com${EAS}`, method: 'POST', httpStatus: 200, httpStatusText: 'OK', startedAt: 1700000000250, durationMs: 750 });
    expect(bytesOf(e!.request)).toEqual(FOLDER_SYNC_REQUEST);
    expect(bytesOf(e!.response)).toEqual(FOLDER_SYNC_142);
  });

  it('keeps the flows before a cut or a 4 GB length, and says where it stopped', async () => {
    const one = flow(20, EAS, FOLDER_SYNC_REQUEST, RESPONSE);
    const cut = await readCapture('cut.mitm', blobOf(cat(one, one.subarray(0, 100))));
    expect(cut.exchanges).toHaveLength(1);
    expect(cut.problems).toEqual([{ file: 'cut.mitm', where: `flow 2 (byte ${one.length})`, message: expect.stringMatching(/claims \d+ bytes, the file has 9\d left/) }]);
    const huge = await readCapture('huge.mitm', blobOf(cat(one, enc('4294967296:'), one)));
    expect(huge.exchanges).toHaveLength(1);
    expect(huge.problems[0]!.message).toMatch(/claims 4294967296 bytes/);
    const garbage = await readCapture('g.mitm', blobOf(cat(one, enc('hello'))));
    expect(garbage.problems).toEqual([{ file: 'g.mitm', where: `flow 2 (byte ${one.length})`, message: expect.stringMatching(/not a tnetstring/) }]);
  });

  it('shows a flow without a response as such', async () => {
    const result = await readCapture('x.mitm', blobOf(flow(18, EAS, FOLDER_SYNC_REQUEST, null)));
    expect(result.exchanges[0]).toMatchObject({ httpStatus: undefined, response: { kind: 'missing' } });
  });
});
