// XML given as bytes (a file, standard input) → text, honouring what the document says it is: a
// byte-order mark (UTF-8, UTF-16), else the encoding of its declaration (UTF-8 by default,
// US-ASCII, ISO-8859-1, Windows-1252, UTF-16). Bytes that are not valid in that encoding, and
// encodings not read, are a WbxmlError with line and column: never text that differs from the
// bytes (a lossy decode would turn them into U+FFFD and encode that).

import { decodeLatin1, findInvalidUtf8 } from './utils/utf8.js';
import { WbxmlError, at } from './WbxmlError.js';

const DECLARATION = /^<\?xml\s[^?>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/;

/** Line and column (1-based) of byte `offset`, counting UTF-8 or single-byte characters. */
function locate(bytes: Uint8Array, offset: number, unit: 1 | 2, littleEndian: boolean, utf8: boolean): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i + unit <= offset; i += unit) {
    const code = unit === 1 ? bytes[i]! : littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
    if (code === 0x0a) {
      line++;
      column = 1;
    } else if (!(utf8 && code >= 0x80 && code < 0xc0) && !(unit === 2 && code >= 0xdc00 && code < 0xe000)) {
      // A UTF-8 continuation byte or a low surrogate is part of the character before.
      column++;
    }
  }
  return { line, column };
}

function refuse(code: 'invalid-utf8' | 'unsupported-charset' | 'bad-value', what: string, bytes: Uint8Array, offset: number, unit: 1 | 2 = 1, le = false, utf8 = false): never {
  const { line, column } = locate(bytes, offset, unit, le, utf8);
  throw new WbxmlError(code, `${what} at line ${line}, column ${column} (${at(offset)})`, offset, { line, column });
}

function utf16(bytes: Uint8Array, start: number, littleEndian: boolean): string {
  if ((bytes.length - start) % 2 !== 0) refuse('invalid-utf8', 'UTF-16 text ends in the middle of a character', bytes, bytes.length - 1, 2, littleEndian);
  // Lone surrogates are no characters: find the first one, for the message.
  for (let i = start; i + 1 < bytes.length; i += 2) {
    const unit = littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
    if (unit >= 0xd800 && unit < 0xdc00) {
      const next = i + 3 < bytes.length ? (littleEndian ? bytes[i + 2]! | (bytes[i + 3]! << 8) : (bytes[i + 2]! << 8) | bytes[i + 3]!) : -1;
      if (next >= 0xdc00 && next < 0xe000) {
        i += 2;
        continue;
      }
    }
    if (unit >= 0xd800 && unit < 0xe000) refuse('invalid-utf8', `a lone surrogate 0x${unit.toString(16)} in UTF-16 text`, bytes, i, 2, littleEndian);
  }
  return new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(start));
}

function utf8(bytes: Uint8Array, start: number): string {
  const bad = findInvalidUtf8(bytes, start, bytes.length);
  if (bad >= 0) refuse('invalid-utf8', `invalid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')})`, bytes, bad, 1, false, true);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start));
}

/**
 * Windows-1252's 0x80-0x9F (by hand: Node's TextDecoder reads "windows-1252" as ISO-8859-1); the
 * five bytes it leaves undefined are the C1 controls of the same number, as WHATWG decodes them.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = decodeLatin1(bytes, 0, bytes.length);
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** The text of XML given as bytes; see the top of this file. */
export function decodeXmlBytes(bytes: Uint8Array): string {
  // Byte-order marks, then UTF-16 without one: "<" as 3C 00 or 00 3C (with or without a
  // declaration after it; no 8-bit XML can start so, as it holds no NUL).
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes, 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 2, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 2, false);
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return utf16(bytes, 0, true);
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return utf16(bytes, 0, false);
  const head = decodeLatin1(bytes, 0, Math.min(bytes.length, 256));
  const match = DECLARATION.exec(head);
  if (match === null) return utf8(bytes, 0);
  const name = match[2]!.toLowerCase();
  const nameAt = match.index + match[0].length - match[2]!.length - 1;
  switch (name) {
    case 'utf-8':
    case 'utf8':
      return utf8(bytes, 0);
    case 'us-ascii':
    case 'ascii': {
      const bad = bytes.findIndex((b) => b >= 0x80);
      if (bad >= 0) refuse('invalid-utf8', `byte 0x${bytes[bad]!.toString(16)} is not US-ASCII, the declared encoding`, bytes, bad);
      return decodeLatin1(bytes, 0, bytes.length);
    }
    case 'iso-8859-1':
    case 'iso8859-1':
    case 'iso_8859-1':
    case 'latin1':
    case 'l1':
      // Every byte is the character of the same number (0x80-0x9F are C1 controls, not Windows-1252).
      return decodeLatin1(bytes, 0, bytes.length);
    case 'windows-1252':
    case 'cp1252':
      return decodeWindows1252(bytes);
    case 'utf-16':
    case 'utf-16le':
    case 'utf-16be':
      return refuse('unsupported-charset', `the declaration says ${match[2]}, but the text is 8-bit (no byte-order mark)`, bytes, nameAt);
    default:
      return refuse('unsupported-charset', `XML in ${match[2]} is not read (UTF-8, UTF-16 with a byte-order mark, US-ASCII, ISO-8859-1 and Windows-1252 are)`, bytes, nameAt);
  }
}
