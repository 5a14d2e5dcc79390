// The encoder writes what real clients send.

import { describe, expect, it } from 'vitest';
import { createDocument, decode, element, encode, encodeXml, fromXml, toXml } from '../../src/wbxml/index.js';
import { hexBytes } from './helpers.js';

// [MS-ASWBXML] section 3, "Algorithm Examples": a Sync response with a new contact, as XML and as
// the bytes Microsoft gives for it.
const MS_EXAMPLE_XML = `<?xml version="1.0" encoding="utf-8"?>
<Sync xmlns="AirSync" xmlns:airsyncbase="AirSyncBase" xmlns:contacts="Contacts">
  <Collections>
    <Collection>
      <Class>Contacts</Class>
      <SyncKey>2</SyncKey>
      <CollectionId>2</CollectionId>
      <Status>1</Status>
      <Commands>
        <Add>
          <ServerId>2:1</ServerId>
          <ApplicationData>
            <airsyncbase:Body>
              <airsyncbase:Type>1</airsyncbase:Type>
              <airsyncbase:EstimatedDataSize>0</airsyncbase:EstimatedDataSize>
              <airsyncbase:Truncated>1</airsyncbase:Truncated>
            </airsyncbase:Body>
            <contacts:FileAs>Funk, Don</contacts:FileAs>
            <contacts:FirstName>Don</contacts:FirstName>
            <contacts:LastName>Funk</contacts:LastName>
            <airsyncbase:NativeBodyType>1</airsyncbase:NativeBodyType>
          </ApplicationData>
        </Add>
      </Commands>
    </Collection>
  </Collections>
</Sync>`;
const MS_EXAMPLE_BYTES = hexBytes(`03 01 6A 00 45 5C 4F 50 03 43 6F 6E 74 61 63 74 73 00 01 4B 03 32 00 01 52 03 32 00 01
  4E 03 31 00 01 56 47 4D 03 32 3A 31 00 01 5D 00 11 4A 46 03 31 00 01 4C 03 30 00 01 4D 03 31 00 01 01 00 01 5E 03 46
  75 6E 6B 2C 20 44 6F 6E 00 01 5F 03 44 6F 6E 00 01 69 03 46 75 6E 6B 00 01 00 11 56 03 31 00 01 01 01 01 01 01 01`);

describe('encode', () => {
  it("writes Microsoft's published example byte for byte", () => {
    expect(encodeXml(MS_EXAMPLE_XML)).toEqual(MS_EXAMPLE_BYTES);
  });

  it("decodes Microsoft's example back to the same document", () => {
    expect(toXml(decode(MS_EXAMPLE_BYTES))).toBe(toXml(fromXml(MS_EXAMPLE_XML)));
  });

  it('writes the header 03 01 6A 00 and no string table', () => {
    const bytes = encode(createDocument(element('FolderHierarchy:FolderSync', element('FolderHierarchy:SyncKey', '0'))));
    expect([...bytes]).toEqual([0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01]);
  });

  it('encodes a lone element as a document', () => {
    expect(encode(element('Ping:Ping'))).toEqual(Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x0d, 0x05]));
  });

  it('writes text as STR_I in UTF-8', () => {
    const bytes = encode(element('Email:Subject', 'Persönlich'));
    expect([...bytes.subarray(6)]).toEqual([0x54, 0x03, ...new TextEncoder().encode('Persönlich'), 0x00, 0x01]);
  });

  it('writes OPAQUE for byte-array tags, from bytes or from text', () => {
    const id = Uint8Array.from([0xde, 0xad, 0xbe, 0xef]);
    expect([...encode(element('Email2:ConversationId', id)).subarray(6)]).toEqual([0x49, 0xc3, 0x04, 0xde, 0xad, 0xbe, 0xef, 0x01]);
    const mime = 'Subject: hi\r\n\r\nbody';
    const bytes = encode(element('ComposeMail:SendMail', element('ComposeMail:Mime', mime)));
    expect([...bytes.subarray(7, 10)]).toEqual([0x50, 0xc3, mime.length]);
  });

  it('switches code pages only when the page changes', () => {
    const doc = element('Settings:Settings', element('Settings:DeviceInformation', element('Settings:Set', element('Settings:Model', 'x'))));
    expect([...encode(doc)]).toEqual([0x03, 0x01, 0x6a, 0x00, 0x00, 0x12, 0x45, 0x56, 0x48, 0x57, 0x03, 0x78, 0x00, 0x01, 0x01, 0x01, 0x01]);
  });

  it('writes long multi-byte integers (OPAQUE lengths)', () => {
    const big = new Uint8Array(300_000).fill(7);
    const bytes = encode(element('Email2:ConversationIndex', big));
    // 300000 = 0x493E0 → 0x92 0xA7 0x60
    expect([...bytes.subarray(7, 11)]).toEqual([0xc3, 0x92, 0xa7, 0x60]);
    const decoded = (decode(bytes).root.children[0] as { bytes: Uint8Array }).bytes;
    expect(decoded.length === big.length && decoded.every((byte) => byte === 7)).toBe(true);
  });

  it('writes a NUL inside text as ENTITY 0', () => {
    const bytes = encode(element('Email:Subject', 'a\0b'));
    expect([...bytes.subarray(6)]).toEqual([0x54, 0x03, 0x61, 0x00, 0x02, 0x00, 0x03, 0x62, 0x00, 0x01]);
  });

  it('rejects values that have no encoding', () => {
    const bad = element('Email:Subject');
    bad.page = 300;
    expect(() => encode(bad)).toThrow(/code page 300/);
  });
});
