// Decoding a record's bodies on demand, with a small cache: trees of the last few bodies looked
// at (a 10 MB Sync tree is large), and the lower-cased XML text of every body searched.
import { Decoder } from '../../../wbxml/Decoder';
import { decodeToXml } from '../../../wbxml/toXml';
import type { WbxmlDocument } from '../../../wbxml/types';
import { WbxmlError } from '../../../wbxml/WbxmlError';
import { decodeUtf8Lossy } from '../../../wbxml/utils/utf8';
import { flatten, type FlatTree } from './flat-tree';
import { isWbxml, type EasRecord } from './record';

export type Which = 'request' | 'response';

export type Decoded =
  | { kind: 'wbxml'; doc: WbxmlDocument; tree: FlatTree }
  | { kind: 'error'; error: WbxmlError; bytes: Uint8Array }
  | { kind: 'text'; text: string }
  /** XML the capture gave as text (a mailbox log): shown as it is, there are no WBXML bytes. */
  | { kind: 'xml'; text: string }
  | { kind: 'none' };

const TEXT_LIMIT = 256 * 1024;

/** Decodes bytes as WBXML, or reports the codec's error with its offset. */
export function decodeBytes(bytes: Uint8Array): Decoded {
  try {
    const doc = new Decoder().decode(bytes);
    return { kind: 'wbxml', doc, tree: flatten(doc) };
  } catch (error) {
    if (error instanceof WbxmlError) return { kind: 'error', error, bytes };
    throw error;
  }
}

export class DecodeCache {
  private readonly trees = new Map<string, Decoded>();
  private readonly search = new Map<string, string>();
  /** Characters held in `search`: bounded, since a search over a big capture decodes every body. */
  private searchChars = 0;

  constructor(
    private readonly maxTrees = 4,
    private readonly maxSearchChars = 64 * 1024 * 1024,
  ) {}

  /** The decoded body (WBXML tree, text, or error) of a record. */
  get(record: EasRecord, which: Which): Decoded {
    const body = which === 'request' ? record.requestBody : record.responseBody;
    if (body?.state === 'xml') return { kind: 'xml', text: body.xml };
    if (body?.state !== 'bytes') return { kind: 'none' };
    const key = `${record.id}:${which}`;
    const cached = this.trees.get(key);
    if (cached) {
      // Most recently used last.
      this.trees.delete(key);
      this.trees.set(key, cached);
      return cached;
    }
    const decoded: Decoded = isWbxml(record, which) ? decodeBytes(body.bytes) : { kind: 'text', text: decodeUtf8Lossy(body.bytes.subarray(0, TEXT_LIMIT)) };
    this.trees.set(key, decoded);
    while (this.trees.size > this.maxTrees) this.trees.delete(this.trees.keys().next().value!);
    return decoded;
  }

  /** Lower-cased text of both bodies (XML for WBXML), for the search box. */
  searchText(record: EasRecord): string {
    const key = `${record.id}:${record.responseBody ? 'done' : 'pending'}`;
    const cached = this.search.get(key);
    if (cached !== undefined) return cached;
    const text = `${bodyText(record, 'request')}\n${bodyText(record, 'response')}`.toLowerCase();
    this.search.set(key, text);
    this.searchChars += text.length;
    // The oldest texts go first; searching again decodes them again.
    for (const [old, value] of this.search) {
      if (this.searchChars <= this.maxSearchChars || old === key) break;
      this.search.delete(old);
      this.searchChars -= value.length;
    }
    return text;
  }

  forget(ids: ReadonlySet<number>): void {
    this.drop((id) => ids.has(id));
  }

  /** Forgets every record but these (the panel dropped the others). */
  retain(ids: ReadonlySet<number>): void {
    this.drop((id) => !ids.has(id));
  }

  private drop(which: (id: number) => boolean): void {
    for (const key of [...this.trees.keys()]) if (which(Number(key.split(':')[0]))) this.trees.delete(key);
    for (const [key, text] of [...this.search]) {
      if (!which(Number(key.split(':')[0]))) continue;
      this.search.delete(key);
      this.searchChars -= text.length;
    }
  }

  clear(): void {
    this.trees.clear();
    this.search.clear();
    this.searchChars = 0;
  }
}

/** A body as XML text (WBXML), as text (other bodies), or '' when there is none. */
export function bodyText(record: EasRecord, which: Which): string {
  const body = which === 'request' ? record.requestBody : record.responseBody;
  if (body?.state === 'xml') return body.xml;
  if (body?.state !== 'bytes') return '';
  if (!isWbxml(record, which)) return decodeUtf8Lossy(body.bytes.subarray(0, TEXT_LIMIT));
  try {
    return decodeToXml(body.bytes);
  } catch {
    return '';
  }
}
