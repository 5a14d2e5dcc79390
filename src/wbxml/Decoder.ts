// WBXML bytes → tree: builds WbxmlDocument from what the Parser reports.

import { contentKind, tagName } from './codepages.js';
import { namespaceOf, unknownTagName } from './names.js';
import { ATTRIBUTE_END_SWITCHES, DEFAULT_MAX_NODES, NO_ATTRIBUTES, Parser, type DecodeOptions, type ParseHandler, type WbxmlHeader } from './Parser.js';
import type { WbxmlAttribute, WbxmlDocument, WbxmlElement, WbxmlEntity, WbxmlExtension, WbxmlNode, WbxmlPi } from './types.js';
import { copyOf } from './utils/grow.js';
import { decodeLatin1, decodeUtf8 } from './utils/utf8.js';
import { WbxmlError, at } from './WbxmlError.js';

export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES, type DecodeOptions } from './Parser.js';

/**
 * The attributes of every decoded element that has none: one shared, frozen array instead of an
 * empty one per element (118,297 of them in the benchmark's 10 MB Sync response).
 */
const NONE: WbxmlAttribute[] = Object.freeze([]) as unknown as WbxmlAttribute[];

/** The children of an element still open: replaced when it closes, never seen outside. */
const OPEN_CHILDREN: WbxmlNode[] = Object.freeze([]) as unknown as WbxmlNode[];

/** The children of every element whose content is in `text`: one shared, frozen, empty array. */
const TEXT_ONLY: WbxmlNode[] = Object.freeze([]) as unknown as WbxmlNode[];

export class Decoder implements ParseHandler {
  private readonly parser: Parser;
  /**
   * The nodes read and not yet placed: each open element's children follow it here and move into
   * an array of their own, of exactly their number, when it closes (`children: []` filled by push
   * would reserve 17 slots for the one text most elements hold: a quarter of the tree's memory).
   */
  private pending: WbxmlNode[] = [];
  private stack: WbxmlElement[] = [];
  /** Where the children of each open element start in `pending`. */
  private starts: number[] = [];
  private tableCache = new Map<number, string>();
  private readonly maxNodes: number;
  private nodes = 0;
  /** The string table, and where each string first starts in it (for LITERAL indexes). */
  private table: Uint8Array = new Uint8Array(0);
  private latin1 = false;
  private firstStarts: Map<string, number> | undefined;
  /** SWITCH_PAGE tokens reported for the next node (or END, or the end of the input). */
  private pendingSwitches: number[] | undefined;
  /**
   * A plain string read right after the tag of the innermost open element, its first content:
   * if the element closes with nothing else in it, the string becomes its `text` and no text
   * node is made (see WbxmlElement.text); anything else that comes first makes it a node.
   */
  private firstText: string | undefined;

  constructor(options: DecodeOptions = {}) {
    this.parser = new Parser(options);
    this.maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  }

  decode(bytes: Uint8Array): WbxmlDocument {
    this.pending = [];
    this.stack = [];
    this.starts = [];
    this.tableCache = new Map();
    this.nodes = 0;
    this.table = new Uint8Array(0);
    this.firstStarts = undefined;
    this.pendingSwitches = undefined;
    this.firstText = undefined;
    try {
      const header = this.parser.parse(bytes, this);
      const body = this.pending.slice();
      const root = body.find((node): node is WbxmlElement => node.kind === 'element')!;
      const doc: WbxmlDocument = {
        version: header.version,
        publicId: header.publicId,
        charset: header.charset,
        stringTable: copyOf(bytes, header.tableStart, header.tableEnd),
        root,
        body,
        fragment: this.parser.isFragment,
      };
      if (header.publicIdText !== undefined) doc.publicIdText = header.publicIdText;
      if (header.publicIdIndex !== undefined) doc.publicIdIndex = header.publicIdIndex;
      if (header.otherDocument !== undefined) doc.otherDocument = header.otherDocument;
      if (this.pendingSwitches !== undefined) doc.trailingSwitches = this.pendingSwitches;
      return doc;
    } finally {
      this.pending = [];
      this.stack = [];
      this.starts = [];
      this.tableCache = new Map();
    }
  }

  header(header: WbxmlHeader, input: Uint8Array): void {
    this.table = input.subarray(header.tableStart, header.tableEnd);
    this.latin1 = header.charset === 4;
  }

  /**
   * Whether a LITERAL name was referenced where the encoder would reference it anyway: the first
   * string of the table that is this name. Only other references are kept in the tree (`index`).
   */
  private isFirstStart(name: string, index: number): boolean {
    if (this.firstStarts === undefined) {
      const starts = new Map<string, number>();
      for (let start = 0; start < this.table.length;) {
        const end = this.table.indexOf(0, start);
        if (end < 0) break;
        try {
          const value = this.latin1 ? decodeLatin1(this.table, start, end) : decodeUtf8(this.table, start, end);
          if (!starts.has(value)) starts.set(value, start);
        } catch {
          // Not text: no LITERAL can name it.
        }
        start = end + 1;
      }
      this.firstStarts = starts;
    }
    return this.firstStarts.get(name) === index;
  }

  private literalIndexes(attributes: WbxmlAttribute[]): void {
    for (const attribute of attributes) {
      if (attribute.index !== undefined && this.isFirstStart(attribute.name, attribute.index)) delete attribute.index;
    }
  }

  switches(pages: number[]): void {
    this.pendingSwitches = pages;
  }

  /** Adds a node to the element being filled, with the SWITCH_PAGE tokens read before it. */
  private push(node: WbxmlNode): void {
    if (this.firstText !== undefined) this.placeFirstText();
    if (this.pendingSwitches !== undefined) {
      node.switches = this.pendingSwitches;
      this.pendingSwitches = undefined;
    }
    this.pending.push(node);
  }

  /** Counts a node; past `maxNodes`, a too-large error. */
  private count(offset: number): void {
    if (++this.nodes > this.maxNodes) {
      throw new WbxmlError('too-large', `the tree would hold more than ${this.maxNodes} nodes (at ${at(offset)}); raise maxNodes (--max-nodes) to decode it`, offset);
    }
  }

  openElement(page: number, token: number, literal: string | undefined, attributes: WbxmlAttribute[], hasContent: boolean, offset: number, literalIndex?: number): void {
    this.count(offset);
    const known = literal === undefined ? tagName(page, token) : undefined;
    const element: WbxmlElement = {
      kind: 'element',
      page,
      token,
      name: literal ?? known ?? unknownTagName(token),
      namespace: namespaceOf(page),
      known: known !== undefined,
      attributes: attributes.length > 0 ? attributes : NONE,
      children: hasContent ? OPEN_CHILDREN : [],
      // Present from the start (undefined unless the content turns out to be one string): set
      // only later, it gave 86k elements a second hidden class and a property array each (the
      // tree of the 10 MB response held 34.3 MB of heap that way, 32.1 MB this way).
      text: undefined,
      offset,
    };
    if (literalIndex !== undefined && !this.isFirstStart(element.name, literalIndex)) element.index = literalIndex;
    if (attributes.length > 0) this.literalIndexes(attributes);
    else if (attributes !== NO_ATTRIBUTES) element.emptyAttributes = true;
    // Only a list read with the attribute flag can have SWITCH_PAGE tokens before its END; the
    // WeakMap lookup is not paid for the others (nearly all).
    if (attributes !== NO_ATTRIBUTES) {
      const beforeEnd = ATTRIBUTE_END_SWITCHES.get(attributes);
      if (beforeEnd !== undefined) element.attributeSwitchesBeforeEnd = beforeEnd;
    }
    this.push(element);
    if (hasContent) {
      this.stack.push(element);
      this.starts.push(this.pending.length);
    }
  }

  /** The string kept back (firstText) as the text node it is, now that more content follows. */
  private placeFirstText(): void {
    const parent = this.stack[this.stack.length - 1]!;
    this.pending.push({ kind: 'text', value: this.firstText!, offset: parent.offset + 1 });
    this.firstText = undefined;
  }

  closeElement(): void {
    const element = this.stack.pop()!;
    const start = this.starts.pop()!;
    if (this.firstText !== undefined) {
      element.text = this.firstText;
      element.children = TEXT_ONLY;
      this.firstText = undefined;
    } else if (this.pending.length === start) {
      element.children = [];
      element.emptyContent = true;
    } else {
      element.children = this.pending.slice(start);
      this.pending.length = start;
    }
    if (this.pendingSwitches !== undefined) {
      element.switchesBeforeEnd = this.pendingSwitches;
      this.pendingSwitches = undefined;
    }
  }

  text(input: Uint8Array, start: number, end: number, latin1: boolean, tableIndex: number, offset: number): void {
    this.count(offset);
    let value: string | undefined;
    if (tableIndex >= 0) {
      value = this.tableCache.get(tableIndex);
      if (value === undefined) {
        value = latin1 ? decodeLatin1(input, start, end) : decodeUtf8(input, start, end);
        this.tableCache.set(tableIndex, value);
      }
    } else {
      value = latin1 ? decodeLatin1(input, start, end) : decodeUtf8(input, start, end);
    }
    if (tableIndex >= 0) {
      this.push({ kind: 'text', value, carried: 'table', index: tableIndex, offset });
      return;
    }
    // The first content, right after the tag, of an element that holds text: kept back, to be
    // the element's `text` if nothing else follows.
    const depth = this.stack.length;
    if (depth > 0 && value !== '' && this.pendingSwitches === undefined && this.pending.length === this.starts[depth - 1]) {
      const parent = this.stack[depth - 1]!;
      if (offset === parent.offset + 1 && contentKind(parent.page, parent.token) === 'text') {
        this.firstText = value;
        return;
      }
    }
    // STR_I where the schema wants bytes: marked, or encoding would turn it into OPAQUE.
    const parent = this.stack[this.stack.length - 1];
    if (parent !== undefined && parent.token >= 0 && contentKind(parent.page, parent.token) !== 'text') {
      this.push({ kind: 'text', value, carried: 'inline', offset });
      return;
    }
    this.push({ kind: 'text', value, offset });
  }

  opaque(input: Uint8Array, start: number, end: number, offset: number): void {
    this.count(offset);
    this.push({ kind: 'opaque', bytes: copyOf(input, start, end), offset });
  }

  other(node: WbxmlEntity | WbxmlExtension | WbxmlPi): void {
    this.count(node.offset);
    if (node.kind === 'pi') this.literalIndexes([node.target]);
    this.push(node);
  }
}
