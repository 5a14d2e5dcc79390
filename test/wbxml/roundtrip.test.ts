// Round trips over documents that use every tag of every page.

import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, encode, fromXml, toXml } from '../../src/wbxml/index.js';
import { elementsOf, everyTagDocument, pageDocuments, withoutOffsets } from './helpers.js';

const documents = [...pageDocuments().map((doc, page) => [`page ${page} (${doc.root.namespace})`, doc] as const), ['every page, nested', everyTagDocument()] as const];

describe('round trips', () => {
  it('covers all 656 tags', () => {
    const seen = new Set(elementsOf(everyTagDocument().root).map((el) => `${el.page}/${el.token}`));
    expect(seen.size).toBe(656);
  });

  it.each(documents)('%s: tree → bytes → tree is identity', (_, doc) => {
    expect(withoutOffsets(decode(encode(doc)))).toEqual(withoutOffsets(doc));
  });

  it.each(documents)('%s: bytes → tree → bytes is identity', (_, doc) => {
    const bytes = encode(doc);
    const tree = decode(bytes);
    expect(encode(tree)).toEqual(bytes);
    // And the offsets the tree carries survive a second trip.
    expect(decode(encode(tree))).toEqual(tree);
  });

  it.each(documents)('%s: tree → XML → tree is identity', (_, doc) => {
    expect(withoutOffsets(fromXml(toXml(doc)))).toEqual(withoutOffsets(doc));
  });

  it.each(documents)('%s: decodeToXml gives the same XML as toXml(decode())', (_, doc) => {
    const bytes = encode(doc);
    expect(decodeToXml(bytes)).toBe(toXml(decode(bytes)));
  });

  it('every element of the decoded document is known, with its offset pointing at its token', () => {
    const bytes = encode(everyTagDocument());
    for (const el of elementsOf(decode(bytes).root)) {
      expect(el.known).toBe(true);
      expect(bytes[el.offset]! & 0x3f).toBe(el.token);
    }
  });
});
