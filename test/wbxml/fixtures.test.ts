// Every shared capture decodes with no unknown element and gives the checked-in XML, which was
// reviewed by hand against the bytes. That XML was written by this decoder: the independent
// check, libwbxml reading every capture to the same elements and text, is in the integration
// project (test/integration/libwbxml.test.ts), as it runs wbxml2xml.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, encode, fromXml, toXml } from '../../src/wbxml/index.js';
import { elementsOf, fixtures, withoutOffsets } from './helpers.js';

const all = fixtures();
const expected = (name: string): string => readFileSync(join(import.meta.dirname, 'expected', name.replace(/\.wbxml$/, '.xml')), 'utf8');

describe('shared captures', () => {
  it('are all there', () => {
    expect(all.length).toBeGreaterThanOrEqual(24);
  });

  it.each(all.map((f) => [f.name, f] as const))('%s decodes with every element known', (_, fixture) => {
    const doc = decode(fixture.bytes, { fragment: fixture.fragment });
    const elements = doc.body.flatMap((node) => elementsOf(node));
    expect(elements.length).toBeGreaterThan(0);
    expect(elements.filter((el) => !el.known).map((el) => el.name)).toEqual([]);
  });

  it.each(all.map((f) => [f.name, f] as const))('%s gives the reviewed XML, by both paths', (_, fixture) => {
    const options = { fragment: fixture.fragment };
    expect(decodeToXml(fixture.bytes, options)).toBe(expected(fixture.name));
    expect(toXml(decode(fixture.bytes, options))).toBe(expected(fixture.name));
  });

  it.each(all.map((f) => [f.name, f] as const))('%s survives encode and XML round trips', (_, fixture) => {
    const doc = decode(fixture.bytes, { fragment: fixture.fragment });
    expect(withoutOffsets(decode(encode(doc), { fragment: fixture.fragment }))).toEqual(withoutOffsets(doc));
    expect(withoutOffsets(fromXml(toXml(doc), { fragment: fixture.fragment }))).toEqual(withoutOffsets(doc));
  });

  it('re-encodes the headered captures byte for byte (they use the client header and STR_I only)', () => {
    for (const fixture of all.filter((f) => !f.fragment)) {
      expect(encode(decode(fixture.bytes)), fixture.name).toEqual(fixture.bytes);
    }
  });

  it('re-encodes the header-less captures byte for byte as fragments', () => {
    for (const fixture of all.filter((f) => f.fragment)) {
      expect(encode(decode(fixture.bytes, { fragment: true })), fixture.name).toEqual(fixture.bytes);
    }
  });
});
