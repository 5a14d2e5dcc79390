// The HTML and browser scripts of the imitated pages live as plain files in pages/ so they read
// like what a browser receives. From source (vitest) they sit beside this module; in the bundle
// (dist/demo-exchange.mjs) build.mjs copies them to dist/demo-pages/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from './http';

const candidates = [join(import.meta.dirname, 'pages'), join(import.meta.dirname, 'demo-pages')];
const pagesDir = candidates.find((dir) => existsSync(join(dir, 'owa-2010-logon.html')));
const cache = new Map<string, string>();

export function pageFile(name: string): string {
  if (!pagesDir) throw new Error(`demo Exchange pages not found in ${candidates.join(' or ')}`);
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(pagesDir, name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Fills {{name}} placeholders with HTML-escaped values; a placeholder with no value is a bug. */
export function renderPage(name: string, values: Record<string, string>): string {
  return pageFile(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`page ${name} needs a value for {{${key}}}`);
    return escapeHtml(value);
  });
}
