import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import messages from '../../../_locales/en/messages.json';
import { setMessageLookup, t } from '../../../src/ui/shared/i18n';
import { englishMessage } from '../setup-dom';

const root = join(import.meta.dirname, '../../../src/ui/devtools');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [readFileSync(join(dir, e.name), 'utf8')] : []));
}

describe('panel strings', () => {
  it('every panel_ key used in the code is in messages.json, and every panel_ key there is used', () => {
    const used = new Set(sources(root).flatMap((text) => [...text.matchAll(/'(panel_[a-z0-9_]+)'/g)].map((m) => m[1]!)));
    const defined = new Set(Object.keys(messages).filter((k) => k.startsWith('panel_')));
    expect([...used].filter((k) => !defined.has(k))).toEqual([]);
    expect([...defined].filter((k) => !used.has(k))).toEqual([]);
  });

  it('every message has a description and no stray $ signs', () => {
    for (const [key, value] of Object.entries(messages as Record<string, { message: string; description?: string }>)) {
      if (!key.startsWith('panel_')) continue;
      expect(value.description, key).toBeTruthy();
      expect(value.message.replace(/\$[1-9]/g, ''), key).not.toContain('$');
    }
  });

  it('substitutes $1…$9 from the table outside the extension, and falls back to the key', () => {
    setMessageLookup(() => '');
    expect(t('panel_shown_count', 3, 10)).toBe('panel_shown_count');
    setMessageLookup(englishMessage);
    expect(t('panel_shown_count', 3, 10)).toBe('3 of 10');
    expect(t('panel_decode_error', 'truncated', 12, 'ends early')).toBe('Not valid WBXML (truncated) at byte 12: ends early');
  });
});
