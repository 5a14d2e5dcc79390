// The quoting itself; curl-bash.test.ts has bash read what it gives.
import { describe, expect, it, beforeAll } from 'vitest';
import { canBeArgument, commentText, shellQuote } from '../../../src/ui/devtools/model/shell';
import { requireBash, runInBash } from './bash-argv';

beforeAll(requireBash);

describe('shell quoting', () => {
  it("single quotes for printable ASCII, $'…' with \\xHH bytes for the rest", () => {
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe(`''`);
    expect(shellQuote('a\nb')).toBe(`$'a\\x0ab'`);
    expect(shellQuote(`ü'\\!`)).toBe(`$'\\xc3\\xbc\\'\\\\\\x21'`);
    // A lone surrogate is written as UTF-8 writes it: U+FFFD.
    expect(shellQuote('\ud800')).toBe(`$'\\xef\\xbf\\xbd'`);
  });

  it('refuses NUL, which no argument can hold', () => {
    expect(canBeArgument('a\u0000')).toBe(false);
    expect(() => shellQuote('a\u0000')).toThrow(RangeError);
  });

  it('comments lose line breaks, controls and bidi controls, keep letters', () => {
    expect(commentText('a\nb\r\u001b[201~\u202e\u2028 Grüße')).toBe('a?b??[201~?? Grüße');
  });

  it('bash gives back every byte but NUL as it was', () => {
    const all = String.fromCharCode(...Array.from({ length: 0x1ff }, (_, i) => i + 1)) + '😀\u202e';
    const run = runInBash(`curl ${shellQuote(all)} ${shellQuote("'")} ${shellQuote('')}`);
    expect(run.files).toEqual([]);
    expect(run.argv).toEqual([all, "'", '']);
  });
});
