// UTF-8 without Node's Buffer: TextDecoder in fatal mode, and by hand only for a single ASCII
// character (V8 hands out one shared string for each).

import { WbxmlError, at } from '../WbxmlError.js';

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Decodes `bytes[start, end)` as UTF-8. Invalid UTF-8 throws a WbxmlError naming the offset of
 * the first bad byte (`base` is added to positions, for bytes that are a view of a larger input).
 *
 * Short ASCII strings used to be built by hand, one `+=` per byte: on the 10 MB Sync response
 * (53,241 such strings: dates, ids, numbers) that took 2 to 3 times as long as TextDecoder, the
 * garbage collection included, and left strings of 13 characters or more as chains of cons
 * strings in the tree.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number, base = 0): string {
  if (end - start === 1 && bytes[start]! < 0x80) return String.fromCharCode(bytes[start]!);
  try {
    return fatalDecoder.decode(bytes.subarray(start, end));
  } catch {
    const bad = findInvalidUtf8(bytes, start, end);
    throw new WbxmlError('invalid-utf8', `invalid UTF-8 at ${at(base + bad)}`, base + bad, {
      token: bytes[bad],
    });
  }
}

/** Decodes UTF-8, replacing invalid sequences with U+FFFD. */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  return lossyDecoder.decode(bytes);
}

/** Whether `bytes` is valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return findInvalidUtf8(bytes, 0, bytes.length) === -1;
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes ISO-8859-1: every byte is the code point of the same number. */
export function decodeLatin1(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  }
  return out;
}

/**
 * The position of the first byte that does not belong to a valid UTF-8 sequence, or -1.
 * Rejects what TextDecoder rejects: overlong forms, surrogates, code points above U+10FFFF.
 */
export function findInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b0 = bytes[i]!;
    // 0xxxxxxx: ASCII
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    // 110xxxxx: two bytes (0xC0, 0xC1 would be overlong)
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    // 1110xxxx: three bytes
    else if (b0 >= 0xe0 && b0 <= 0xef) need = 2;
    // 11110xxx: four bytes, up to U+10FFFF
    else if (b0 >= 0xf0 && b0 <= 0xf4) need = 3;
    else return i;
    min = 0x80;
    if (b0 === 0xe0)
      min = 0xa0; // overlong
    else if (b0 === 0xed)
      max = 0x9f; // surrogates
    else if (b0 === 0xf0)
      min = 0x90; // overlong
    else if (b0 === 0xf4) max = 0x8f; // above U+10FFFF
    for (let k = 1; k <= need; k++) {
      const b = i + k < end ? bytes[i + k]! : -1;
      if (b < (k === 1 ? min : 0x80) || b > (k === 1 ? max : 0xbf)) return b === -1 ? i : i + k;
    }
    i += need + 1;
  }
  return -1;
}
