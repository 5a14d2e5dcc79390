// The HAR entry reader that works on bytes (har-entry.ts) against JSON.parse of the same text: it
// must keep exactly what JSON.parse gives for the fields it keeps, and give up (NotPlain) on every
// text JSON.parse refuses. The expected values come from JSON.parse and a pruning written here.
import { describe, expect, it } from 'vitest';
import { NotPlain, RawText, readPlainEntry } from '../../src/captures/har-entry.js';
import { toBase64 } from '../../src/shared/base64.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The fields the reader keeps, as JSON.parse gives them: objects and arrays in unexpected places become empty ones. */
const SCALAR = 'scalar';
type Shape = { [key: string]: Shape } | typeof SCALAR | 'headers';
const ENTRY: Shape = {
  startedDateTime: SCALAR,
  time: SCALAR,
  request: { method: SCALAR, url: SCALAR, headers: 'headers', postData: { text: SCALAR, encoding: SCALAR, mimeType: SCALAR }, bodySize: SCALAR },
  response: { status: SCALAR, statusText: SCALAR, headers: 'headers', content: { text: SCALAR, encoding: SCALAR, mimeType: SCALAR, size: SCALAR } },
};

function prune(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) return shape === 'headers' ? value.map((h) => prune(h, { name: SCALAR, value: SCALAR })) : [];
  if (typeof value === 'object' && value !== null) {
    if (typeof shape !== 'object') return {};
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (Object.hasOwn(shape, key)) out[key] = prune(inner, shape[key]!);
    return out;
  }
  return value;
}

/** The reader's value with each RawText turned into its string. */
function materialized(value: unknown): unknown {
  if (value instanceof RawText) return value.text();
  if (Array.isArray(value)) return value.map(materialized);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialized(v)]));
  return value;
}

function readAll(text: string): unknown {
  const { value, raws } = readPlainEntry(encode(text));
  for (const raw of raws) raw.checked();
  return materialized(value);
}

const base64 = toBase64(Uint8Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));

const entry = {
  startedDateTime: '2026-12-01T10:00:00.123+01:00',
  time: 12.5,
  request: {
    method: 'POST',
    url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=Sync&User=ren\u00e9&x="q"&y=\\',
    httpVersion: 'HTTP/1.1',
    headers: [
      { name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml', comment: 'ignored' },
      { name: 'X-Quote', value: 'say "hi" \u00e9\u4e2d\ud83d\ude00 \t tab' },
      'not a header',
      { name: 'Empty', value: '' },
    ],
    cookies: [{ name: 'a', value: 'b', expires: null, httpOnly: false }],
    queryString: [],
    postData: { mimeType: 'application/vnd.ms-sync.wbxml', text: '\u0003\u0001j\u0000\u0000\u0007VR\u00030\u0000\u0001\u0001', params: [] },
    headersSize: -1,
    bodySize: 13,
  },
  response: {
    status: 200,
    statusText: 'OK',
    headers: [{ name: 'Content-Length', value: '2250' }],
    content: { size: 3000, mimeType: 'application/vnd.ms-sync.wbxml', text: base64, encoding: 'base64', compression: 0 },
    redirectURL: '',
    _transferSize: 3300,
  },
  cache: {},
  timings: { blocked: -1, dns: 0.25, ssl: -1, connect: 1e-3, send: 0.5e2, wait: -12.75e-1, receive: 0 },
  _initiator: { type: 'script', stack: { callFrames: [{ functionName: '', lineNumber: 0, deep: [[[[{ x: [true, false, null] }]]]] }] } },
};

describe('readPlainEntry', () => {
  it('keeps what JSON.parse gives for the kept fields, on compact and pretty-printed entries', () => {
    for (const text of [JSON.stringify(entry), JSON.stringify(entry, null, 2), JSON.stringify(entry, null, '\t').replace(/\n/g, '\r\n')]) {
      expect(readAll(text)).toEqual(prune(JSON.parse(text), ENTRY));
    }
  });

  it('keeps a base64 body as its bytes in the file, other body texts with escapes as strings', () => {
    const { value } = readPlainEntry(encode(JSON.stringify(entry)));
    const { request, response } = value as { request: { postData: { text: unknown } }; response: { content: { text: unknown } } };
    expect(response.content.text).toBeInstanceOf(RawText);
    expect(new TextDecoder().decode((response.content.text as RawText).bytes)).toBe(base64);
    expect(request.postData.text).toBe(entry.request.postData.text);
  });

  it('agrees with JSON.parse on fields in another order, duplicates, escapes in keys, odd types and numbers', () => {
    const texts = [
      // Another order, the response first, and a duplicate key (the last wins).
      `{"response":{"content":{"text":"QUJD","encoding":"base64"},"status":449,"status":500},"request":{"url":"u","method":"GET","headers":[]},"time":-0}`,
      // Keys written with escapes are the same keys.
      `{"req\\u0075est":{"m\\u0065thod":"POST","url":"https:\\/\\/x\\/Microsoft-Server-ActiveSync","headers":[{"n\\u0061me":"A","value":"\\u00e9"}]}}`,
      // Objects and arrays where strings, numbers or objects are expected.
      `{"request":[1,2],"response":{"status":{"a":1},"headers":{"name":"x"},"content":[]},"time":[],"startedDateTime":{}}`,
      `{"request":{"method":null,"url":true,"headers":[null,1,"x",[],{"name":1,"value":"v"}],"postData":{"text":{"a":"b"},"mimeType":["x"]}}}`,
      // Numbers of every form JSON has.
      `{"time":1.5e+300,"request":{"bodySize":-0.0,"method":"GET","url":"x"},"response":{"status":1E2,"content":{"size":123456789012345678901234567890}}}`,
      `{"time":1e400,"request":{"bodySize":0,"method":"GET","url":"x"}}`,
      // Empty containers and white space everywhere.
      ` { "request" : { "headers" : [ ] , "postData" : { } , "method" : "" , "url" : "" } , "response" : { } } `,
      // Characters above U+FFFF and raw UTF-8 in skipped and kept strings.
      `{"comment":"😀 é","request":{"method":"GET","url":"https://x/é?q=😀","headers":[{"name":"é","value":"中文"}]}}`,
      // A body with escapes (Fiddler-like \\/ in base64) and one empty.
      `{"request":{"postData":{"text":""}},"response":{"content":{"text":"QU\\/D","encoding":"base64"}}}`,
      // __proto__ and constructor as keys, kept out as JSON.parse keeps them as plain data.
      `{"__proto__":{"x":1},"request":{"__proto__":[],"constructor":"c","method":"GET","url":"x"}}`,
      // Entries that are not objects (the scanner hands over any value in log.entries).
      `[{"request":{}}]`,
      `"x"`,
      `12`,
      `null`,
    ];
    for (const text of texts) expect(readAll(text), text).toEqual(prune(JSON.parse(text), ENTRY));
  });

  it('gives up on every text JSON.parse refuses, in kept and skipped fields and in bodies', () => {
    const bad = [
      `{"request":{"method":"GET",}}`,
      `{"request":{"method":"GET"}`,
      `{"request":{"method" "GET"}}`,
      `{"request":{"method":'GET'}}`,
      `{"time":01}`,
      `{"time":1.}`,
      `{"time":-}`,
      `{"time":.5}`,
      `{"time":+1}`,
      `{"time":1e}`,
      `{"time":NaN}`,
      `{"x":tru}`,
      `{"x":nul}`,
      `{"x":[1,]}`,
      `{"x":[1 2]}`,
      `{"request":{"url":"a\tb"}}`,
      `{"skipped":"a\nb"}`,
      `{"response":{"content":{"text":"QUJD\u0001","encoding":"base64"}}}`,
      `{"response":{"content":{"text":"abc\u001f"}}}`,
      `{"request":{"url":"\\x"}}`,
      `{"skipped":"\\u12"}`,
      `{"skipped":"\\u12G4"}`,
      `{"request":{"url":"abc}}`,
      `{"a":1}{"b":2}`,
      `{"a":1} x`,
      `{a:1}`,
      `{"a":1,}`,
      `[1,]`,
    ];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(() => readAll(text), text).toThrow(NotPlain);
    }
  });
});
