// Decrypting the entries of a password-protected zip, as Fiddler writes a password-protected SAZ
// (DotNetZip): WinZip AES (AE-1 and AE-2, 128, 192 or 256-bit keys) or traditional PKWARE
// encryption ("ZipCrypto", APPNOTE 6.1). WinZip AES after its specification (AE-1 and AE-2,
// version 1.04): PBKDF2-HMAC-SHA1 with 1000 iterations gives the AES key, the HMAC key and a
// 2-byte password verifier; the data is AES in CTR mode with a little-endian counter starting
// at 1; the last 10 bytes are HMAC-SHA1 of the encrypted data. PBKDF2 and HMAC are WebCrypto
// (Node 20 and extension pages alike); AES blocks are @noble/ciphers'. The password is a
// parameter only: nothing here keeps it.
import { ecb } from '@noble/ciphers/aes.js';

/** Why an entry could not be decrypted: the password does not fit, or the data is damaged. */
export type Decrypted = { ok: true; bytes: Uint8Array } | { ok: false; wrongPassword: boolean; reason: string };

/** The 0x9901 extra field of a WinZip AES entry. */
export interface AesField {
  /** 1 (AE-1: the CRC is checked) or 2 (AE-2: no CRC). */
  version: number;
  /** 1, 2, 3: 128, 192, 256-bit keys. */
  strength: number;
  /** The compression method of the data under the encryption. */
  method: number;
}

export const AES_METHOD = 99;
const AUTH_CODE = 10;

/** The AES field among a header's extra fields, when there is one. */
export function aesField(extra: Uint8Array): AesField | undefined {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra[at]! | (extra[at + 1]! << 8);
    const length = extra[at + 2]! | (extra[at + 3]! << 8);
    if (id === 0x9901 && length >= 7 && at + 4 + 7 <= extra.length) {
      const p = at + 4;
      return { version: extra[p]! | (extra[p + 1]! << 8), strength: extra[p + 4]!, method: extra[p + 5]! | (extra[p + 6]! << 8) };
    }
    at += 4 + length;
  }
  return undefined;
}

let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  if (crcTable) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC-32 of zip (and gzip). */
export function crc32(bytes: Uint8Array): number {
  const t = table();
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Code page 437 from 0x80 on: DotNetZip (Fiddler) turns a password into bytes with it, a
// character it lacks becoming "?". 7-Zip and WinZip use UTF-8 for AES.
const CP437_HIGH = 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** The bytes a password may have been turned into: UTF-8, then code page 437 and Latin-1 when they differ. */
export function passwordBytes(password: string): Uint8Array[] {
  const utf8 = new TextEncoder().encode(password);
  const candidates = [utf8];
  if (/^[\x00-\x7f]*$/.test(password)) return candidates;
  const chars = [...password];
  const cp437 = Uint8Array.from(chars, (c) => {
    const code = c.codePointAt(0)!;
    if (code < 0x80) return code;
    const at = CP437_HIGH.indexOf(c);
    return at >= 0 ? 0x80 + at : 0x3f;
  });
  const latin1 = chars.every((c) => c.codePointAt(0)! <= 0xff) ? Uint8Array.from(chars, (c) => c.codePointAt(0)!) : undefined;
  for (const bytes of [cp437, latin1]) if (bytes && !candidates.some((known) => equal(known, bytes))) candidates.push(bytes);
  return candidates;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) throw new Error('WebCrypto (crypto.subtle) is not available here: a password-protected SAZ cannot be read');
  return api;
}

/** WebCrypto takes no view of a SharedArrayBuffer: the bytes as they are, or a copy when they are in one. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => (bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes));

/** AES-CTR as WinZip does it: counter blocks 1, 2, 3… little-endian, encrypted, XORed with the data. */
function aesCtrLittleEndian(key: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  const PIECE = 64 * 1024; // a multiple of 16: counter blocks for one piece at a time
  const counters = new Uint8Array(PIECE);
  let counter = 1;
  for (let start = 0; start < data.length; start += PIECE) {
    const length = Math.min(PIECE, data.length - start);
    const blocks = Math.ceil(length / 16);
    const view = counters.subarray(0, blocks * 16);
    view.fill(0);
    for (let b = 0; b < blocks; b++, counter++) {
      // 2^53 blocks is beyond any entry this reader takes (256 MB).
      let value = counter;
      for (let i = 0; i < 7 && value > 0; i++) {
        view[b * 16 + i] = value % 256;
        value = Math.floor(value / 256);
      }
    }
    // A cipher object encrypts once (noble refuses a second call): one per piece.
    const stream = ecb(key, { disablePadding: true }).encrypt(view);
    for (let i = 0; i < length; i++) out[start + i] = data[start + i]! ^ stream[i]!;
  }
  return out;
}

/**
 * Decrypts the data of a WinZip AES entry (salt, verifier, encrypted data, authentication code)
 * after checking the verifier and the authentication code. Gives the data still compressed.
 */
export async function decryptAes(data: Uint8Array, field: AesField, password: string): Promise<Decrypted> {
  const keyLength = { 1: 16, 2: 24, 3: 32 }[field.strength];
  if (keyLength === undefined) return { ok: false, wrongPassword: false, reason: `unknown WinZip AES key strength ${field.strength} (1, 2 and 3 are 128, 192 and 256 bits)` };
  const saltLength = keyLength / 2;
  if (data.length < saltLength + 2 + AUTH_CODE) return { ok: false, wrongPassword: false, reason: 'the encrypted entry is shorter than its salt, verifier and authentication code' };
  const salt = own(data.subarray(0, saltLength));
  const verifier = data.subarray(saltLength, saltLength + 2);
  const encrypted = data.subarray(saltLength + 2, data.length - AUTH_CODE);
  const code = data.subarray(data.length - AUTH_CODE);
  const api = subtle();
  for (const bytes of passwordBytes(password)) {
    const base = await api.importKey('raw', own(bytes), 'PBKDF2', false, ['deriveBits']);
    const derived = new Uint8Array(await api.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt, iterations: 1000 }, base, (2 * keyLength + 2) * 8));
    if (derived[2 * keyLength] !== verifier[0] || derived[2 * keyLength + 1] !== verifier[1]) continue;
    const hmacKey = await api.importKey('raw', derived.slice(keyLength, 2 * keyLength), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    const mac = new Uint8Array(await api.sign('HMAC', hmacKey, own(encrypted)));
    // A verifier matches a wrong password once in 65,536: the authentication code decides.
    if (!equal(mac.subarray(0, AUTH_CODE), code)) {
      return { ok: false, wrongPassword: false, reason: 'the authentication code (HMAC-SHA1) does not match: the entry is damaged (or the password is wrong)' };
    }
    return { ok: true, bytes: aesCtrLittleEndian(derived.subarray(0, keyLength), encrypted) };
  }
  return { ok: false, wrongPassword: true, reason: 'the password verifier does not match: a wrong password (or the entry is damaged)' };
}

/** Traditional PKWARE decryption (APPNOTE 6.1). `checks` are the values the 12th header byte may have. */
export function decryptZipCrypto(data: Uint8Array, password: string, checks: readonly number[]): Decrypted {
  if (data.length < 12) return { ok: false, wrongPassword: false, reason: 'the encrypted entry is shorter than its 12-byte encryption header' };
  const t = table();
  for (const bytes of passwordBytes(password)) {
    let k0 = 0x12345678;
    let k1 = 0x23456789;
    let k2 = 0x34567890;
    const update = (byte: number): void => {
      k0 = (t[(k0 ^ byte) & 0xff]! ^ (k0 >>> 8)) >>> 0;
      k1 = (Math.imul((k1 + (k0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
      k2 = (t[(k2 ^ (k1 >>> 24)) & 0xff]! ^ (k2 >>> 8)) >>> 0;
    };
    for (const byte of bytes) update(byte);
    const decryptByte = (cipher: number): number => {
      const temp = (k2 | 2) & 0xffff;
      const plain = (cipher ^ ((temp * (temp ^ 1)) >>> 8)) & 0xff;
      update(plain);
      return plain;
    };
    let check = 0;
    for (let i = 0; i < 12; i++) check = decryptByte(data[i]!);
    // The check byte matches a wrong password once in 256: the CRC decides (the caller checks it).
    if (!checks.includes(check)) continue;
    const out = new Uint8Array(data.length - 12);
    for (let i = 12; i < data.length; i++) out[i - 12] = decryptByte(data[i]!);
    return { ok: true, bytes: out };
  }
  return { ok: false, wrongPassword: true, reason: 'the check byte of the encryption header does not match: a wrong password (or the entry is damaged)' };
}
