// Small helpers to build and read trees, for code that speaks ActiveSync.

import { findTag, findTagOnAnyPage, pageByNamespace, tagName } from './codepages.js';
import { namespaceOf, unknownTagName } from './names.js';
import type { WbxmlDocument, WbxmlElement, WbxmlNode, WbxmlText } from './types.js';
import { decodeUtf8Lossy } from './utils/utf8.js';

/** An element for a page and token, named from the table (offset -1: not from any input). */
export function elementFor(page: number, token: number, children: WbxmlNode[] = []): WbxmlElement {
  const known = tagName(page, token);
  return {
    kind: 'element',
    page,
    token,
    name: known ?? unknownTagName(token),
    namespace: namespaceOf(page),
    known: known !== undefined,
    attributes: [],
    children,
    offset: -1,
  };
}

/**
 * Resolves a tag name without a namespace: on `preferPage` if it defines it, else on the only page
 * that does. Undefined when no page or several pages define it.
 */
export function resolveUnqualified(name: string, preferPage: number): [page: number, token: number] | undefined {
  const token = findTag(preferPage, name);
  if (token !== undefined) return [preferPage, token];
  const found = findTagOnAnyPage(name);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Builds an element from a `'Provision:Policy'` style name (page name, case-insensitive, then
 * Microsoft's tag name or an alias). A name without a page is looked up on AirSync, then on the
 * only page that defines it. Strings become text, byte arrays opaque data. Throws for an unknown name.
 *
 *     element('Provision:Provision', element('Provision:Policies', element('Provision:Policy',
 *       element('Provision:PolicyType', 'MS-EAS-Provisioning-WBXML'))))
 */
export function element(qname: string, ...children: Array<WbxmlNode | string | Uint8Array>): WbxmlElement {
  const colon = qname.indexOf(':');
  let resolved: [number, number] | undefined;
  if (colon < 0) {
    resolved = resolveUnqualified(qname, 0);
  } else {
    const page = pageByNamespace(qname.slice(0, colon));
    const token = page && findTag(page.index, qname.slice(colon + 1));
    if (page && token !== undefined) resolved = [page.index, token];
  }
  if (resolved === undefined) throw new Error(`no ActiveSync tag named ${JSON.stringify(qname)}`);
  const nodes: WbxmlNode[] = children.map((child) =>
    typeof child === 'string' ? { kind: 'text', value: child, offset: -1 } : child instanceof Uint8Array ? { kind: 'opaque', bytes: child, offset: -1 } : child,
  );
  return elementFor(resolved[0], resolved[1], nodes);
}

/** A document (header 03 01 6A 00) around a root element. */
export function createDocument(root: WbxmlElement): WbxmlDocument {
  return { version: 3, publicId: 1, charset: 106, stringTable: new Uint8Array(0), root, body: [root], fragment: false };
}

/** What encode and toXml write: a lone element, or a document's top-level nodes. */
export function topLevelNodes(input: WbxmlDocument | WbxmlElement): readonly WbxmlNode[] {
  if (!('root' in input)) return [input];
  return input.body.includes(input.root) ? input.body : [input.root];
}

export interface TreeVisitor {
  /** An element, before its children. */
  enter(element: WbxmlElement): void;
  /** The same element, after its children. */
  leave(element: WbxmlElement): void;
  /** Any other node, with the element it is in (undefined at the top level). */
  content(node: Exclude<WbxmlNode, WbxmlElement>, parent: WbxmlElement | undefined): void;
}

/** The text node an element's `text` stands for (see WbxmlElement.text). */
export function textNodeOf(el: WbxmlElement & { text: string }): WbxmlText {
  return { kind: 'text', value: el.text, offset: el.offset < 0 ? -1 : el.offset + 1 };
}

/** An element's content nodes: its children, or the text node its `text` stands for. */
export function contentOf(el: WbxmlElement): readonly WbxmlNode[] {
  return el.text === undefined ? el.children : [textNodeOf(el as WbxmlElement & { text: string })];
}

/** Whether an element has content (and so the content flag and an END when encoded). */
export function hasContent(el: WbxmlElement): boolean {
  return el.children.length > 0 || el.text !== undefined || el.emptyContent === true;
}

/**
 * Visits nodes in document order with an explicit stack, so deep trees cannot overflow the call
 * stack. An element's `text` is visited as the text node it stands for.
 */
export function walk(top: readonly WbxmlNode[], visitor: TreeVisitor): void {
  const stack: Array<{ nodes: readonly WbxmlNode[]; index: number; parent: WbxmlElement | undefined }> = [{ nodes: top, index: 0, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      if (frame.parent !== undefined) visitor.leave(frame.parent);
      continue;
    }
    const node = frame.nodes[frame.index++]!;
    if (node.kind === 'element') {
      visitor.enter(node);
      if (node.text !== undefined) {
        visitor.content(textNodeOf(node as WbxmlElement & { text: string }), node);
        visitor.leave(node);
      } else {
        stack.push({ nodes: node.children, index: 0, parent: node });
      }
    } else {
      visitor.content(node, frame.parent);
    }
  }
}

/** Whether an element has this name: local ("Status", or an alias) or qualified ("Settings:Status"). */
export function hasName(el: WbxmlElement, name: string): boolean {
  const colon = name.indexOf(':');
  let local = name;
  if (colon >= 0) {
    const page = pageByNamespace(name.slice(0, colon));
    const namespace = page?.name ?? name.slice(0, colon);
    if (namespace.toLowerCase() !== el.namespace.toLowerCase()) return false;
    local = name.slice(colon + 1);
  }
  return el.name === local || (el.known && findTag(el.page, local) === el.token);
}

/** The first child element with this name (see hasName). */
export function findChild(el: WbxmlElement, name: string): WbxmlElement | undefined {
  for (const child of el.children) if (child.kind === 'element' && hasName(child, name)) return child;
  return undefined;
}

/** Every child element with this name (see hasName). */
export function findChildren(el: WbxmlElement, name: string): WbxmlElement[] {
  return el.children.filter((child): child is WbxmlElement => child.kind === 'element' && hasName(child, name));
}

/** Follows child names separated by "/", e.g. `findPath(provision, 'Policies/Policy/Data')`. */
export function findPath(el: WbxmlElement, path: string): WbxmlElement | undefined {
  let current: WbxmlElement | undefined = el;
  for (const step of path.split('/')) {
    if (step === '') continue;
    current = current && findChild(current, step);
  }
  return current;
}

/** All text below an element, in order; opaque data decoded as UTF-8, entities as characters. */
export function textOf(el: WbxmlNode): string {
  let text = '';
  const pending: WbxmlNode[] = [el];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    switch (node.kind) {
      case 'element':
        if (node.text !== undefined) text += node.text;
        for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
        break;
      case 'text':
        text += node.value;
        break;
      case 'opaque':
        text += decodeUtf8Lossy(node.bytes);
        break;
      case 'entity':
        if (node.code <= 0x10ffff) text += String.fromCodePoint(node.code);
        break;
      default:
        break;
    }
  }
  return text;
}
