// Malformed input: every error class gives a WbxmlError naming what went wrong and where, and the
// tree decoder and the direct XML path agree on it.

import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, WbxmlError, type DecodeOptions, type WbxmlErrorCode } from '../../src/wbxml/index.js';
import { termstr } from './helpers.js';

const HEADER = [0x03, 0x01, 0x6a, 0x00];

/** Decodes by both paths and returns the error, which must be the same. */
function failure(bytes: number[] | Uint8Array, options?: DecodeOptions): WbxmlError {
  const input = Uint8Array.from(bytes);
  let treeError: unknown;
  let xmlError: unknown;
  try {
    decode(input, options);
  } catch (error) {
    treeError = error;
  }
  try {
    decodeToXml(input, options);
  } catch (error) {
    xmlError = error;
  }
  expect(treeError).toBeInstanceOf(WbxmlError);
  expect(xmlError).toBeInstanceOf(WbxmlError);
  const a = treeError as WbxmlError;
  const b = xmlError as WbxmlError;
  expect([b.code, b.offset]).toEqual([a.code, a.offset]);
  return a;
}

function expectError(bytes: number[] | Uint8Array, code: WbxmlErrorCode, offset: number, message?: RegExp, options?: DecodeOptions): void {
  const error = failure(bytes, options);
  expect(error.code).toBe(code);
  expect(error.offset).toBe(offset);
  expect(error.message).toMatch(/byte 0x[0-9a-f]+ \(\d+\)/);
  if (message) expect(error.message).toMatch(message);
}

describe('truncated input', () => {
  it('in the header', () => {
    expectError([], 'truncated', 0, /version/);
    expectError([0x03, 0x01, 0x6a], 'truncated', 3);
  });
  it('inside an element', () => {
    expectError([...HEADER, 0x45, 0x5c], 'truncated', 6, /inside the element opened at byte 0x5 \(5\)/);
  });
  it('inside a string with no NUL', () => {
    expectError([...HEADER, 0x45, 0x03, 0x61, 0x62], 'truncated', 8, /no terminating NUL/);
  });
  it('inside a multi-byte integer', () => {
    expectError([...HEADER, 0x45, 0xc3, 0x81], 'truncated', 7, /multi-byte integer/);
  });
  it('after SWITCH_PAGE', () => {
    expectError([...HEADER, 0x45, 0x00], 'truncated', 6, /code page/);
  });
  it('inside an attribute list', () => {
    expectError([...HEADER, 0xc5, 0x05], 'truncated', 6, /attribute list/);
  });
});

describe('bad multi-byte integers', () => {
  it('longer than 5 bytes', () => {
    expectError([0x03, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x6a, 0x00, 0x05], 'bad-mb-uint32', 1, /does not fit in 32 bits/);
  });
  it('over 32 bits in 5 bytes', () => {
    expectError([...HEADER, 0x45, 0xc3, 0x90, 0x80, 0x80, 0x80, 0x00], 'bad-mb-uint32', 6);
  });
  it('accepts the largest 32-bit value (then finds the length past the end)', () => {
    expectError([...HEADER, 0x45, 0xc3, 0x8f, 0xff, 0xff, 0xff, 0x7f], 'length-past-end', 5);
  });
});

describe('string table references out of range', () => {
  it('STR_T past the table', () => {
    expectError([0x03, 0x01, 0x6a, 0x02, 0x61, 0x00, 0x45, 0x83, 0x02, 0x01], 'string-table-range', 7, /reference 2 .* 2-byte string table/);
  });
  it('STR_T to a string with no NUL inside the table', () => {
    expectError([0x03, 0x01, 0x6a, 0x02, 0x61, 0x62, 0x45, 0x83, 0x00, 0x01], 'string-table-range', 7, /no terminating NUL/);
  });
  it('a LITERAL tag name past the table', () => {
    expectError([...HEADER, 0x04, 0x00], 'string-table-range', 4);
  });
  it('a public id past the table', () => {
    expectError([0x03, 0x00, 0x05, 0x6a, 0x00, 0x45, 0x01], 'string-table-range', 1);
  });
});

describe('invalid UTF-8', () => {
  it('names the offset of the bad byte', () => {
    expectError([...HEADER, 0x45, 0x03, 0x61, 0xff, 0x62, 0x00, 0x01], 'invalid-utf8', 7, /invalid UTF-8 at byte 0x7 \(7\)/);
  });
  it('a truncated sequence, an overlong form, a surrogate', () => {
    expectError([...HEADER, 0x45, 0x03, 0xc3, 0x00, 0x01], 'invalid-utf8', 6);
    expectError([...HEADER, 0x45, 0x03, 0xc0, 0x80, 0x00, 0x01], 'invalid-utf8', 6);
    expectError([...HEADER, 0x45, 0x03, 0x61, 0xed, 0xa0, 0x80, 0x00, 0x01], 'invalid-utf8', 8);
    expectError([...HEADER, 0x45, 0x03, 0xf4, 0x90, 0x80, 0x80, 0x00, 0x01], 'invalid-utf8', 7);
  });
  it('in a long string (decoded by TextDecoder)', () => {
    const text = [...new TextEncoder().encode('Größe '.repeat(20))];
    expectError([...HEADER, 0x45, 0x03, ...text, 0xe6, 0x97, 0x00, 0x01], 'invalid-utf8', 6 + text.length);
    expectError([...HEADER, 0x45, 0x03, ...text, 0xe6, 0x41, 0x97, 0x00, 0x01], 'invalid-utf8', 6 + text.length + 1);
  });
  it('in the string table', () => {
    expectError([0x03, 0x01, 0x6a, 0x03, 0x61, 0xfe, 0x00, 0x45, 0x83, 0x00, 0x01], 'invalid-utf8', 5);
  });
});

describe('nesting too deep', () => {
  it('stops at maxDepth, before going further', () => {
    const deep = [...HEADER, ...new Array<number>(101).fill(0x45)];
    expectError(deep, 'too-deep', 4 + 100, /deeper than 100 levels/);
    expectError([...HEADER, 0x45, 0x45, 0x45, 0x01, 0x01, 0x01], 'too-deep', 6, undefined, { maxDepth: 2 });
  });
  it('a million levels fail fast instead of overflowing the stack', () => {
    const deep = new Uint8Array(1_000_004).fill(0x45);
    deep.set(HEADER);
    expectError(deep, 'too-deep', 104);
  });
});

describe('declared lengths past the end', () => {
  it('OPAQUE', () => {
    expectError([...HEADER, 0x45, 0xc3, 0x05, 0x01, 0x02, 0x01], 'length-past-end', 5, /declares 5 bytes but only 3 remain/);
  });
  it('the string table', () => {
    expectError([0x03, 0x01, 0x6a, 0x7f, 0x45, 0x01], 'length-past-end', 4, /string table of 127 bytes/);
  });
});

describe('tokens out of place', () => {
  it('text before the root element', () => {
    expectError([...HEADER, ...[0x03, ...termstr('x')], 0x45, 0x01], 'unexpected-token', 4, /expected the root element/);
  });
  it('END with no element open', () => {
    expectError([...HEADER, 0x01], 'unexpected-token', 4);
    expectError([0x01], 'unexpected-token', 0, undefined, { fragment: true });
  });
  it('an attribute value before any attribute name', () => {
    expectError([...HEADER, 0xc5, 0x85, 0x01, 0x01], 'unexpected-token', 5, /before any attribute name/);
  });
  it('a tag token inside an attribute list', () => {
    expectError([...HEADER, 0xc5, 0x05, 0x44, 0x00, 0x01], 'unexpected-token', 6);
  });
  it('a processing instruction without a target', () => {
    expectError([...HEADER, 0x43, 0x01, 0x05], 'unexpected-token', 5, /needs a target/);
  });
  it('bytes after the root element', () => {
    expectError([...HEADER, 0x05, 0x05], 'trailing-bytes', 5, /after the end of the root element/);
  });
});

describe('header fields', () => {
  it('a version that is not WBXML 1.x', () => {
    expectError([0x47, 0x45, 0x54, 0x20], 'unsupported-version', 0, /not WBXML: byte 0x0 \(0\) is 0x47, where WBXML has its version/);
  });
  it('a character set other than UTF-8, US-ASCII, ISO-8859-1', () => {
    expectError([0x03, 0x01, 0x87, 0x77, 0x00, 0x05], 'unsupported-charset', 2, /1015/);
  });
  it('no element at all', () => {
    expectError(HEADER, 'no-root', 4, /without any element/);
    expectError([0x03, ...termstr('text only')], 'no-root', 11, undefined, { fragment: true });
  });
});

describe('limits on output', () => {
  it('string-table references that would expand without bound', () => {
    const table = new Uint8Array(1000).fill(0x61);
    table[999] = 0;
    const refs = new Array<number>(3000).fill(0).flatMap(() => [0x83, 0x00]);
    const bytes = [0x03, 0x01, 0x6a, 0x87, 0x68, ...table, 0x45, ...refs, 0x01];
    const error = failure(bytes);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/expand to more than/);
    // The same input decodes under a higher limit.
    expect(decode(Uint8Array.from(bytes), { maxExpansion: 1e7 }).root.children).toHaveLength(3000);
  });
});

describe('errors are WbxmlErrors', () => {
  it('with code, offset and token fields', () => {
    const error = failure([...HEADER, 0x45, 0xc3, 0x05, 0x01, 0x01]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WbxmlError');
    expect(error.token).toBe(0xc3);
  });
});
