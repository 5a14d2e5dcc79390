// Which extension API each part uses (docs/BROWSER-NOTES.md, "Extension APIs"): the background
// and the content script go through webextension-polyfill; pages use the browser's own API,
// found in one place (src/ui/connect/browser-api.ts), so the polyfill stays out of their bundles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sources(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) ? [[relative(SRC, full), readFileSync(full, 'utf8')] as [string, string]] : [];
  });
}

const POLYFILL = /from ['"]webextension-polyfill['"]/;

describe('extension APIs', () => {
  it('pages never import webextension-polyfill', () => {
    const pages = sources(join(SRC, 'ui'));
    expect(pages.length).toBeGreaterThan(20);
    expect(pages.filter(([, code]) => POLYFILL.test(code)).map(([file]) => file)).toEqual([]);
  });

  it('pages look up `browser ?? chrome` in browser-api.ts only', () => {
    const lookups = sources(join(SRC, 'ui')).filter(([, code]) => /browser\?:/.test(code)).map(([file]) => file);
    expect(lookups).toEqual([join('ui', 'connect', 'browser-api.ts')]);
  });

  it('the background and the content script use the polyfill', () => {
    for (const file of ['background/index.ts', 'background/browser-deps.ts', 'content/draft-guard.ts']) {
      expect(readFileSync(join(SRC, file), 'utf8'), file).toMatch(POLYFILL);
    }
  });
});
