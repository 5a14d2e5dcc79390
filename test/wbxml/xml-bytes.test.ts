// XML given as bytes is read in the encoding it declares (issue 12, item 2): never re-encoded
// into text that differs from it (U+FFFD for what a lossy UTF-8 decode cannot read).

import { describe, expect, it } from 'vitest';
import { decode, decodeXmlBytes, encodeXml, encodeXmlBytes, textOf, WbxmlError } from '../../src/wbxml/index.js';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const subject = (declaration: string, body: string): string => `${declaration}<Subject xmlns="Email:">${body}</Subject>`;
const expected = encodeXml(subject('', 'Grüße € é'));

function refusal(bytes: Uint8Array): WbxmlError {
  try {
    encodeXmlBytes(bytes);
  } catch (error) {
    if (error instanceof WbxmlError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('XML bytes in their declared encoding', () => {
  it('UTF-8, with or without a byte-order mark', () => {
    const utf8 = new TextEncoder().encode(subject('<?xml version="1.0" encoding="utf-8"?>', 'Grüße € é'));
    expect(encodeXmlBytes(utf8)).toEqual(expected);
    expect(encodeXmlBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toEqual(expected);
  });

  it('ISO-8859-1 and Windows-1252 as declared', () => {
    expect(textOf(decode(encodeXmlBytes(latin1(subject('<?xml version="1.0" encoding="ISO-8859-1"?>', 'Grüße é')))).root)).toBe('Grüße é');
    // 0x80 is the euro sign in Windows-1252, a C1 control in ISO-8859-1.
    expect(encodeXmlBytes(latin1(subject("<?xml version='1.0' encoding='windows-1252'?>", 'Grüße \x80 é')))).toEqual(expected);
    expect(decodeXmlBytes(latin1('<?xml version="1.0" encoding="iso-8859-1"?><a>\x80</a>'))).toContain('\u0080');
  });

  it('UTF-16 with a byte-order mark, both byte orders', () => {
    const text = subject('<?xml version="1.0" encoding="UTF-16"?>', 'Grüße € é');
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    const be = new Uint8Array(2 + text.length * 2);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      le[3 + 2 * i] = text.charCodeAt(i) >> 8;
      be[2 + 2 * i] = text.charCodeAt(i) >> 8;
      be[3 + 2 * i] = text.charCodeAt(i) & 0xff;
    }
    expect(encodeXmlBytes(le)).toEqual(expected);
    expect(encodeXmlBytes(be)).toEqual(expected);
  });

  it('refuses bytes that are not valid in the encoding, with line and column', () => {
    // ISO-8859-1 bytes in a document that declares nothing (UTF-8): "ü" is the bad byte 0xFC.
    const error = refusal(latin1('<Subject xmlns="Email:">\n  Grüße</Subject>'));
    expect(error).toMatchObject({ code: 'invalid-utf8', line: 2, column: 5, offset: 29 });
    expect(error.message).toBe('invalid UTF-8 (byte 0xfc) at line 2, column 5 (byte 0x1d (29))');
    expect(refusal(latin1('<?xml version="1.0" encoding="us-ascii"?><a>\xe9</a>'))).toMatchObject({ code: 'invalid-utf8', line: 1, column: 45 });
  });

  it('refuses encodings it does not read, and UTF-16 declared over 8-bit text', () => {
    expect(refusal(latin1('<?xml version="1.0" encoding="Shift_JIS"?><a/>'))).toMatchObject({ code: 'unsupported-charset', line: 1, column: 31 });
    expect(refusal(latin1('<?xml version="1.0" encoding="UTF-16"?><a/>')).message).toMatch(/says UTF-16, but the text is 8-bit/);
  });

  it('never writes U+FFFD for a lone surrogate in text', () => {
    expect(() => encodeXml('<Subject xmlns="Email:">a&#xD800;b</Subject>')).toThrow(WbxmlError);
    expect(() => encodeXml('<Subject xmlns="Email:">a\ud800b</Subject>')).toThrow(WbxmlError);
  });
});
