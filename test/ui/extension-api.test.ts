// Which extension API each part uses (docs/BROWSER-NOTES.md, "Extension APIs"): the background
// and the content script go through webextension-polyfill; pages use the browser's own API,
// found in one place (src/ui/connect/browser-api.ts), so the polyfill stays out of their bundles.
// Components reach the extension only through src/ui/connect. eslint.config.js says the same for the editor.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
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
const API_NAMES = new Set(['chrome', 'browser']);

/** Whether a node sits in a type (`typeof chrome`, `chrome.runtime.MessageSender`): erased at build. */
function inType(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isQualifiedName(n)) return true;
  }
  return false;
}

/**
 * Where code reaches the extension API at run time: the `chrome` / `browser` globals
 * (`chrome.runtime.sendMessage(...)`), or a lookup of them on an object (`globalThis.chrome`,
 * `g.browser?.runtime`, `globalThis['chrome']`). Types do not count; comments and strings neither.
 */
function extensionApiUses(file: string, code: string): string[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node): string => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && API_NAMES.has(node.text) && !inType(node)) {
      const parent = node.parent;
      const declared = (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isPropertySignature(parent) || ts.isPropertyAssignment(parent)) && parent.name === node;
      const lookedUp = ts.isPropertyAccessExpression(parent) && parent.name === node;
      if (lookedUp || !declared) found.push(`${at(node)} ${node.text}`);
    }
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && API_NAMES.has(node.argumentExpression.text)) {
      found.push(`${at(node)} ['${node.argumentExpression.text}']`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// The pages' only ways to the extension: the connector and the DevTools adapters.
const ADAPTERS = [join('ui', 'connect'), join('ui', 'devtools', 'devtools-api.ts'), join('ui', 'devtools', 'devtools.ts')];
const isAdapter = (file: string): boolean => ADAPTERS.some((a) => file === a || file.startsWith(a + '/') || file.startsWith(a + '\\'));

describe('extension APIs', () => {
  it('pages never import webextension-polyfill', () => {
    const pages = sources(join(SRC, 'ui'));
    expect(pages.length).toBeGreaterThan(20);
    expect(pages.filter(([, code]) => POLYFILL.test(code)).map(([file]) => file)).toEqual([]);
  });

  it('pages look up `browser ?? chrome` in browser-api.ts only', () => {
    const lookups = sources(join(SRC, 'ui'))
      .filter(([, code]) => /browser\?:/.test(code))
      .map(([file]) => file);
    expect(lookups).toEqual([join('ui', 'connect', 'browser-api.ts')]);
  });

  it('the check finds a component that calls the extension directly', () => {
    const component = [
      '// chrome.runtime.sendMessage in a comment is fine',
      "const label = 'browser.runtime in a string is fine';",
      'type Api = typeof chrome;',
      'let sender: chrome.runtime.MessageSender | undefined;',
      'export function Save() {',
      "  return <button onClick={() => chrome.runtime.sendMessage({ type: 'ui-bg-save' })}>{label}</button>;",
      '}',
      'const g = globalThis as unknown as { browser?: Api };',
      'g.browser?.storage.local.get();',
      "(globalThis as Record<string, unknown>)['chrome'];",
    ].join('\n');
    expect(extensionApiUses('ui/popup/Save.tsx', component)).toEqual(['ui/popup/Save.tsx:6 chrome', 'ui/popup/Save.tsx:9 browser', "ui/popup/Save.tsx:10 ['chrome']"]);
  });

  it('components reach the extension only through src/ui/connect (and the DevTools adapters)', () => {
    const pages = sources(join(SRC, 'ui'));
    const outside = pages.filter(([file]) => !isAdapter(file)).flatMap(([file, code]) => extensionApiUses(file, code));
    expect(outside).toEqual([]);
    // The adapters are where the API is: if one stops using it, the list above is stale.
    const adapters = pages.filter(([file, code]) => isAdapter(file) && extensionApiUses(file, code).length > 0).map(([file]) => file);
    expect(adapters.sort()).toEqual([join('ui', 'connect', 'browser-api.ts'), join('ui', 'devtools', 'devtools-api.ts'), join('ui', 'devtools', 'devtools.ts')]);
  });

  it('the background and the content script use the polyfill', () => {
    for (const file of ['background/index.ts', 'background/browser-deps.ts', 'content/draft-guard.ts']) {
      expect(readFileSync(join(SRC, file), 'utf8'), file).toMatch(POLYFILL);
    }
  });
});
