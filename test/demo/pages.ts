// The HTML and browser scripts of the imitated pages live as plain files in pages/ so they read
// like what a browser receives. From source (vitest) they sit beside this module; in the bundle
// (dist/demo-exchange.mjs) build.mjs copies them to dist/demo-pages/.
import type * as Esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * A browser script written in TypeScript under client/ (it uses the project's own modules, such
 * as the WBXML codec). build.mjs bundles it into dist/demo-pages/; from source it is bundled
 * here, once, with esbuild (a development dependency, loaded only then).
 */
export function browserScript(name: string): string {
  if (pagesDir && existsSync(join(pagesDir, name))) return pageFile(name);
  let text = cache.get(`bundle:${name}`);
  if (text === undefined) {
    const source = join(import.meta.dirname, 'client', name.replace(/\.js$/, '.ts'));
    if (!existsSync(source)) throw new Error(`demo Exchange browser script ${name} not found (${source})`);
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
    const result = esbuild.buildSync({ entryPoints: [source], bundle: true, write: false, format: 'iife', platform: 'browser', target: ['chrome120', 'firefox115'], logLevel: 'silent' });
    text = result.outputFiles[0]?.text ?? '';
    cache.set(`bundle:${name}`, text);
  }
  return text;
}
