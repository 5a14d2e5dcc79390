// The parts of zip-crypto.ts that need no encrypted file: the bytes a password is tried as, and
// CRC-32 against node:zlib's. Encrypted SAZ files themselves come from real tools only
// (test/integration/captures-saz-password.test.ts).
import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, passwordBytes } from '../../src/captures/zip-crypto.js';

describe('passwordBytes', () => {
  it('an ASCII password has one form', () => {
    expect(passwordBytes('Fiddler-2024')).toEqual([new TextEncoder().encode('Fiddler-2024')]);
  });

  it('beyond ASCII: UTF-8, then code page 437 (DotNetZip), then Latin-1', () => {
    // ä is 0x84 in code page 437 (IBM PC), 0xE4 in Latin-1.
    expect(passwordBytes('pä')).toEqual([Uint8Array.of(0x70, 0xc3, 0xa4), Uint8Array.of(0x70, 0x84), Uint8Array.of(0x70, 0xe4)]);
  });

  it('a character code page 437 lacks becomes "?", as DotNetZip makes it; no Latin-1 form beyond U+00FF', () => {
    expect(passwordBytes('a€')).toEqual([Uint8Array.of(0x61, 0xe2, 0x82, 0xac), Uint8Array.of(0x61, 0x3f)]);
  });
});

describe('crc32', () => {
  it("agrees with node:zlib's", () => {
    for (const length of [0, 1, 15, 16, 1000, 65_537]) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(crc32(bytes), `${length} bytes`).toBe(zlibCrc32(bytes));
    }
  });
});
