// What changed between two decoded bodies: the same Sync in two captures, a request and the next.
// Elements are matched by name, and among same-named siblings by a key child (ServerId,
// CollectionId, ...) when they have one, else by position. The result is a flat list of
// changes with a path, as the panel and `inspect --diff` print them.
import { textOf } from '../wbxml/tree.js';
import type { WbxmlElement, WbxmlNode } from '../wbxml/types.js';
import { bodyTree } from './body-xml.js';
import type { CaptureExchange } from './types.js';

export interface TreeChange {
  /** "Sync/Collections/Collection[CollectionId=5]/SyncKey". */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** Text of a leaf, or "(N children)" for an element with children. */
  before?: string;
  after?: string;
}

export interface ExchangeDiff {
  request: TreeChange[];
  response: TreeChange[];
  /** Why a side could not be compared (a body missing or not WBXML), per body. */
  requestNote?: string;
  responseNote?: string;
}

/** Children whose value tells same-named siblings apart. */
const KEYS = ['ServerId', 'CollectionId', 'ClientId', 'FileReference', 'LongId', 'ItemId', 'Class', 'PolicyType'];

const elements = (node: WbxmlElement): WbxmlElement[] => node.children.filter((c: WbxmlNode): c is WbxmlElement => c.kind === 'element');

function summary(el: WbxmlElement): string {
  const kids = elements(el);
  if (kids.length > 0) return `(${kids.length} children)`;
  const opaque = el.children.find((c) => c.kind === 'opaque');
  if (opaque && opaque.kind === 'opaque') return `(${opaque.bytes.length} bytes)`;
  return textOf(el);
}

function labels(children: readonly WbxmlElement[]): Map<string, WbxmlElement> {
  const counts = new Map<string, number>();
  for (const c of children) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out = new Map<string, WbxmlElement>();
  for (const c of children) {
    let label = c.name;
    const keyName = KEYS.find((k) => elements(c).some((g) => g.name === k));
    const key = keyName && elements(c).find((g) => g.name === keyName);
    if (key) label = `${c.name}[${keyName}=${textOf(key)}]`;
    else if ((counts.get(c.name) ?? 0) > 1) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      label = `${c.name}[${n}]`;
    }
    while (out.has(label)) label += '+';
    out.set(label, c);
  }
  return out;
}

function walk(a: WbxmlElement, b: WbxmlElement, path: string, out: TreeChange[], depth: number): void {
  const ak = elements(a);
  const bk = elements(b);
  if (ak.length === 0 && bk.length === 0) {
    const before = summary(a);
    const after = summary(b);
    if (before !== after) out.push({ path, kind: 'changed', before, after });
    return;
  }
  // The Decoder refuses documents deeper than 100 levels; this only keeps a hand-built tree finite.
  if (depth > 200) return;
  const al = labels(ak);
  const bl = labels(bk);
  for (const [label, el] of al) {
    const other = bl.get(label);
    if (other) walk(el, other, `${path}/${label}`, out, depth + 1);
    else out.push({ path: `${path}/${label}`, kind: 'removed', before: summary(el) });
  }
  for (const [label, el] of bl) if (!al.has(label)) out.push({ path: `${path}/${label}`, kind: 'added', after: summary(el) });
}

/** The changes from tree `a` to tree `b` (either may be missing: everything is added or removed). */
export function diffTrees(a: WbxmlElement | undefined, b: WbxmlElement | undefined): TreeChange[] {
  if (!a && !b) return [];
  if (!a) return [{ path: b!.name, kind: 'added', after: summary(b!) }];
  if (!b) return [{ path: a.name, kind: 'removed', before: summary(a) }];
  if (a.name !== b.name || a.namespace !== b.namespace) return [{ path: '', kind: 'changed', before: `<${a.namespace}:${a.name}>`, after: `<${b.namespace}:${b.name}>` }];
  const out: TreeChange[] = [];
  walk(a, b, a.name, out, 0);
  return out;
}

/** Both bodies of two exchanges compared, request with request and response with response. */
export function diffExchanges(a: CaptureExchange, b: CaptureExchange): ExchangeDiff {
  const side = (which: 'request' | 'response'): { changes: TreeChange[]; note?: string } => {
    const ta = bodyTree(a[which]);
    const tb = bodyTree(b[which]);
    const notes = [ta.root ? undefined : `first: ${ta.reason}`, tb.root ? undefined : `second: ${tb.reason}`].filter((n) => n !== undefined);
    return { changes: diffTrees(ta.root, tb.root), ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
  };
  const request = side('request');
  const response = side('response');
  return {
    request: request.changes,
    response: response.changes,
    ...(request.note !== undefined ? { requestNote: request.note } : {}),
    ...(response.note !== undefined ? { responseNote: response.note } : {}),
  };
}
