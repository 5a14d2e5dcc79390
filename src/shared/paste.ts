// WBXML given as text: hex (any spacing, 0x or \x prefixes, commas, colons, an xxd-style offset
// column, unpadded single digits from client logs) or base64 (also as a data URL). One parser for
// the panel's decode box (pasted text, dropped files) and `owa-inspector decode --hex/--base64`.
import { fromBase64, fromHex } from './base64.js';

export type PastedInput = { ok: true; bytes: Uint8Array; format: 'hex' | 'base64' | 'binary' } | { ok: false; error: 'empty' | 'not-hex-or-base64' };

const HEX_CHARS = /^[0-9a-fA-F\s,:;]*$/;

function stripHex(text: string): string | undefined {
  let lines = text.split(/\r?\n/);
  // xxd / hexdump: an offset column ("00000010:" or "00000010 ") and an ASCII column after two spaces.
  if (lines.length > 0 && lines.every((l) => l.trim() === '' || /^\s*[0-9a-fA-F]{6,8}:?\s/.test(l))) {
    lines = lines.map((l) => l.replace(/^\s*[0-9a-fA-F]{6,8}:?\s+/, '').replace(/\s{2,}.*$/, ''));
  }
  const cleaned = lines.join(' ').replace(/0x|\\x/gi, ' ');
  if (!HEX_CHARS.test(cleaned)) return undefined;
  const digits = cleaned.replace(/[\s,:;]/g, '');
  // Separated single digits ("3 1 6a 0") are bytes too.
  if (digits.length % 2 === 1 && /[\s,:;]/.test(cleaned.trim())) {
    return cleaned
      .trim()
      .split(/[\s,:;]+/)
      .map((b) => b.padStart(2, '0'))
      .join('');
  }
  return digits;
}

/** Bytes written as hex in any of the forms above, or undefined. */
export function parseHexText(text: string): Uint8Array | undefined {
  const digits = stripHex(text.trim());
  return digits !== undefined ? fromHex(digits) : undefined;
}

/** Bytes written as base64 (white space allowed, or a `data:…;base64,` URL), or undefined. */
export function parseBase64Text(text: string): Uint8Array | undefined {
  return fromBase64(text.trim().replace(/^data:[^,]*;base64,/, ''));
}

export function parsePasted(text: string): PastedInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'empty' };
  const hex = parseHexText(trimmed);
  const base64 = parseBase64Text(trimmed);
  // Text of hex digits alone is also valid base64: take the reading that starts like WBXML.
  const wbxmlLike = (bytes: Uint8Array | undefined): boolean => bytes !== undefined && bytes.length > 0 && bytes[0]! <= 0x03;
  if (wbxmlLike(hex)) return { ok: true, bytes: hex!, format: 'hex' };
  if (wbxmlLike(base64)) return { ok: true, bytes: base64!, format: 'base64' };
  if (hex && hex.length > 0) return { ok: true, bytes: hex, format: 'hex' };
  if (base64 && base64.length > 0) return { ok: true, bytes: base64, format: 'base64' };
  return { ok: false, error: 'not-hex-or-base64' };
}

/** A dropped file: WBXML bytes as they are, or a text file of hex or base64. */
export function parseFile(bytes: Uint8Array): PastedInput {
  if (bytes.length === 0) return { ok: false, error: 'empty' };
  // WBXML starts with a version byte 0x00 to 0x03; text files with printable characters.
  if (bytes[0]! <= 0x03) return { ok: true, bytes, format: 'binary' };
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b > 0x7e || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return { ok: true, bytes, format: 'binary' };
    text += String.fromCharCode(b);
  }
  const parsed = parsePasted(text);
  return parsed.ok ? parsed : { ok: true, bytes, format: 'binary' };
}
