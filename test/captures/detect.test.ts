// Formats are told by content: a misnamed file still opens with the right reader.
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/captures/index.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it('tells each format from its first bytes, whatever the name', () => {
    expect(detectFormat(enc('\uFEFF  {"log": {"entries": []}}'), 'capture.txt')).toBe('har');
    expect(detectFormat(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'x.har')).toBe('saz');
    expect(detectFormat(enc('2808:4:type;4:http;7:version;2:17#'), 'x.log')).toBe('mitmproxy');
    expect(detectFormat(enc('RequestTime : \n2013-10-04\nRequestHeader : \nPOST /x HTTP/1.1\n'), 'x.har')).toBe('mailbox-log');
    expect(detectFormat(enc('any text\n3 1 6a 0 0 7 56 52 3 30 0 1 1\n'), 'x.saz')).toBe('hex-log');
    expect(detectFormat(Uint8Array.from([0x00, 0xff, 0x10, 0x02, 0x05]), 'x.bin')).toBe('binary');
    expect(detectFormat(new Uint8Array(), 'x')).toBe('empty');
  });
});
