// The public identifier says which language a WBXML document speaks (issue 12, item 4). SyncML,
// WML and the like decoded with ActiveSync's code pages give meaningless AirSync names, so they
// are refused, or decoded with a warning when asked.

import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, encode, fromXml, toXml, WbxmlError } from '../../src/wbxml/index.js';
import { termstr } from './helpers.js';

/** SyncML 1.1 (public id 0xFD3, mb_u_int32 9F 53), UTF-8, no table: <SyncML> is token 0x2D on page 0. */
const SYNCML_11 = Uint8Array.from([0x03, 0x9f, 0x53, 0x6a, 0x00, 0x6d, 0x01]);

function error(run: () => unknown): WbxmlError {
  try {
    run();
  } catch (caught) {
    if (caught instanceof WbxmlError) return caught;
    throw caught;
  }
  throw new Error('no error');
}

describe('public identifiers', () => {
  it('refuses a document whose public identifier names another language, saying which', () => {
    for (const run of [() => decode(SYNCML_11), () => decodeToXml(SYNCML_11)]) {
      const refused = error(run);
      expect(refused.code).toBe('not-activesync');
      expect(refused.offset).toBe(1);
      expect(refused.message).toMatch(/names SyncML 1\.1 \(public identifier 0xfd3\)/);
    }
    const table = termstr('-//SYNCML//DTD SyncML 1.2//EN');
    const byString = Uint8Array.from([0x03, 0x00, 0x00, 0x6a, table.length, ...table, 0x6d, 0x01]);
    expect(error(() => decode(byString)).message).toMatch(/names SyncML 1\.2 \(public identifier "-\/\/SYNCML\/\/DTD SyncML 1\.2\/\/EN"\)/);
    expect(error(() => decode(Uint8Array.from([0x03, 0x04, 0x6a, 0x00, 0x05]))).message).toMatch(/WML 1\.1/);
  });

  it('decodes one anyway when asked, with a warning, and keeps its header', () => {
    const warnings: string[] = [];
    const doc = decode(SYNCML_11, { anyDocument: true, warn: (message) => warnings.push(message) });
    expect(doc.otherDocument).toBe('SyncML 1.1 (public identifier 0xfd3)');
    expect(warnings).toEqual([expect.stringMatching(/not an ActiveSync document: the header names SyncML 1\.1/)]);
    expect(encode(doc)).toEqual(SYNCML_11);
    expect(toXml(doc)).toMatch(/^<\?wbxml header version=3 public-id=4051 charset=106\?>\n/);
    expect(encode(fromXml(toXml(doc)))).toEqual(SYNCML_11);
  });

  it("accepts ActiveSync's identifiers: 1, and the DTD name libwbxml writes", () => {
    expect(decode(Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x05])).otherDocument).toBeUndefined();
    const table = termstr('-//MICROSOFT//DTD ActiveSync//EN');
    expect(decode(Uint8Array.from([0x03, 0x00, 0x00, 0x6a, table.length, ...table, 0x05])).publicIdText).toBe('-//MICROSOFT//DTD ActiveSync//EN');
  });
});
