import { describe, expect, it } from 'vitest';
import { parseFile, parsePasted } from '../../../src/shared/paste';

const bytes = Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01]);

describe('decode box input', () => {
  it.each([
    ['plain hex', '03016a0000075652033000 0101'],
    ['spaced upper case', '03 01 6A 00 00 07 56 52 03 30 00 01 01'],
    ['0x and commas', '0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01'],
    ['\\x escapes', '\\x03\\x01\\x6a\\x00\\x00\\x07\\x56\\x52\\x03\\x30\\x00\\x01\\x01'],
    ['xxd output', '00000000: 0301 6a00 0007 5652 0330 0001 01         ..j...VR.0...'],
    ['single digits', '3 1 6a 0 0 7 56 52 3 30 0 1 1'],
  ])('reads %s', (_, text) => {
    expect(parsePasted(text)).toEqual({ ok: true, bytes, format: 'hex' });
  });

  it('reads base64, with white space or as a data URL', () => {
    const b64 = Buffer.from(bytes).toString('base64');
    expect(parsePasted(b64)).toEqual({ ok: true, bytes, format: 'base64' });
    expect(parsePasted(`${b64.slice(0, 8)}\n${b64.slice(8)}`)).toEqual({ ok: true, bytes, format: 'base64' });
    expect(parsePasted(`data:application/vnd.ms-sync.wbxml;base64,${b64}`)).toEqual({ ok: true, bytes, format: 'base64' });
  });

  it('says what it cannot read', () => {
    expect(parsePasted('   ')).toEqual({ ok: false, error: 'empty' });
    expect(parsePasted('<Sync/> is XML')).toEqual({ ok: false, error: 'not-hex-or-base64' });
  });

  it('takes dropped files as bytes, or as hex/base64 text', () => {
    expect(parseFile(bytes)).toEqual({ ok: true, bytes, format: 'binary' });
    expect(parseFile(new TextEncoder().encode('03 01 6a 00 00 07 56 52 03 30 00 01 01\n'))).toEqual({ ok: true, bytes, format: 'hex' });
    expect(parseFile(new Uint8Array(0))).toEqual({ ok: false, error: 'empty' });
  });
});
