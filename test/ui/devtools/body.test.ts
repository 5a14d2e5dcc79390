import { describe, expect, it } from 'vitest';
import { bytesFromText, isTextMimeType, requestBody, responseBody } from '../../../src/ui/devtools/model/body';
import { decode, encodeXml } from '../../../src/wbxml';
import { chromePostText } from './fixtures';

const decodes = (b: Uint8Array): boolean => {
  try {
    decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('request bodies from HAR postData.text', () => {
  it('takes a UTF-8 body that Chrome gave as UTF-8 text, checked against Content-Length', () => {
    const bytes = encodeXml('<Provision xmlns="Provision:"><Policies><Policy><PolicyType>Persönlich 東京 😀</PolicyType></Policy></Policies></Provision>');
    const text = chromePostText(bytes);
    expect(text).toContain('Persönlich 東京 😀');
    expect(requestBody({ method: 'POST', text, contentLength: bytes.length })).toEqual({ state: 'bytes', bytes, via: 'utf8' });
  });

  it('takes a binary body that Chrome gave one character per byte (seen in Chrome 156)', () => {
    // OPAQUE (0xC3) followed by a length byte is not UTF-8: Chrome hands it over as Latin-1.
    const bytes = Uint8Array.from([3, 1, 0x6a, 0, 0, 0x16, 0x45, 0xc3, 0x05, 0xff, 0xfe, 0x80, 0, 0x41, 1, 1]);
    const text = chromePostText(bytes);
    expect(text).toBe('\u0003\u0001j\u0000\u0000\u0016E\u00c3\u0005\u00ff\u00fe\u0080\u0000A\u0001\u0001');
    expect(requestBody({ method: 'POST', text, contentLength: 16 })).toEqual({ state: 'bytes', bytes, via: 'latin1' });
  });

  it('tells a UTF-8 reading from a Latin-1 one by the length (c3 b6 is "ö" or "Ã¶")', () => {
    const bytes = Uint8Array.from([0xc3, 0xb6]);
    expect(bytesFromText('ö', 2)).toEqual({ state: 'bytes', bytes, via: 'utf8' });
    expect(bytesFromText('Ã¶', 2)).toEqual({ state: 'bytes', bytes, via: 'latin1' });
  });

  it('refuses text with U+FFFD: Chrome replaced bytes of a large or Blob body and they are gone', () => {
    // What Chrome 156 gave for the Blob body 03 01 6a 00 00 16 45 c3 b6 ff c3 05 e6 9d b1 01.
    expect(requestBody({ method: 'POST', text: '\u0003\u0001j\u0000\u0000\u0016Eö\ufffd\ufffd\u0005東\u0001', contentLength: 16 })).toEqual({
      state: 'unavailable',
      reason: 'lossy',
    });
  });

  it('refuses text whose every reading has the wrong length', () => {
    expect(bytesFromText('abc', 4)).toEqual({ state: 'unavailable', reason: 'lossy' });
    expect(bytesFromText('€', 2)).toEqual({ state: 'unavailable', reason: 'lossy' });
  });

  it('without Content-Length: takes the reading that decodes, and says it is unverified', () => {
    // <Sync> holding OPAQUE ff fe: as Latin-1 it decodes; as UTF-8 (c3 83 02 c3 bf c3 be) it does not.
    const bytes = Uint8Array.from([3, 1, 0x6a, 0, 0x45, 0xc3, 0x02, 0xff, 0xfe, 1]);
    expect(decodes(bytes)).toBe(true);
    expect(bytesFromText(chromePostText(bytes), undefined, decodes)).toEqual({ state: 'bytes', bytes, via: 'latin1', unverified: true });
    expect(bytesFromText('ü', undefined, decodes)).toMatchObject({ state: 'bytes', via: 'utf8', unverified: true });
    expect(bytesFromText('東', undefined, decodes)).toMatchObject({ state: 'bytes', via: 'utf8', unverified: true });
    // Latin-1 bytes c3 bc are valid UTF-8: a browser would have shown them as "ü", so "Ã¼" is UTF-8 text.
    expect(bytesFromText('Ã¼', undefined, decodes)).toMatchObject({ via: 'utf8' });
  });

  it('an ASCII body needs no guessing', () => {
    expect(bytesFromText('\u0003\u0001j\u0000', undefined)).toEqual({ state: 'bytes', bytes: Uint8Array.from([3, 1, 0x6a, 0]), via: 'text' });
  });

  it('no postData: empty for OPTIONS or Content-Length 0, else not captured', () => {
    expect(requestBody({ method: 'OPTIONS', text: undefined, contentLength: undefined })).toEqual({ state: 'empty' });
    expect(requestBody({ method: 'POST', text: undefined, contentLength: 0 })).toEqual({ state: 'empty' });
    expect(requestBody({ method: 'POST', text: undefined, contentLength: 41 })).toEqual({ state: 'unavailable', reason: 'not-captured' });
    expect(requestBody({ method: 'POST', text: '', contentLength: 41 })).toEqual({ state: 'unavailable', reason: 'not-captured' });
  });
});

describe('response bodies from getContent', () => {
  const bytes = encodeXml('<FolderSync xmlns="FolderHierarchy:"><Status>1</Status></FolderSync>');
  const base64 = Buffer.from(bytes).toString('base64');

  it("Chrome's (content, 'base64')", () => {
    expect(responseBody({ content: base64, second: 'base64', contentLength: bytes.length })).toEqual({ state: 'bytes', bytes, via: 'base64' });
  });

  it("Chrome's text bodies come with encoding ''", () => {
    const html = '<html><body>400 Bad Request</body></html>';
    expect(responseBody({ content: html, second: '', contentLength: html.length })).toMatchObject({ state: 'bytes', via: 'text' });
  });

  it("Firefox's (content, mimeType): base64 for types it does not count as text", () => {
    expect(responseBody({ content: base64, second: 'application/vnd.ms-sync.wbxml', contentLength: undefined })).toEqual({ state: 'bytes', bytes, via: 'base64' });
    expect(responseBody({ content: '<p>hi</p>', second: 'text/html; charset=utf-8', contentLength: undefined })).toMatchObject({ state: 'bytes', via: 'text' });
  });

  it("a HAR log's content.encoding", () => {
    expect(responseBody({ content: base64, second: null, harEncoding: 'base64', contentLength: undefined })).toMatchObject({ state: 'bytes', via: 'base64' });
  });

  it('a body shorter than its Content-Length was cut off (Firefox keeps 1 MB)', () => {
    expect(responseBody({ content: base64, second: 'application/vnd.ms-sync.wbxml', contentLength: bytes.length + 100 })).toEqual({ state: 'unavailable', reason: 'truncated' });
  });

  it('empty and missing bodies', () => {
    expect(responseBody({ content: '', second: '', contentLength: 0 })).toEqual({ state: 'empty' });
    expect(responseBody({ content: '', second: '', contentLength: undefined })).toEqual({ state: 'empty' });
    expect(responseBody({ content: null, second: null, contentLength: undefined })).toEqual({ state: 'unavailable', reason: 'not-captured' });
  });

  it("knows Firefox's text types", () => {
    expect(isTextMimeType('application/vnd.ms-sync.wbxml')).toBe(false);
    expect(isTextMimeType('text/html; charset=utf-8')).toBe(true);
    expect(isTextMimeType('application/soap+xml')).toBe(true);
    expect(isTextMimeType('application/json')).toBe(true);
  });
});
