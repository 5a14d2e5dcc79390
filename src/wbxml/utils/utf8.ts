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

/** The length of the UTF-8 sequence lead byte `b0` starts (2, 3 or 4), or 0 when it starts none (C0 and C1 would be overlong, F5-FF above U+10FFFF). */
export function sequenceLength(b0: number): number {
  return b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
}

/** The lowest second byte after lead `b0`: E0 80-9F and F0 80-8F would be overlong. */
export function secondByteMin(b0: number): number {
  return b0 === 0xe0 ? 0xa0 : b0 === 0xf0 ? 0x90 : 0x80;
}

/** The highest second byte after lead `b0`: ED A0-BF are surrogates, F4 90-BF above U+10FFFF. */
export function secondByteMax(b0: number): number {
  return b0 === 0xed ? 0x9f : b0 === 0xf4 ? 0x8f : 0xbf;
}

/**
 * The position of the first byte that does not belong to a valid UTF-8 sequence, or -1.
 * Rejects what TextDecoder rejects: overlong forms, surrogates, code points above U+10FFFF.
 */
export function findInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(b0);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const b = i + k < end ? bytes[i + k]! : -1;
      if (b < (k === 1 ? secondByteMin(b0) : 0x80) || b > (k === 1 ? secondByteMax(b0) : 0xbf)) return b === -1 ? i : i + k;
    }
    i += length;
  }
  return -1;
}

type NodeBuffer = { from(buffer: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'ucs2'): string } };
// Buffer's `ucs2` reads little-endian units; a Uint16Array has the machine's order.
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const nodeBuffer = littleEndian ? (globalThis as { Buffer?: NodeBuffer }).Buffer : undefined;

/** Below FAST_FROM bytes the platform decoder is as fast; above SCRATCH_LIMIT the scratch would hold too much. */
const FAST_FROM = 64 * 1024;
const SCRATCH_LIMIT = 32 * 1024 * 1024;
/** UTF-16 units of the last conversion, reused by the next: memory-only on purpose, at most 64 MB. */
let scratch = new Uint16Array(0);

/**
 * Long valid UTF-8 (XML the codec wrote) as a string. Browsers' TextDecoder is used as it is. In
 * Node 20, TextDecoder makes a string of 16 M characters in about 140 ms, mostly V8 committing
 * fresh heap for it (a flat two-byte string that long costs 110-120 ms to make at all on the
 * 2-core test machine); Buffer's `ucs2` makes an external string, in memory the allocator reuses,
 * from UTF-16 units written here into a reused array: about 35 ms. Anything but strictly valid
 * UTF-8 goes to TextDecoder, so the answer is always TextDecoder's.
 */
export function utf8ToString(bytes: Uint8Array): string {
  const n = bytes.length;
  if (nodeBuffer === undefined || n < FAST_FROM || n > SCRATCH_LIMIT) return lossyDecoder.decode(bytes);
  if (scratch.length < n) scratch = new Uint16Array(n);
  const units = scratch;
  let i = 0;
  let j = 0;
  while (i < n) {
    let c = bytes[i]!;
    while (c < 0x80) {
      units[j++] = c;
      if (++i === n) return nodeBuffer.from(units.buffer, 0, j * 2).toString('ucs2');
      c = bytes[i]!;
    }
    const length = sequenceLength(c);
    // A byte past the end reads as 0, which no sequence accepts.
    const b1 = i + 1 < n ? bytes[i + 1]! : 0;
    const b2 = i + 2 < n ? bytes[i + 2]! : 0;
    const b3 = i + 3 < n ? bytes[i + 3]! : 0;
    const invalid = length === 0 || b1 < secondByteMin(c) || b1 > secondByteMax(c) || (length > 2 && (b2 & 0xc0) !== 0x80) || (length > 3 && (b3 & 0xc0) !== 0x80);
    if (invalid) return lossyDecoder.decode(bytes);
    if (length === 2) {
      units[j++] = ((c & 0x1f) << 6) | (b1 & 0x3f);
    } else if (length === 3) {
      units[j++] = ((c & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    } else {
      const point = (((c & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)) - 0x10000;
      units[j++] = 0xd800 + (point >> 10);
      units[j++] = 0xdc00 + (point & 0x3ff);
    }
    i += length;
  }
  return nodeBuffer.from(units.buffer, 0, j * 2).toString('ucs2');
}
