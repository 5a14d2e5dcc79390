// An unknown code page or token never throws: it becomes an element naming page and token, the
// rest of the document decodes, and the element survives XML and encoding.

import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, encode, fromXml, toXml, type WbxmlElement } from '../../src/wbxml/index.js';
import { termstr, treeOf } from './helpers.js';

// <Sync> <TOKEN_0x3F on AirSync>x</…> <page 30, token 0x05> <Status>…</Status> </…> <SyncKey>1</SyncKey> </Sync>
const BYTES = Uint8Array.from([
  0x03,
  0x01,
  0x6a,
  0x00,
  0x45,
  0x7f,
  0x03,
  ...termstr('x'),
  0x01,
  0x00,
  0x1e,
  0x45,
  0x00,
  0x12,
  0x46,
  0x03,
  ...termstr('1'),
  0x01,
  0x01,
  0x00,
  0x00,
  0x4b,
  0x03,
  ...termstr('1'),
  0x01,
  0x01,
]);

describe('unknown pages and tokens', () => {
  const doc = decode(BYTES);
  const [unknownToken, unknownPage, syncKey] = doc.root.children as WbxmlElement[];

  it('become elements that name page and token', () => {
    expect(unknownToken).toMatchObject({ page: 0, token: 0x3f, name: 'TOKEN_0x3F', namespace: 'AirSync', known: false, offset: 5 });
    expect(unknownPage).toMatchObject({ page: 30, token: 0x05, name: 'TOKEN_0x05', namespace: 'CodePage30', known: false });
  });

  it('leave the rest of the document decoded', () => {
    expect(unknownPage!.children[0]).toMatchObject({ page: 18, name: 'Status', known: true });
    expect(syncKey).toMatchObject({ name: 'SyncKey', known: true });
  });

  it('show in XML under a prefix for the unknown page', () => {
    const xml = toXml(doc);
    expect(xml).toBe(
      [
        '<Sync xmlns="AirSync:" xmlns:settings="Settings:" xmlns:cp30="CodePage30:">',
        '  <TOKEN_0x3F>x</TOKEN_0x3F>',
        '  <cp30:TOKEN_0x05>',
        '    <settings:Status>1</settings:Status>',
        '  </cp30:TOKEN_0x05>',
        '  <SyncKey>1</SyncKey>',
        '</Sync>',
        '',
      ].join('\n'),
    );
    expect(decodeToXml(BYTES)).toBe(xml);
  });

  it('survive XML and encoding unchanged', () => {
    expect(treeOf(fromXml(toXml(doc)))).toEqual(treeOf(doc));
    expect(encode(doc)).toEqual(BYTES);
  });

  it('an unknown root page still decodes', () => {
    const root = decode(Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0xff, 0x3f])).root;
    expect(root).toMatchObject({ page: 255, token: 0x3f, namespace: 'CodePage255', known: false });
  });
});
