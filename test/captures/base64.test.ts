// The fast base64 path must answer as the shared decoder does: same bytes, same refusals.
import { describe, expect, it } from 'vitest';
import { base64Digits, canonicalBase64Length, decodeBase64, decodeBase64Ascii } from '../../src/captures/base64.js';
import { fromBase64, toBase64 } from '../../src/shared/base64.js';

describe('decodeBase64', () => {
  const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131) % 256);
  const text = toBase64(bytes);

  it('decodes long base64 to the same bytes, with line breaks and without padding', () => {
    expect(decodeBase64(text)).toEqual(bytes);
    expect(decodeBase64(text.replace(/(.{76})/g, '$1\r\n'))).toEqual(bytes);
    const odd = toBase64(bytes.subarray(0, 4999));
    expect(decodeBase64(odd.replace(/=+$/, ''))).toEqual(bytes.subarray(0, 4999));
  });

  it('refuses what the shared decoder refuses', () => {
    for (const bad of [`${text}!`, `${text.slice(0, -4)}A`, `${text}=A`, `<html>${'x'.repeat(2000)}</html>`]) {
      expect(decodeBase64(bad), bad.slice(-8)).toBe(fromBase64(bad));
      expect(decodeBase64(bad)).toBeUndefined();
    }
  });
});

describe('canonicalBase64Length and decodeBase64Ascii (base64 as bytes)', () => {
  const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  it('decodes the canonical form of every length as the shared decoder does', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) % 256);
      const text = toBase64(bytes);
      expect(canonicalBase64Length(ascii(text)), text).toBe(n === 0 ? undefined : n);
      if (n > 0) expect(decodeBase64Ascii(ascii(text))).toEqual(fromBase64(text));
    }
  });

  it('accepts only what the shared decoder decodes to the same bytes, on random texts', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const extra = ['=', '-', '_', ' ', '\n', '.', 'é'];
    for (let k = 0; k < 3000; k++) {
      const n = 1 + Math.floor(next() * 14);
      let text = '';
      for (let i = 0; i < n; i++) text += next() < 0.85 ? ALPHABET[Math.floor(next() * 64)] : extra[Math.floor(next() * extra.length)];
      const bytes = new TextEncoder().encode(text);
      const length = canonicalBase64Length(bytes);
      if (length === undefined) continue;
      // Canonical: groups of four, padding only at the end, and the shared decoder agrees.
      expect(text, text).toMatch(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/);
      expect(decodeBase64Ascii(bytes), text).toEqual(fromBase64(text));
      expect(length).toBe(fromBase64(text)!.length);
    }
  });

  it('refuses white space, the URL alphabet, missing padding, non-zero bits after the end', () => {
    for (const text of ['QUJD\nREVG', 'QU-D', 'QUJ', 'QUI', 'QUJDRA', 'QR==', 'QUJ=', 'QUK=', 'Q===', '====', 'QU=D', 'QUJD ', 'QUJDé'])
      expect(canonicalBase64Length(new TextEncoder().encode(text)), text).toBeUndefined();
  });

  it('finds the run of whole groups of digits, and checks only past what it is told is checked', () => {
    for (const [text, from, end] of [
      ['QUJDREVG"', 0, 8],
      ['xQUJDRE"', 1, 5],
      ['QUJDRA=="', 0, 4],
      ['QU\\/D"', 0, 0],
      ['QUJD', 0, 4],
      ['QUJ', 0, 0],
      ['QUJD\nRE', 0, 4],
    ] as const)
      expect(base64Digits(ascii(text), from), text).toBe(end);
    const text = ascii(toBase64(Uint8Array.from({ length: 100 }, (_, i) => i)));
    expect(canonicalBase64Length(text, base64Digits(text, 0))).toBe(100);
    // What is said to be checked is not read again; the rest is.
    const spoiled = Uint8Array.from(text);
    spoiled[3] = 0x21;
    expect(canonicalBase64Length(spoiled, 8)).toBe(100);
    expect(canonicalBase64Length(spoiled, 0)).toBeUndefined();
  });
});
