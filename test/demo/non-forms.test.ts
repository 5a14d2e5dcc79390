import { describe, expect, it } from 'vitest';
import { tmgEncode } from './non-forms';

describe('TMG curl encoding', () => {
  it.each([
    ['/owa', 'Z2Fowa'],
    ['/exchange', 'Z2Fexchange'],
    ['/owa/Zone.aspx', 'Z2FowaZ2FZ5AoneZ2Easpx'],
  ])('encodes %s as %s', (path, curl) => {
    expect(tmgEncode(path)).toBe(curl);
  });
});
