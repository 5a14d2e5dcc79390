// Multi-byte text comes out intact: umlauts, CJK, emoji, in short and long strings, through both
// decoding paths, XML and back.

import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, element, encode, fromXml, textOf, toXml } from '../../src/wbxml/index.js';
import { utf8ToString } from '../../src/wbxml/utils/utf8.js';

const SAMPLES = [
  'Persönlich',
  'Grüße aus Köln — “Straße”',
  '会议纪要 第三季度',
  'プロジェクトの進捗',
  'Встреча в пятницу',
  'emoji 😀🍕 ✓ 👩‍👩‍👧 🇩🇪',
  'a'.repeat(40) + 'é', // past the short ASCII path
  'Größe '.repeat(2000), // long: decoded by TextDecoder
  '\u0800\uFFFD\u{10000}\u{10FFFF}', // edges of each UTF-8 length
];

describe('UTF-8', () => {
  it.each(SAMPLES.map((s) => [s.slice(0, 24), s]))('%s survives encode, decode, XML and back', (_, text) => {
    const bytes = encode(element('Email:Subject', text));
    const doc = decode(bytes);
    expect(textOf(doc.root)).toBe(text);
    const xml = decodeToXml(bytes);
    expect(xml).toBe(`<Subject xmlns="Email:">${text}</Subject>\n`);
    expect(toXml(doc)).toBe(xml);
    expect(textOf(fromXml(xml).root)).toBe(text);
    expect(encode(fromXml(xml))).toEqual(bytes);
  });

  it('writes the bytes of the UTF-8 encoding, not of UTF-16', () => {
    const bytes = encode(element('Email:Subject', 'ö😀'));
    expect([...bytes.subarray(7, 15)]).toEqual([0x03, 0xc3, 0xb6, 0xf0, 0x9f, 0x98, 0x80, 0x00]);
  });

  it('escapes markup and control characters in XML, and reads them back', () => {
    const text = 'a < b && c > d\r\n\ttab \u0001 \u007f \u0085 \u2028 end';
    const xml = toXml(element('Email:Subject', text));
    expect(xml).toBe('<Subject xmlns="Email:">a &lt; b &amp;&amp; c &gt; d&#xD;\n\ttab &#x1; &#x7F; &#x85; &#x2028; end</Subject>\n');
    expect(textOf(fromXml(xml).root)).toBe(text);
  });
});

describe('utf8ToString (the XML as a string; in Node through a reused UTF-16 array)', () => {
  const reference = new TextDecoder('utf-8', { ignoreBOM: true });
  const encoder = new TextEncoder();
  const long = (text: string): Uint8Array => encoder.encode(text.repeat(Math.ceil(70_000 / text.length)));

  it('gives what TextDecoder gives on every sample, long enough for the fast path', () => {
    for (const sample of SAMPLES) {
      const bytes = long(sample);
      expect(utf8ToString(bytes)).toBe(reference.decode(bytes));
    }
    const edges = encoder.encode('\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff\u{10000}\u{10ffff}'.repeat(10_000) + 'end');
    expect(utf8ToString(edges)).toBe(reference.decode(edges));
  });

  it('gives the same beyond the size it keeps a scratch array for (32 MB)', () => {
    const text = 'a'.repeat(33 * 1024 * 1024) + 'ü';
    expect(utf8ToString(encoder.encode(text)) === text).toBe(true);
  });

  it('hands out strings that a later call does not change', () => {
    const first = utf8ToString(long('Grüße 😀 '));
    const copy = first.split('').join('');
    utf8ToString(long('xxxxxxxx'));
    expect(first).toBe(copy);
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong form', [0xc0, 0xaf]],
    ['an overlong 3-byte form', [0xe0, 0x80, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut short', [0xe4, 0xbc]],
    ['0xFF', [0xff]],
  ])('answers as TextDecoder does for %s, wherever it is', (_, bad) => {
    const bytes = long('ä b ');
    for (const at of [0, 40_000, bytes.length]) {
      const mixed = new Uint8Array([...bytes.subarray(0, at), ...bad, ...bytes.subarray(at)]);
      expect(utf8ToString(mixed)).toBe(reference.decode(mixed));
    }
  });
});
