// A decoded WBXML tree as a flat table of rows, for the virtual tree view (the preact-devtools
// way): rows in document order, each with its depth, parent and the index just past its subtree,
// so that the visible rows are found by one loop that jumps over collapsed subtrees. Built once
// per document with an explicit stack (no recursion); 10 MB Sync responses give 100k+ rows.
//
// An element whose only child is text or opaque data is one row (`<Status>1</Status>`); other
// content (mixed with elements) gets rows of its own.
import { contentKind } from '../../../wbxml/codepages';
import type { WbxmlDocument, WbxmlElement, WbxmlNode } from '../../../wbxml/types';
import { contentOf, topLevelNodes } from '../../../wbxml/tree';
import { toHex } from '../../../shared/base64';
import { decodeUtf8Lossy, isValidUtf8 } from '../../../wbxml/utils/utf8';

export interface FlatTree {
  /** Number of rows. */
  size: number;
  node: WbxmlNode[];
  depth: Int32Array;
  /** Parent row, -1 at the top. */
  parent: Int32Array;
  /** Index just past the row's subtree: the row has children when end > index + 1. */
  end: Int32Array;
}

export function flatten(input: WbxmlDocument | WbxmlElement): FlatTree {
  const top = 'root' in input ? topLevelNodes(input) : [input];
  const nodes: WbxmlNode[] = [];
  const depths: number[] = [];
  const parents: number[] = [];
  const ends: number[] = [];
  // Frames: the children still to visit, and the row that owns them.
  const stack: Array<{ children: readonly WbxmlNode[]; index: number; row: number }> = [{ children: top, index: 0, row: -1 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.children.length) {
      stack.pop();
      if (frame.row >= 0) ends[frame.row] = nodes.length;
      continue;
    }
    const node = frame.children[frame.index++]!;
    const row = nodes.length;
    nodes.push(node);
    depths.push(stack.length - 1);
    parents.push(frame.row);
    ends.push(row + 1);
    if (node.kind === 'element' && !isInline(node) && node.children.length > 0) {
      stack.push({ children: node.children, index: 0, row });
    }
  }
  return {
    size: nodes.length,
    node: nodes,
    depth: Int32Array.from(depths),
    parent: Int32Array.from(parents),
    end: Int32Array.from(ends),
  };
}

/** An element shown on one row with its content: no children, or one text/opaque child (or its `text`). */
export function isInline(el: WbxmlElement): boolean {
  return el.children.length === 0 || (el.children.length === 1 && el.children[0]!.kind !== 'element');
}

/** The only content node of an element (its `text` as a text node), or undefined. */
function soleContent(el: WbxmlElement): WbxmlNode | undefined {
  const content = contentOf(el);
  return content.length === 1 ? content[0] : undefined;
}

export function hasChildren(tree: FlatTree, row: number): boolean {
  return tree.end[row]! > row + 1;
}

/** Collapsed state: one byte per row. */
export type Collapsed = Uint8Array;

/**
 * The rows to show, skipping the subtrees of collapsed rows. O(rows shown), one loop: the
 * flatten of style.md, on the precomputed table.
 */
export function visibleRows(tree: FlatTree, collapsed: Collapsed): Int32Array {
  const out = new Int32Array(tree.size);
  let count = 0;
  for (let row = 0; row < tree.size;) {
    out[count++] = row;
    row = collapsed[row] ? tree.end[row]! : row + 1;
  }
  return out.subarray(0, count);
}

/**
 * The starting collapsed state: open as many levels as keep the view under `budget` rows (at
 * least the first level), collapse everything deeper. A FolderSync opens fully; a 10 MB Sync
 * opens down to its Commands.
 */
export function initialCollapsed(tree: FlatTree, budget = 2000): Collapsed {
  const perDepth: number[] = [];
  for (let row = 0; row < tree.size; row++) {
    const d = tree.depth[row]!;
    perDepth[d] = (perDepth[d] ?? 0) + 1;
  }
  let openDepth = 0;
  let shown = perDepth[0] ?? 0;
  while (openDepth + 1 < perDepth.length && shown + perDepth[openDepth + 1]! <= budget) {
    openDepth++;
    shown += perDepth[openDepth]!;
  }
  openDepth = Math.max(openDepth, Math.min(1, perDepth.length - 1));
  const collapsed = new Uint8Array(tree.size);
  for (let row = 0; row < tree.size; row++) {
    if (tree.depth[row]! >= openDepth && hasChildren(tree, row)) collapsed[row] = 1;
  }
  return collapsed;
}

export function expandAll(tree: FlatTree): Collapsed {
  return new Uint8Array(tree.size);
}

export function collapseAll(tree: FlatTree): Collapsed {
  const collapsed = new Uint8Array(tree.size);
  for (let row = 0; row < tree.size; row++) if (hasChildren(tree, row)) collapsed[row] = 1;
  return collapsed;
}

/** Opens every ancestor of a row so that it is shown; returns a new state. */
export function reveal(tree: FlatTree, collapsed: Collapsed, row: number): Collapsed {
  const next = collapsed.slice();
  for (let p = tree.parent[row]!; p >= 0; p = tree.parent[p]!) next[p] = 0;
  return next;
}

export function toggle(collapsed: Collapsed, row: number): Collapsed {
  const next = collapsed.slice();
  next[row] = next[row] ? 0 : 1;
  return next;
}

/** How a value is shown: as text, or as hex when the bytes are not text. */
export interface RowValue {
  text: string;
  kind: 'text' | 'hex' | 'none';
  /** Byte count for opaque data. */
  bytes?: number;
  /**
   * How the value was carried, when that is not what the element's schema says: `'string'` for
   * text in a byte-array element (a server sending `Email2:ConversationId` as a string), `'table'`
   * for text from the string table (STR_T).
   */
  carried?: 'string' | 'table';
}

const MAX_SHOWN = 100_000;

/** Opaque bytes as text when they are UTF-8 text (MIME, bodies), else as hex. */
export function opaqueValue(bytes: Uint8Array, parent: WbxmlElement | undefined): RowValue {
  const kind = parent && parent.token >= 0 ? contentKind(parent.page, parent.token) : 'text';
  if (kind !== 'binary' && bytes.indexOf(0) < 0 && isValidUtf8(bytes)) {
    return { text: decodeUtf8Lossy(bytes.subarray(0, MAX_SHOWN)), kind: 'text', bytes: bytes.length };
  }
  return { text: toHex(bytes.subarray(0, MAX_SHOWN / 2)).replace(/(..)(?!$)/g, '$1 '), kind: 'hex', bytes: bytes.length };
}

function nodeValue(node: WbxmlNode, parent: WbxmlElement | undefined): RowValue {
  switch (node.kind) {
    case 'text':
      if (node.carried === 'inline' && parent !== undefined && parent.token >= 0 && contentKind(parent.page, parent.token) === 'binary') {
        return { text: node.value, kind: 'text', carried: 'string' };
      }
      return node.carried === 'table' ? { text: node.value, kind: 'text', carried: 'table' } : { text: node.value, kind: 'text' };
    case 'opaque':
      return opaqueValue(node.bytes, parent);
    case 'entity':
      return { text: node.code <= 0x10ffff ? String.fromCodePoint(node.code) : `&#${node.code};`, kind: 'text' };
    case 'ext':
      return {
        text: `EXT_${node.form === 'inline' ? 'I' : node.form === 'table' ? 'T' : ''}_${node.ext}${node.text !== undefined ? ` ${node.text}` : node.index !== undefined ? ` ${node.index}` : ''}`,
        kind: 'text',
      };
    case 'pi':
      return { text: `<?${node.target.name}?>`, kind: 'text' };
    default:
      return { text: '', kind: 'none' };
  }
}

/** What a row shows: the element (or content), its value, and the namespace when it changes. */
export interface RowLabel {
  kind: 'element' | 'content';
  name: string;
  /** The element's namespace when it differs from its parent's (or at the top). */
  namespace: string | undefined;
  value: RowValue;
  /** Direct children (elements and content) of an element. */
  childCount: number;
  known: boolean;
}

export function rowLabel(tree: FlatTree, row: number): RowLabel {
  const node = tree.node[row]!;
  const parentRow = tree.parent[row]!;
  const parent = parentRow >= 0 ? (tree.node[parentRow] as WbxmlElement) : undefined;
  if (node.kind !== 'element') {
    return { kind: 'content', name: node.kind, namespace: undefined, value: nodeValue(node, parent), childCount: 0, known: true };
  }
  const namespace = parent && parent.namespace === node.namespace ? undefined : node.namespace;
  const only = soleContent(node);
  const value = only && only.kind !== 'element' ? nodeValue(only, node) : { text: '', kind: 'none' as const };
  return { kind: 'element', name: node.name, namespace, value, childCount: contentOf(node).length, known: node.known };
}

/** The element names from the top down to a row, e.g. ["Sync", "Collections", …]. */
export function pathTo(tree: FlatTree, row: number): string[] {
  const names: string[] = [];
  for (let r = row; r >= 0; r = tree.parent[r]!) {
    const node = tree.node[r]!;
    names.push(node.kind === 'element' ? node.name : `#${node.kind}`);
  }
  return names.reverse();
}

/**
 * The next row at or after `from` (wrapping around) whose name or value contains `query`
 * (case-insensitive), or -1. Searches every row, collapsed or not.
 */
export function findRow(tree: FlatTree, query: string, from: number, direction: 1 | -1 = 1): number {
  const needle = query.toLowerCase();
  if (needle === '' || tree.size === 0) return -1;
  for (let step = 0; step < tree.size; step++) {
    const row = (((from + step * direction) % tree.size) + tree.size) % tree.size;
    if (rowMatches(tree, row, needle)) return row;
  }
  return -1;
}

function rowMatches(tree: FlatTree, row: number, needle: string): boolean {
  const node = tree.node[row]!;
  if (node.kind === 'element') {
    if (node.name.toLowerCase().includes(needle)) return true;
    const only = soleContent(node);
    if (!only || only.kind === 'element') return false;
    return textIncludes(only, node, needle);
  }
  const parentRow = tree.parent[row]!;
  return textIncludes(node, parentRow >= 0 ? (tree.node[parentRow] as WbxmlElement) : undefined, needle);
}

function textIncludes(node: WbxmlNode, parent: WbxmlElement | undefined, needle: string): boolean {
  if (node.kind === 'text') return node.value.toLowerCase().includes(needle);
  return nodeValue(node, parent).text.toLowerCase().includes(needle);
}
