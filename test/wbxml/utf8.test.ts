// Multi-byte text comes out intact: umlauts, CJK, emoji, in short and long strings, through both
// decoding paths, XML and back.

import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, element, encode, fromXml, textOf, toXml } from '../../src/wbxml/index.js';

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
