// Shared by the codec tests: the shared fixtures, documents that use every tag, a seeded PRNG.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_PAGES, contentKind, createDocument, elementFor, type WbxmlDocument, type WbxmlElement, type WbxmlNode } from '../../src/wbxml/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The shared captures: `../shared/fixtures/wbxml` beside the repository. */
export const FIXTURE_DIR = join(REPO_ROOT, '../shared/fixtures/wbxml');
export const REFERENCE_DIR = join(REPO_ROOT, '../shared/reference');

export interface Fixture {
  name: string;
  bytes: Uint8Array;
  /** `horde_` captures are header-less fragments. */
  fragment: boolean;
}

export function fixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.wbxml'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(FIXTURE_DIR, name))), fragment: name.startsWith('horde_') }));
}

/** Reads a tab-separated reference table as objects keyed by the header row. */
export function readTsv(name: string): Array<Record<string, string>> {
  const [header, ...rows] = readFileSync(join(REFERENCE_DIR, name), 'utf8').trimEnd().split('\n');
  const keys = header!.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((value, i) => [keys[i], value])));
}

/**
 * A deep copy without `offset` fields, to compare trees from different sources. An element's
 * `text` (how the decoder keeps one plain string) becomes the text node it stands for, so that a
 * decoded tree compares equal to the same tree built in code or read from XML.
 */
export function withoutOffsets<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, inner: unknown) => {
      if (key === 'offset') return undefined;
      if (inner instanceof Uint8Array) return { bytes: [...inner] };
      if (inner !== null && typeof inner === 'object' && (inner as WbxmlElement).kind === 'element' && (inner as WbxmlElement).text !== undefined) {
        const { text, ...rest } = inner as WbxmlElement;
        return { ...rest, children: [{ kind: 'text', value: text }] };
      }
      return inner;
    }),
  ) as T;
}

/** A document's tree alone (its top-level nodes, without offsets): what round trips keep. */
export function treeOf(doc: WbxmlDocument): unknown {
  return withoutOffsets({ body: doc.body, fragment: doc.fragment });
}

/** The text every-tag documents put in a tag: names it, and carries multi-byte UTF-8. */
export function sampleText(page: number, token: number): string {
  return `${CODE_PAGES[page]!.name}:${CODE_PAGES[page]!.tags[token]} Persönlich 東京 😀 <&>`;
}

/** The bytes every-tag documents put in a byte-array tag. */
export function sampleBytes(page: number, token: number): Uint8Array {
  if (contentKind(page, token) === 'mime') {
    return new TextEncoder().encode(`Subject: Grüße\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo ${token}\r\n`);
  }
  return Uint8Array.from({ length: 16 }, (_, i) => (page * 31 + token * 7 + i * 13) & 0xff);
}

/** Every tag of a page: once with content (text, or bytes for byte-array tags), once empty. */
export function everyTagOf(page: number): WbxmlElement[] {
  const elements: WbxmlElement[] = [];
  CODE_PAGES[page]!.tags.forEach((name, token) => {
    if (name === undefined) return;
    const content: WbxmlNode =
      contentKind(page, token) === 'text' ? { kind: 'text', value: sampleText(page, token), offset: -1 } : { kind: 'opaque', bytes: sampleBytes(page, token), offset: -1 };
    elements.push(elementFor(page, token, [content]), elementFor(page, token));
  });
  return elements;
}

/** One document per page, its root the page's first tag, holding every tag of the page. */
export function pageDocuments(): WbxmlDocument[] {
  return CODE_PAGES.map((page) => {
    const first = page.tags.findIndex((name) => name !== undefined);
    return createDocument(elementFor(page.index, first, everyTagOf(page.index)));
  });
}

/**
 * One document with every tag of every page: under AirSync:Sync, each page's tags sit in an
 * element of that page, and each page's group holds the next page's, so page switches happen
 * going in and coming out of nested elements.
 */
export function everyTagDocument(): WbxmlDocument {
  let inner: WbxmlElement | undefined;
  for (let page = CODE_PAGES.length - 1; page >= 0; page--) {
    const first = CODE_PAGES[page]!.tags.findIndex((name) => name !== undefined);
    const children: WbxmlNode[] = everyTagOf(page);
    if (inner) children.splice(children.length >> 1, 0, inner);
    inner = elementFor(page, first, children);
  }
  return createDocument(elementFor(0, 0x05, [inner!]));
}

/** Every element of a tree, in document order. */
export function elementsOf(root: WbxmlNode): WbxmlElement[] {
  const out: WbxmlElement[] = [];
  const pending: WbxmlNode[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.kind !== 'element') continue;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
  }
  return out;
}

/** A seeded PRNG, so that fuzzing fails the same way twice. */
export { random } from '../../benchmark/random.js';

/** Bytes from hex text ("03 01 6a 00 …"). */
export function hexBytes(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  return Uint8Array.from({ length: digits.length / 2 }, (_, i) => parseInt(digits.slice(2 * i, 2 * i + 2), 16));
}

/** The UTF-8 bytes of a string followed by NUL, as a termstr. */
export function termstr(text: string): number[] {
  return [...new TextEncoder().encode(text), 0];
}
