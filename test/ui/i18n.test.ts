// Conventions: every string of the popup and options page is in messages.json (the key type
// checks that at compile time); every popup_/options_/common_ message is used; the session
// words say what src/owa/labels.ts says; Chrome's substitution rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import messages from '../../_locales/en/messages.json';
import { failureLabel, formsUnavailableLabel, statusLabel } from '../../src/owa/labels';
import { formatMessage } from '../../src/ui/shared/i18n';
import { FAILURE_KEYS, STATUS_KEYS, UNAVAILABLE_KEYS, unavailableText } from '../../src/ui/shared/labels';
import './setup-dom';

const table = messages as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const UI = resolve(import.meta.dirname, '../../src/ui');

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

  it('every popup_, options_ and common_ message is used by the pages', () => {
    const code = sources(UI).join('\n');
    const unused = Object.keys(table).filter((key) => /^(popup|options|common)_/.test(key) && !code.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });

  it('every placeholder is declared', () => {
    for (const [key, entry] of Object.entries(table)) {
      for (const [, name] of entry.message.matchAll(/\$([A-Za-z_]+)\$/g)) expect(entry.placeholders?.[name!.toLowerCase()], `${key}: $${name}$`).toBeDefined();
    }
  });

  it('the session words are those of src/owa/labels.ts', () => {
    for (const [status, key] of Object.entries(STATUS_KEYS)) expect(table[key]!.message).toBe(statusLabel(status as keyof typeof STATUS_KEYS));
    for (const [failure, key] of Object.entries(FAILURE_KEYS)) expect(table[key]!.message).toBe(failureLabel(failure as keyof typeof FAILURE_KEYS));
    for (const kind of Object.keys(UNAVAILABLE_KEYS) as Array<keyof typeof UNAVAILABLE_KEYS>) expect(unavailableText(kind)).toBe(formsUnavailableLabel(kind));
  });

  it('no inline script or handler in the pages (MV3 CSP)', () => {
    for (const page of ['popup/popup.html', 'options/options.html']) {
      const html = readFileSync(join(UI, page), 'utf8');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
  });
});
