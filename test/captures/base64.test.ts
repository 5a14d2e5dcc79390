// The fast base64 path must answer as the shared decoder does: same bytes, same refusals.
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../src/captures/base64.js';
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
