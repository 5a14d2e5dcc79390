import { describe, expect, it } from 'vitest';
import { anchoredUrlFilter } from '../../src/background/url-filter';

/** declarativeNetRequest's urlFilter matching as Chromium documents it: `|` anchors, `*` any run, `^` a separator. */
function matches(filter: string, url: string): boolean {
  let pattern = filter;
  const start = pattern.startsWith('|');
  const end = pattern.endsWith('|');
  pattern = pattern.slice(start ? 1 : 0, end ? -1 : undefined);
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '^' ? '(?:[^a-zA-Z0-9_.%-]|$)' : c.replace(/[.+?$(){}[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`${start ? '^' : ''}${body}${end ? '$' : ''}`).test(url);
}

describe('anchoredUrlFilter (the logon POST header rule)', () => {
  it('matches the action URL itself and nothing that merely starts like it', () => {
    const filter = anchoredUrlFilter('https://mail.example.com/owa/auth.owa');
    expect(filter).toBe('|https://mail.example.com/owa/auth.owa|');
    expect(matches(filter, 'https://mail.example.com/owa/auth.owa')).toBe(true);
    for (const other of [
      'https://mail.example.com/owa/auth.owa.evil',
      'https://mail.example.com/owa/auth.owa/x',
      'https://mail.example.com/owa/auth.owa?x=1',
      'https://mail.example.com.evil.example/owa/auth.owa',
    ]) {
      expect(matches(filter, other), other).toBe(false);
    }
  });

  it('keeps the query of an action that has one (2007 owaauth.dll), drops the fragment, and stands a wildcard for the filter characters', () => {
    expect(anchoredUrlFilter('https://mail.example.com/owa/auth/owaauth.dll?a=1#frag')).toBe('|https://mail.example.com/owa/auth/owaauth.dll?a=1|');
    const filter = anchoredUrlFilter('https://mail.example.com/owa/a*b^c|d');
    expect(filter).toBe('|https://mail.example.com/owa/a*b*c*d|');
    expect(matches(filter, 'https://mail.example.com/owa/a*b^c|d')).toBe(true);
    expect(matches(filter, 'https://mail.example.com/owa/a*b%5Ec%7Cd')).toBe(true);
    expect(matches(filter, 'https://mail.example.com/owa/a*b^c|d/more')).toBe(false);
  });
});
