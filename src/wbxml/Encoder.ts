// Tree → WBXML 1.3 bytes, as real ActiveSync clients write them: header 03 01 6A 00, text as
// STR_I, OPAQUE for byte-array tags. A string table is written only when the tree holds LITERAL
// names (ActiveSync never does). Walks the tree with an explicit stack.

import { contentKind } from './codepages.js';
import {
  CHARSET_ASCII,
  CHARSET_LATIN1,
  CHARSET_UNKNOWN,
  CHARSET_UTF8,
  END,
  ENTITY,
  EXT_0,
  EXT_I_0,
  EXT_T_0,
  HAS_ATTRIBUTES,
  HAS_CONTENT,
  LITERAL,
  OPAQUE,
  PI,
  STR_I,
  STR_T,
  SWITCH_PAGE,
} from './tokens.js';
import type { WbxmlAttribute, WbxmlDocument, WbxmlElement, WbxmlNode, WbxmlValuePart } from './types.js';
import { hasContent, topLevelNodes, walk } from './tree.js';
import { grow } from './utils/grow.js';
import { decodeLatin1, decodeUtf8, encodeUtf8 } from './utils/utf8.js';
import { WbxmlError } from './WbxmlError.js';

export interface EncodeOptions {
  /** Write a header-less fragment (default: the document's own `fragment` flag). */
  fragment?: boolean;
}

const INITIAL_BUFFER_SIZE = 2048;

/**
 * Past this size the output is written in chunks of it, set aside as they fill and joined once
 * at the end: doubling one buffer copied every byte once more on the way to 10 MB and allocated
 * twice the output in zeroed buffers (grow() was 14% of encode's self time).
 */
const CHUNK_SIZE = 1 << 20;
const textEncoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** A UTF-16 surrogate without its partner: TextEncoder would silently write U+FFFD for it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The string table being written: the document's own (a decoded document keeps it, so that its
 * STR_T and LITERAL references stay as they were), plus the LITERAL names it lacks.
 */
class StringTable {
  readonly parts: Uint8Array[] = [];
  length = 0;
  /** String at each index where one starts (after a NUL), decoded lazily. */
  private readonly strings = new Map<number, string>();
  private readonly firstIndex = new Map<string, number>();

  constructor(
    private readonly original: Uint8Array,
    private readonly latin1: boolean,
  ) {
    if (original.length > 0) {
      this.parts.push(original);
      this.length = original.length;
    }
  }

  /** The string at `index` of the original table (up to its NUL), or undefined. */
  stringAt(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.original.length) return undefined;
    let value = this.strings.get(index);
    if (value === undefined) {
      const end = this.original.indexOf(0, index);
      if (end < 0) return undefined;
      try {
        value = this.latin1 ? decodeLatin1(this.original, index, end) : decodeUtf8(this.original, index, end);
      } catch {
        return undefined;
      }
      this.strings.set(index, value);
    }
    return value;
  }

  /** The index of `name`: `preferred` if the string there is `name`, else where it starts, else appended. */
  indexOf(name: string, preferred: number | undefined, encode: (text: string) => Uint8Array): number {
    if (preferred !== undefined && this.stringAt(preferred) === name) return preferred;
    let index = this.firstIndex.get(name);
    if (index !== undefined) return index;
    for (let start = 0; start < this.original.length; start = this.original.indexOf(0, start) + 1) {
      if (this.stringAt(start) === name) {
        index = start;
        break;
      }
      if (this.original.indexOf(0, start) < 0) break;
    }
    if (index === undefined) {
      const bytes = encode(name);
      index = this.length;
      this.parts.push(bytes, Uint8Array.of(0));
      this.length += bytes.length + 1;
    }
    this.firstIndex.set(name, index);
    return index;
  }
}
export class Encoder {
  private buffer = new Uint8Array(INITIAL_BUFFER_SIZE);
  private pos = 0;
  /** Full chunks written before `buffer` (see CHUNK_SIZE), and their total length. */
  private chunks: Uint8Array[] = [];
  private chunksLength = 0;
  private tagPage = 0;
  private attrPage = 0;
  private latin1 = false;
  private table = new StringTable(EMPTY, false);

  /**
   * Writes a document with its own header (version, public identifier, character set, string
   * table: what decode read, or 03 01 6A 00 for a document built in code or read from XML), or an
   * element with ActiveSync's header.
   */
  encode(input: WbxmlDocument | WbxmlElement, options: EncodeOptions = {}): Uint8Array {
    const doc = 'root' in input ? input : undefined;
    const fragment = options.fragment ?? doc?.fragment ?? false;
    const nodes = topLevelNodes(input);
    const charset = doc?.charset ?? CHARSET_UTF8;
    if (charset !== CHARSET_UTF8 && charset !== CHARSET_ASCII && charset !== CHARSET_LATIN1 && charset !== CHARSET_UNKNOWN) {
      throw new WbxmlError('unsupported-charset', `cannot write character set ${charset}; UTF-8 (106), US-ASCII (3) and ISO-8859-1 (4) are written`, -1);
    }
    this.pos = 0;
    this.chunks = [];
    this.chunksLength = 0;
    this.tagPage = 0;
    this.attrPage = 0;
    this.latin1 = charset === CHARSET_LATIN1;
    this.table = new StringTable(fragment ? EMPTY : (doc?.stringTable ?? EMPTY), this.latin1);
    const publicIdIndex = !fragment && doc?.publicId === 0 ? this.table.indexOf(doc.publicIdText ?? '', doc.publicIdIndex, (t) => this.encodeText(t)) : -1;
    collectLiterals(nodes, this.table, (t) => this.encodeText(t));
    if (fragment && this.table.length > 0) {
      throw new WbxmlError('bad-value', 'a fragment has no string table, so it cannot hold LITERAL names', -1);
    }
    if (!fragment) this.writeHeader(doc, publicIdIndex);
    this.writeNodes(nodes);
    this.writeSwitches(doc?.trailingSwitches);
    const out = this.joined();
    if (this.buffer.length >= CHUNK_SIZE) this.buffer = new Uint8Array(INITIAL_BUFFER_SIZE);
    return out;
  }

  /** Everything written, in one array of its own. */
  private joined(): Uint8Array {
    if (this.chunks.length === 0) return this.buffer.slice(0, this.pos);
    const out = new Uint8Array(this.chunksLength + this.pos);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    out.set(this.buffer.subarray(0, this.pos), at);
    this.chunks = [];
    this.chunksLength = 0;
    return out;
  }

  private writeHeader(doc: WbxmlDocument | undefined, publicIdIndex: number): void {
    // By default 03: WBXML 1.3; 01: unknown public identifier; 6A: UTF-8 (MIBenum 106).
    const version = doc?.version ?? 3;
    if (!Number.isInteger(version) || version < 0 || version > 0x0f) {
      throw new WbxmlError('bad-value', `WBXML version ${version} is not 1.x (0 to 15)`, -1);
    }
    this.writeByte(version);
    this.writeMbUint32(doc?.publicId ?? 1);
    if (publicIdIndex >= 0) this.writeMbUint32(publicIdIndex);
    // WBXML 1.0 has no charset field.
    if (version > 0) this.writeMbUint32(doc?.charset ?? CHARSET_UTF8);
    this.writeMbUint32(this.table.length);
    for (const part of this.table.parts) this.writeBytes(part);
  }

  private writeNodes(top: readonly WbxmlNode[]): void {
    walk(top, {
      enter: (element) => {
        this.writeSwitches(element.switches);
        this.writeTag(element);
      },
      leave: (element) => {
        if (hasContent(element)) {
          this.writeSwitches(element.switchesBeforeEnd);
          this.writeByte(END);
        }
      },
      content: (node, parent) => {
        this.writeSwitches(node.switches);
        if (node.kind === 'pi') {
          this.writeByte(PI);
          this.writeAttribute(node.target);
          this.writeAttributeSwitches(node.switchesBeforeEnd);
          this.writeByte(END);
        } else if (node.kind === 'text' && node.carried === undefined && parent !== undefined && parent.token >= 0 && contentKind(parent.page, parent.token) !== 'text') {
          // Text in a byte-array tag (ComposeMail:Mime, …) goes as OPAQUE, as clients send it,
          // unless it is marked as read from STR_I or STR_T.
          this.writeOpaque(this.encodeText(node.value));
        } else {
          this.writeValuePart(node);
        }
      },
    });
  }

  /** SWITCH_PAGE tokens a decoded tree kept where they stood (see WbxmlNode `switches`). */
  private writeSwitches(pages: readonly number[] | undefined): void {
    if (pages === undefined) return;
    for (const page of pages) {
      checkByte(page, 'code page', 'SWITCH_PAGE');
      this.writeByte(SWITCH_PAGE);
      this.writeByte(page);
      this.tagPage = page;
    }
  }

  private writeTag(element: WbxmlElement): void {
    const flags = (element.attributes.length > 0 || element.emptyAttributes ? HAS_ATTRIBUTES : 0) | (hasContent(element) ? HAS_CONTENT : 0);
    checkByte(element.page, 'code page', element.name);
    if (element.page !== this.tagPage) {
      this.writeByte(SWITCH_PAGE);
      this.writeByte(element.page);
      this.tagPage = element.page;
    }
    if (element.token < 0) {
      this.writeByte(LITERAL | flags);
      this.writeMbUint32(this.table.indexOf(element.name, element.index, (t) => this.encodeText(t)));
    } else {
      if (element.token < 0x05 || element.token > 0x3f) {
        throw new WbxmlError('bad-value', `tag token ${element.token} of <${element.name}> is outside 0x05-0x3F`, -1);
      }
      this.writeByte(element.token | flags);
    }
    if (flags & HAS_ATTRIBUTES) {
      for (const attribute of element.attributes) this.writeAttribute(attribute);
      this.writeAttributeSwitches(element.attributeSwitchesBeforeEnd);
      this.writeByte(END);
    }
  }

  /** Attribute-page SWITCH_PAGE tokens a decoded tree kept where they stood. */
  private writeAttributeSwitches(pages: readonly number[] | undefined): void {
    if (pages === undefined) return;
    for (const page of pages) {
      checkByte(page, 'attribute code page', 'SWITCH_PAGE');
      this.writeByte(SWITCH_PAGE);
      this.writeByte(page);
      this.attrPage = page;
    }
  }

  private writeAttribute(attribute: WbxmlAttribute): void {
    this.writeAttributeSwitches(attribute.switches);
    if (attribute.token < 0) {
      this.writeByte(LITERAL);
      this.writeMbUint32(this.table.indexOf(attribute.name, attribute.index, (t) => this.encodeText(t)));
    } else {
      if (attribute.token < 0x05 || attribute.token > 0x7f || (attribute.token >= 0x40 && attribute.token <= 0x44)) {
        throw new WbxmlError('bad-value', `attribute token ${attribute.token} of ${attribute.name} is not an attribute-start token`, -1);
      }
      this.switchAttributePage(attribute.page, attribute.name);
      this.writeByte(attribute.token);
    }
    for (const part of attribute.value) {
      this.writeAttributeSwitches(part.switches);
      this.writeValuePart(part);
    }
  }

  private switchAttributePage(page: number, name: string): void {
    checkByte(page, 'attribute code page', name);
    if (page !== this.attrPage) {
      this.writeByte(SWITCH_PAGE);
      this.writeByte(page);
      this.attrPage = page;
    }
  }

  private writeValuePart(part: WbxmlValuePart): void {
    switch (part.kind) {
      case 'text':
        // STR_T where the text was read from the string table and still is what the table holds.
        if (part.carried === 'table' && part.index !== undefined && this.table.stringAt(part.index) === part.value) {
          this.writeByte(STR_T);
          this.writeMbUint32(part.index);
        } else {
          this.writeText(part.value);
        }
        break;
      case 'opaque':
        this.writeOpaque(part.bytes);
        break;
      case 'entity':
        this.writeByte(ENTITY);
        this.writeMbUint32(part.code);
        break;
      case 'ext':
        if (part.form === 'inline') {
          this.writeByte(EXT_I_0 + part.ext);
          this.writeTermString(part.text ?? '');
        } else if (part.form === 'table') {
          this.writeByte(EXT_T_0 + part.ext);
          this.writeMbUint32(part.index ?? 0);
        } else {
          this.writeByte(EXT_0 + part.ext);
        }
        break;
      case 'attrvalue':
        if (part.token < 0x85 || part.token > 0xff || (part.token >= 0xc0 && part.token <= 0xc4)) {
          throw new WbxmlError('bad-value', `attribute value token ${part.token} is outside 0x85-0xFF`, -1);
        }
        this.switchAttributePage(part.page, 'attribute value');
        this.writeByte(part.token);
        break;
    }
  }

  /** STR_I text. A NUL cannot stand in a termstr, so it is written as ENTITY 0. */
  private writeText(text: string): void {
    let start = 0;
    for (let nul = text.indexOf('\0'); nul >= 0; nul = text.indexOf('\0', start)) {
      if (nul > start) this.writeTermString(text.slice(start, nul), STR_I);
      this.writeByte(ENTITY);
      this.writeByte(0);
      start = nul + 1;
    }
    if (start < text.length || start === 0) this.writeTermString(start === 0 ? text : text.slice(start), STR_I);
  }

  /** An optional token, the UTF-8 bytes of `text`, then NUL. */
  private writeTermString(text: string, token?: number): void {
    if (this.latin1) {
      if (token !== undefined) this.writeByte(token);
      this.writeBytes(this.encodeText(text));
      this.writeByte(0);
      return;
    }
    this.ensure(text.length * 3 + 2);
    if (token !== undefined) this.buffer[this.pos++] = token;
    const length = text.length;
    // Short ASCII strings by hand; anything else through TextEncoder.encodeInto.
    let i = 0;
    if (length < 64) {
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        this.buffer[this.pos + i] = c;
      }
    }
    if (i === length) {
      this.pos += length;
    } else {
      checkWellFormed(text);
      const { written } = textEncoder.encodeInto(text, this.buffer.subarray(this.pos));
      this.pos += written;
    }
    this.buffer[this.pos++] = 0;
  }

  /** Text in the document's character set: UTF-8, or ISO-8859-1 (refusing what it cannot hold). */
  private encodeText(text: string): Uint8Array {
    if (!this.latin1) {
      checkWellFormed(text);
      return encodeUtf8(text);
    }
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0xff) {
        throw new WbxmlError('bad-value', `character U+${c.toString(16).toUpperCase().padStart(4, '0')} cannot be written in an ISO-8859-1 document`, -1);
      }
      bytes[i] = c;
    }
    return bytes;
  }

  private writeOpaque(bytes: Uint8Array): void {
    this.writeByte(OPAQUE);
    this.writeMbUint32(bytes.length);
    this.writeBytes(bytes);
  }

  private writeMbUint32(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new WbxmlError('bad-value', `${value} is not a 32-bit unsigned integer`, -1);
    }
    this.ensure(5);
    let shift = 28;
    while (shift > 0 && Math.floor(value / 2 ** shift) === 0) shift -= 7;
    for (; shift > 0; shift -= 7) this.buffer[this.pos++] = 0x80 | (Math.floor(value / 2 ** shift) & 0x7f);
    this.buffer[this.pos++] = value & 0x7f;
  }

  private writeByte(byte: number): void {
    this.ensure(1);
    this.buffer[this.pos++] = byte;
  }

  private writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private ensure(extra: number): void {
    // The check first: this runs for every byte written.
    if (this.pos + extra > this.buffer.length) this.makeRoom(extra);
  }

  private makeRoom(extra: number): void {
    if (this.buffer.length < CHUNK_SIZE) {
      this.buffer = grow(this.buffer, this.pos, this.pos + extra);
      return;
    }
    this.chunks.push(this.buffer.subarray(0, this.pos));
    this.chunksLength += this.pos;
    this.buffer = new Uint8Array(Math.max(CHUNK_SIZE, extra));
    this.pos = 0;
  }
}

function checkByte(value: number, what: string, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new WbxmlError('bad-value', `${what} ${value} of ${name} is not a byte`, -1);
  }
}

/** String.prototype.isWellFormed (ES2024, Node 20): native, much faster than the regular expression. */
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

function checkWellFormed(text: string): void {
  if (isWellFormed !== undefined ? isWellFormed.call(text) : !LONE_SURROGATE.test(text)) return;
  const lone = LONE_SURROGATE.exec(text);
  if (lone !== null) {
    throw new WbxmlError('bad-value', `text holds a lone surrogate U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}, which UTF-8 cannot carry`, -1);
  }
}

/** Puts the LITERAL names (elements, attributes, PI targets) in the table, in document order. */
function collectLiterals(top: readonly WbxmlNode[], table: StringTable, encode: (text: string) => Uint8Array): void {
  const pending: WbxmlNode[] = [...top].reverse();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.kind === 'element') {
      if (node.token < 0) table.indexOf(node.name, node.index, encode);
      for (const attribute of node.attributes) if (attribute.token < 0) table.indexOf(attribute.name, attribute.index, encode);
      for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
    } else if (node.kind === 'pi' && node.target.token < 0) {
      table.indexOf(node.target.name, node.target.index, encode);
    }
  }
}
