// Tree → WBXML 1.3 bytes, as real ActiveSync clients write them: header 03 01 6A 00, text as
// STR_I, OPAQUE for byte-array tags. A string table is written only when the tree holds LITERAL
// names (ActiveSync never does). Walks the tree with an explicit stack.

import { contentKind } from './codepages.js';
import {
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
  SWITCH_PAGE,
} from './tokens.js';
import type { WbxmlAttribute, WbxmlDocument, WbxmlElement, WbxmlNode, WbxmlValuePart } from './types.js';
import { topLevelNodes } from './tree.js';
import { encodeUtf8 } from './utils/utf8.js';
import { WbxmlError } from './WbxmlError.js';

export interface EncodeOptions {
  /** Write a header-less fragment (default: the document's own `fragment` flag). */
  fragment?: boolean;
}

const INITIAL_BUFFER_SIZE = 2048;
const textEncoder = new TextEncoder();

interface Frame {
  nodes: readonly WbxmlNode[];
  index: number;
  /** The element whose children these are (undefined at the top level). */
  parent: WbxmlElement | undefined;
}

export class Encoder {
  private buffer = new Uint8Array(INITIAL_BUFFER_SIZE);
  private pos = 0;
  private tagPage = 0;
  private attrPage = 0;
  private literals = new Map<string, number>();

  encode(input: WbxmlDocument | WbxmlElement, options: EncodeOptions = {}): Uint8Array {
    const fragment = options.fragment ?? ('root' in input && input.fragment);
    const nodes = topLevelNodes(input);
    this.pos = 0;
    this.tagPage = 0;
    this.attrPage = 0;
    this.literals = collectLiterals(nodes);
    if (!fragment) this.writeHeader();
    else if (this.literals.size > 0) {
      throw new WbxmlError('bad-value', 'a fragment has no string table, so it cannot hold LITERAL names', -1);
    }
    this.writeNodes(nodes);
    const out = this.buffer.slice(0, this.pos);
    if (this.buffer.length > 1 << 20) this.buffer = new Uint8Array(INITIAL_BUFFER_SIZE);
    return out;
  }

  private writeHeader(): void {
    // 03: WBXML 1.3; 01: unknown public identifier; 6A: UTF-8 (MIBenum 106).
    this.writeByte(0x03);
    this.writeByte(0x01);
    this.writeMbUint32(CHARSET_UTF8);
    const table: Uint8Array[] = [];
    let length = 0;
    for (const name of this.literals.keys()) {
      const bytes = encodeUtf8(name);
      table.push(bytes);
      length += bytes.length + 1;
    }
    this.writeMbUint32(length);
    for (const bytes of table) {
      this.writeBytes(bytes);
      this.writeByte(0);
    }
  }

  private writeNodes(top: readonly WbxmlNode[]): void {
    const stack: Frame[] = [{ nodes: top, index: 0, parent: undefined }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.index >= frame.nodes.length) {
        stack.pop();
        if (frame.parent !== undefined) this.writeByte(END);
        continue;
      }
      const node = frame.nodes[frame.index++]!;
      switch (node.kind) {
        case 'element':
          this.writeTag(node);
          if (node.children.length > 0) stack.push({ nodes: node.children, index: 0, parent: node });
          break;
        case 'text': {
          const parent = frame.parent;
          if (parent !== undefined && parent.token >= 0 && contentKind(parent.page, parent.token) !== 'text') {
            this.writeOpaque(encodeUtf8(node.value));
          } else {
            this.writeText(node.value);
          }
          break;
        }
        case 'pi':
          this.writeByte(PI);
          this.writeAttribute(node.target);
          this.writeByte(END);
          break;
        default:
          this.writeValuePart(node);
      }
    }
  }

  private writeTag(element: WbxmlElement): void {
    const flags = (element.attributes.length > 0 ? HAS_ATTRIBUTES : 0) | (element.children.length > 0 ? HAS_CONTENT : 0);
    checkByte(element.page, 'code page', element.name);
    if (element.page !== this.tagPage) {
      this.writeByte(SWITCH_PAGE);
      this.writeByte(element.page);
      this.tagPage = element.page;
    }
    if (element.token < 0) {
      this.writeByte(LITERAL | flags);
      this.writeMbUint32(this.literals.get(element.name)!);
    } else {
      if (element.token < 0x05 || element.token > 0x3f) {
        throw new WbxmlError('bad-value', `tag token ${element.token} of <${element.name}> is outside 0x05-0x3F`, -1);
      }
      this.writeByte(element.token | flags);
    }
    if (flags & HAS_ATTRIBUTES) {
      for (const attribute of element.attributes) this.writeAttribute(attribute);
      this.writeByte(END);
    }
  }

  private writeAttribute(attribute: WbxmlAttribute): void {
    if (attribute.token < 0) {
      this.writeByte(LITERAL);
      this.writeMbUint32(this.literals.get(attribute.name)!);
    } else {
      if (attribute.token < 0x05 || attribute.token > 0x7f || (attribute.token >= 0x40 && attribute.token <= 0x44)) {
        throw new WbxmlError('bad-value', `attribute token ${attribute.token} of ${attribute.name} is not an attribute-start token`, -1);
      }
      this.switchAttributePage(attribute.page, attribute.name);
      this.writeByte(attribute.token);
    }
    for (const part of attribute.value) this.writeValuePart(part);
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
        this.writeText(part.value);
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
      const { written } = textEncoder.encodeInto(text, this.buffer.subarray(this.pos));
      this.pos += written;
    }
    this.buffer[this.pos++] = 0;
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
    const needed = this.pos + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buffer.subarray(0, this.pos));
    this.buffer = bigger;
  }
}

function checkByte(value: number, what: string, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new WbxmlError('bad-value', `${what} ${value} of ${name} is not a byte`, -1);
  }
}

/** LITERAL names (elements, attributes, PI targets) → their offsets in a new string table. */
function collectLiterals(top: readonly WbxmlNode[]): Map<string, number> {
  const offsets = new Map<string, number>();
  let length = 0;
  const add = (name: string): void => {
    if (offsets.has(name)) return;
    offsets.set(name, length);
    length += encodeUtf8(name).length + 1;
  };
  // Document order, so that the table lists names as they first appear.
  const pending: WbxmlNode[] = [...top].reverse();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.kind === 'element') {
      if (node.token < 0) add(node.name);
      for (const attribute of node.attributes) if (attribute.token < 0) add(attribute.name);
      for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
    } else if (node.kind === 'pi' && node.target.token < 0) {
      add(node.target.name);
    }
  }
  return offsets;
}
