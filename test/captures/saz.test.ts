// Fiddler SAZ archives as Fiddler writes them (saz-fixture.ts builds them: raw/NN_c.txt and
// raw/NN_s.txt hold request and response as on the wire, after Telerik's "SAZ file format" and
// a SAZ saved by Fiddler Classic 5). Compression is done with node:zlib, the zip with fflate:
// neither is the code under test.
import { zipSync, Zip, ZipPassThrough } from 'fflate';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { readCapture } from '../../src/captures/index.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST, blobOf, bytesOf } from './helpers.js';
import { URL_EAS, enc, join, response, saz } from './saz-fixture.js';

describe('Fiddler SAZ', () => {
  it('reads the sessions: chunked, gzip and deflate bodies undone, timers, CONNECT counted as other', async () => {
    const result = await readCapture('fiddler.saz', blobOf(zipSync(saz())));
    expect(result).toMatchObject({ format: 'saz', otherRequests: 1, problems: [] });
    expect(result.exchanges.map((e) => [e.index, e.method, e.url, e.httpStatus])).toEqual([
      [1, 'POST', URL_EAS, 449],
      [2, 'POST', URL_EAS, 200],
      [3, 'POST', URL_EAS, 200],
    ]);
    const [first, second, third] = result.exchanges;
    expect(first!.httpStatusText).toBe('Retry after sending a PROVISION command');
    expect(first!.startedAt).toBe(Date.parse('2013-05-01T08:00:00.123Z'));
    expect(first!.durationMs).toBe(222);
    expect(bytesOf(first!.request)).toEqual(FOLDER_SYNC_REQUEST);
    expect(bytesOf(first!.response)).toEqual(FOLDER_SYNC_142);
    expect(bytesOf(second!.response)).toEqual(FOLDER_SYNC_OK);
    expect(bytesOf(third!.response)).toEqual(FOLDER_SYNC_OK);
  });

  it('reads the sessions before the cut of a truncated SAZ (entries with data descriptors)', async () => {
    // Fiddler (DotNetZip) streams entries with sizes in a trailing data descriptor, as fflate's Zip does.
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      parts.push(chunk);
    });
    for (const [name, data] of Object.entries(saz())) {
      const file = new ZipPassThrough(name);
      zip.add(file);
      file.push(data, true);
    }
    zip.end();
    const whole = join(...parts);
    // Cut 20 bytes into the data of raw/03_s.txt: session 2 is whole, session 3 lost its response.
    const name = new TextDecoder('latin1').decode(whole).indexOf('raw/03_s.txt');
    const result = await readCapture('cut.saz', blobOf(whole.subarray(0, name + 12 + 20)));
    expect(result.format).toBe('saz');
    expect(result.exchanges.map((e) => [e.httpStatus, e.response.kind])).toEqual([
      [449, 'bytes'],
      [undefined, 'missing'],
    ]);
    expect(bytesOf(result.exchanges[0]!.response)).toEqual(FOLDER_SYNC_142);
    expect(result.problems).toEqual([
      { file: 'cut.saz', where: 'end of file', message: expect.stringMatching(/no zip central directory/) },
      { file: 'cut.saz', where: `raw/03_s.txt (byte ${name - 30})`, message: 'the file is cut inside this entry' },
    ]);
  });

  it('refuses a 4 GB length in a zip header without allocating it, and keeps the other sessions', async () => {
    const files = saz();
    const zip = zipSync(files, { level: 0 });
    // Patch the uncompressed size of raw/03_s.txt in its central directory record to 0xFFFFFFF0.
    const name = enc('raw/03_s.txt');
    for (let at = 0; at < zip.length - 4; at++) {
      if (zip[at] === 0x50 && zip[at + 1] === 0x4b && zip[at + 2] === 0x01 && zip[at + 3] === 0x02 && name.every((b, i) => zip[at + 46 + i] === b))
        zip.set([0xf0, 0xff, 0xff, 0xff], at + 24);
    }
    const result = await readCapture('big.saz', blobOf(zip));
    expect(result.exchanges).toHaveLength(3);
    expect(result.problems).toEqual([{ file: 'big.saz', where: 'raw/03_s.txt', message: expect.stringMatching(/claims 4294967280 bytes/) }]);
    expect(result.exchanges[1]!.response).toMatchObject({ kind: 'missing' });
  });

  it('says when Content-Length (4 GB) or a chunk size promises more than the file holds', async () => {
    const files = saz();
    files['raw/02_s.txt'] = response('200 OK', 'Content-Length: 4294967296\r\n', FOLDER_SYNC_OK);
    files['raw/03_s.txt'] = response('200 OK', 'Transfer-Encoding: chunked\r\n', enc('100000000\r\nabc'));
    const result = await readCapture('lies.saz', blobOf(zipSync(files)));
    expect(result.exchanges).toHaveLength(3);
    expect(result.problems).toEqual([
      { file: 'lies.saz', where: 'raw/02_s.txt', message: 'Content-Length says 4294967296 bytes, the file holds 18: the body is cut short' },
      { file: 'lies.saz', where: 'raw/03_s.txt', message: expect.stringMatching(/chunk claims 4294967296 bytes, only 3 are left/) },
    ]);
    expect(bytesOf(result.exchanges[0]!.response)).toEqual(FOLDER_SYNC_OK);
  });

  it('keeps header bytes 0x80-0xFF as ISO-8859-1 characters (not windows-1252)', async () => {
    // Node's TextDecoder('latin1') happens to give ISO-8859-1; browsers give windows-1252, as
    // WHATWG says. Decode as a browser does, so that the test fails where the panel would.
    class BrowserTextDecoder extends TextDecoder {
      override decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
        const text = super.decode(input, options);
        return this.encoding === 'windows-1252' ? text.replace(/\u0080/g, '\u20ac').replace(/\u0093/g, '\u201c') : text;
      }
    }
    vi.stubGlobal('TextDecoder', BrowserTextDecoder);
    onTestFinished(() => {
      vi.unstubAllGlobals();
    });
    const files = saz();
    files['raw/02_s.txt'] = join(enc('HTTP/1.1 200 OK\r\nX-Note: '), Uint8Array.from([0x80, 0x93, 0xe9]), enc('\r\n\r\n'));
    const result = await readCapture('h.saz', blobOf(zipSync(files)));
    expect(result.exchanges[0]!.responseHeaders).toEqual([{ name: 'X-Note', value: '\u0080\u0093\u00e9' }]);
  });

  it('tells a zip that is not a SAZ, and a damaged deflate stream', async () => {
    const other = await readCapture('x.zip', blobOf(zipSync({ 'readme.txt': enc('hello') })));
    expect(other).toMatchObject({ format: undefined, problems: [{ message: expect.stringMatching(/not a Fiddler SAZ/) }] });
    const files = saz();
    files['raw/04_s.txt'] = response('200 OK', 'Content-Encoding: gzip\r\n', enc('not gzip at all'));
    const result = await readCapture('bad.saz', blobOf(zipSync(files)));
    expect(result.exchanges[2]!.response).toMatchObject({ kind: 'missing', reason: expect.stringMatching(/gzip/) });
    expect(result.problems).toEqual([{ file: 'bad.saz', where: 'raw/04_s.txt', message: expect.stringMatching(/Content-Encoding gzip/) }]);
  });

  it('stops a zip bomb at the body cap', async () => {
    const { inflateWith } = await import('../../src/captures/content-encoding.js');
    const bomb = new Uint8Array(gzipSync(new Uint8Array(8 * 1024 * 1024)));
    expect(inflateWith('gzip', bomb, 1024 * 1024)).toEqual({ ok: false, reason: `inflates to more than ${1024 * 1024} bytes` });
    expect(inflateWith('gzip', bomb, 16 * 1024 * 1024)).toMatchObject({ ok: true });
  });
});
