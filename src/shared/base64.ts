// Base64 and hex, without Node's Buffer or the DOM's atob: the one implementation for the codec
// (opaque bytes in XML), the ActiveSync client (Basic auth, the base64 query, traces), the panel,
// the command line and the credential vault. Pure; src/shared is for such small pieces that
// more than one core part needs.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
VALUES['-'.charCodeAt(0)] = 62; // base64url
VALUES['_'.charCodeAt(0)] = 63;

const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const ascii = new TextDecoder();

/**
 * Base64 as ASCII bytes, written into one buffer of the final size: the command line writes
 * these as they are, and toBase64 makes one string of them (no string built piece by piece).
 */
export function toBase64Bytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const full = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET_CODES[n >>> 18]!;
    out[o++] = ALPHABET_CODES[(n >>> 12) & 63]!;
    out[o++] = ALPHABET_CODES[(n >>> 6) & 63]!;
    out[o++] = ALPHABET_CODES[n & 63]!;
  }
  const rest = bytes.length - full;
  if (rest > 0) {
    const n = (bytes[full]! << 16) | (rest === 2 ? bytes[full + 1]! << 8 : 0);
    out[o++] = ALPHABET_CODES[n >>> 18]!;
    out[o++] = ALPHABET_CODES[(n >>> 12) & 63]!;
    out[o++] = rest === 2 ? ALPHABET_CODES[(n >>> 6) & 63]! : 0x3d;
    out[o] = 0x3d;
  }
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  return ascii.decode(toBase64Bytes(bytes));
}

/**
 * Decodes base64 (standard or URL alphabet; white space ignored; padding optional). Returns
 * undefined for anything else. The bytes have an ArrayBuffer of their own, as WebCrypto wants.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let acc = 0;
  let bits = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x3d) {
      padding++;
      continue;
    }
    const v = c < 128 ? VALUES[c]! : -1;
    if (v < 0 || padding > 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (acc >>> bits) & 0xff;
    }
  }
  // Leftover bits must be zero padding of a 2- or 3-character final group.
  if (bits >= 6 || padding > 2 || (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out.slice(0, length);
}

/** Lower-case hex digits as ASCII bytes, written into one buffer of the final size. */
export function toHexBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = HEX_CODES[bytes[i]! >>> 4]!;
    out[2 * i + 1] = HEX_CODES[bytes[i]! & 15]!;
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return ascii.decode(toHexBytes(bytes));
}

/** Decodes hex digits (white space ignored); undefined for anything else. */
export function fromHex(text: string): Uint8Array | undefined {
  const digits = text.replace(/\s+/g, '');
  if (digits.length % 2 !== 0 || /[^0-9a-fA-F]/.test(digits)) return undefined;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}
