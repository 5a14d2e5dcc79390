// Base64 bodies are most of a HAR's bytes: decoding them is most of the time reading one takes.
// The platform's own decoder is used where there is one (Uint8Array.fromBase64 in Firefox 133+
// and Chrome 140+, Buffer in Node), after the same strict check the shared decoder makes, so the
// answer is the same everywhere; src/shared/base64.ts (a JS loop) is the fallback.
import { fromBase64 } from '../shared/base64.js';

type NativeFromBase64 = (text: string) => Uint8Array;
type NodeBuffer = { from(text: string, encoding: 'base64'): Uint8Array };

const uint8FromBase64 = (Uint8Array as unknown as { fromBase64?: NativeFromBase64 }).fromBase64;
const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** A character outside the standard alphabet, padding and white space. */
const NOT_BASE64 = /[^A-Za-z0-9+/=\s]/;

/** Decodes base64, or undefined when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  // Short texts, other alphabets and anything odd go to the shared decoder, which decides.
  if (text.length < 1024 || NOT_BASE64.test(text)) return fromBase64(text);
  const padding = text.indexOf('=');
  if (padding >= 0 && (text.length - padding > 8 || !/^=={0,1}\s*$/.test(text.slice(padding)))) return fromBase64(text);
  // A final group of one character is not base64 (the shared decoder refuses it too).
  const digits = /\s/.test(text) ? text.replace(/\s+/g, '').replace(/=+$/, '').length : padding >= 0 ? padding : text.length;
  if (digits % 4 === 1) return undefined;
  try {
    if (uint8FromBase64) return uint8FromBase64(text);
    if (nodeBuffer) return new Uint8Array(nodeBuffer.from(text, 'base64'));
  } catch {
    return fromBase64(text);
  }
  return fromBase64(text);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** One table per place in a group of four: the digit's bits already shifted, -1 for any other byte. */
const SHIFTED = [18, 12, 6, 0].map((shift) => {
  const table = new Int32Array(256).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i << shift;
  return table;
});
const [D0, D1, D2, D3] = SHIFTED as [Int32Array, Int32Array, Int32Array, Int32Array];

/**
 * The decoded length of base64 held as ASCII bytes (a HAR body as it stands in the file) when it
 * is in the canonical form, else undefined: the standard alphabet, no white space, groups of four
 * with at most two `=` at the very end and zero bits after the last byte. For that form every
 * decoder gives the same bytes (decodeBase64Ascii, without a string); anything else is decoded
 * as text by decodeBase64, which decides as before. Reads every byte, writes nothing.
 */
export function canonicalBase64Length(src: Uint8Array, checked = 0): number | undefined {
  const n = src.length;
  if (n === 0 || n % 4 !== 0) return undefined;
  const padding = src[n - 1] !== 0x3d ? 0 : src[n - 2] !== 0x3d ? 1 : 2;
  const full = padding === 0 ? n : n - 4;
  let any = 0;
  // The first `checked` bytes are known digits (base64Digits): only the rest is read.
  for (let i = checked; i < full; i += 4) any |= D0[src[i]!]! | D1[src[i + 1]!]! | D2[src[i + 2]!]! | D3[src[i + 3]!]!;
  if (any < 0) return undefined;
  if (padding > 0) {
    const v = D0[src[full]!]! | D1[src[full + 1]!]! | (padding === 1 ? D2[src[full + 2]!]! : 0);
    // Bits past the last whole byte must be zero (the shared decoder refuses others).
    if (v < 0 || (v & (padding === 1 ? 0xff : 0xffff)) !== 0) return undefined;
  }
  return (n / 4) * 3 - padding;
}

/**
 * Where the run of base64 digits from `start` ends, in whole groups of four (read four at a
 * time): the HAR entry reader finds the end of a body's text this way, and the digits it passed
 * need no second look.
 */
export function base64Digits(src: Uint8Array, start: number): number {
  let i = start;
  const last = src.length - 4;
  while (i <= last && (D0[src[i]!]! | D1[src[i + 1]!]! | D2[src[i + 2]!]! | D3[src[i + 3]!]!) >= 0) i += 4;
  return i;
}

/** Decodes base64 that canonicalBase64Length accepted (or a run of its whole groups from the start). */
export function decodeBase64Ascii(src: Uint8Array): Uint8Array {
  const n = src.length;
  const padding = n === 0 || src[n - 1] !== 0x3d ? 0 : src[n - 2] !== 0x3d ? 1 : 2;
  const out = new Uint8Array((n >> 2) * 3 - padding);
  const full = padding === 0 ? n - (n % 4) : n - 4;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const v = D0[src[i]!]! | D1[src[i + 1]!]! | D2[src[i + 2]!]! | D3[src[i + 3]!]!;
    out[o] = v >>> 16;
    out[o + 1] = (v >>> 8) & 0xff;
    out[o + 2] = v & 0xff;
    o += 3;
  }
  if (padding > 0) {
    const v = D0[src[full]!]! | D1[src[full + 1]!]! | (padding === 1 ? D2[src[full + 2]!]! : 0);
    out[o] = v >>> 16;
    if (padding === 1) out[o + 1] = (v >>> 8) & 0xff;
  }
  return out;
}
