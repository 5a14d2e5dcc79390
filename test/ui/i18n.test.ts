// Conventions: every string of the popup and options page is in messages.json (the key type
// checks that at compile time); every popup_/options_/common_/bg_ message is used; words the
// background forms read back in English as before; Chrome's substitution rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import messages from '../../_locales/en/messages.json';
import { formsUnavailableWords, reasonWords, statusWords } from '../../src/owa/labels';
import { literal, msg, readWords, sameWords } from '../../src/shared/words';
import { formatMessage, say } from '../../src/ui/shared/i18n';
import './setup-dom';

const table = messages as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const SRC = resolve(import.meta.dirname, '../../src');
const UI = join(SRC, 'ui');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : /\.tsx?$/.test(name) ? [readFileSync(full, 'utf8')] : [];
  });
}

describe('strings', () => {
  it('substitutes placeholders as Chrome does', () => {
    expect(formatMessage({ message: 'Hello $USER$, $$5', placeholders: { user: { content: '$1' } } }, ['Ann'])).toBe('Hello Ann, $5');
    expect(formatMessage(table.popup_ago!, ['12:00', '3 min'])).toBe('12:00 (3 min ago)');
    // $1…$9 written in the message itself, as the panel's strings are.
    expect(formatMessage({ message: '$1 of $2, $$$1' }, ['3', '10'])).toBe('3 of 10, $3');
  });

  it('every popup_, options_, common_ and bg_ message is used (by the pages, the core or the background)', () => {
    const code = sources(SRC).join('\n');
    const unused = Object.keys(table).filter((key) => /^(popup|options|common|bg)_/.test(key) && !code.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });

  it('every placeholder is declared', () => {
    for (const [key, entry] of Object.entries(table)) {
      for (const [, name] of entry.message.matchAll(/\$([A-Za-z_]+)\$/g)) expect(entry.placeholders?.[name!.toLowerCase()], `${key}: $${name}$`).toBeDefined();
    }
  });

  it('words formed by the core read in English as they did when the core wrote English', () => {
    expect(say(statusWords('signing-in'))).toBe('signing in again');
    expect(say(formsUnavailableWords('adfs'))).toBe('this server signs in through AD FS: automatic sign-in is off, no password is ever sent');
    expect(say(reasonWords(3))).toBe('reason=3: the session timed out');
    expect(say(reasonWords(9))).toBe('reason=9: unknown reason');
    expect(say(reasonWords(null))).toBe('logon page (no reason given)');
    expect(say(literal('as $1 is'))).toBe('as $1 is');
    // A key this version does not know shows as itself, as a missing message does.
    expect(say({ key: 'bg_gone' as 'bg_text' })).toBe('bg_gone');
  });

  it('words read back from storage: keys and substitutions of the right types only', () => {
    const words = msg('bg_reason', 3, msg('bg_reason_timeout'));
    expect(readWords(JSON.parse(JSON.stringify(words)))).toEqual(words);
    expect(sameWords(readWords(JSON.parse(JSON.stringify(words)))!, words)).toBe(true);
    expect(sameWords(msg('bg_cookie', 'a'), msg('bg_cookie', 'b'))).toBe(false);
    for (const bad of [null, 'text', { key: 1 }, { key: 'bg_text', subs: 'x' }, { key: 'bg_text', subs: [1] }, { key: 'bg_text', subs: [{ key: 2 }] }]) expect(readWords(bad)).toBeNull();
  });

  it('no inline script or handler in the pages (MV3 CSP)', () => {
    for (const page of ['popup/popup.html', 'options/options.html']) {
      const html = readFileSync(join(UI, page), 'utf8');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
  });
});
