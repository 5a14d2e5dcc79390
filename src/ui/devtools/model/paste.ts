// What the decode box accepts: WBXML pasted as hex (any spacing, 0x or \x prefixes, commas,
// colons, an xxd-style offset column) or as base64, or dropped as a file (raw bytes, or a text
// file holding hex or base64).
import { fromBase64, fromHex } from '../../../shared/base64';

export type PastedInput =
  | { ok: true; bytes: Uint8Array; format: 'hex' | 'base64' | 'binary' }
  | { ok: false; error: 'empty' | 'not-hex-or-base64' };

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

export function parsePasted(text: string): PastedInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'empty' };
  const hexDigits = stripHex(trimmed);
  const hex = hexDigits !== undefined ? fromHex(hexDigits) : undefined;
  const base64 = fromBase64(trimmed.replace(/^data:[^,]*;base64,/, ''));
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
