// WBXML 1.3 syntax: walks one Uint8Array with an integer position and reports what it finds to a
// handler (the tree builder in Decoder.ts, or XmlWriter for the direct bytes → XML path). Open
// elements are counted, not recursed into, so hostile nesting cannot overflow the call stack;
// every declared length is checked against what is left before anything is read or allocated.

import { tagName } from './codepages.js';
import { attributeTokenName } from './names.js';
import { otherDocumentKind } from './publicid.js';
import {
  CHARSET_ASCII,
  CHARSET_LATIN1,
  CHARSET_UNKNOWN,
  CHARSET_UTF8,
  END,
  ENTITY,
  EXT_I_0,
  EXT_I_2,
  EXT_T_0,
  EXT_T_2,
  HAS_ATTRIBUTES,
  HAS_CONTENT,
  LITERAL,
  LITERAL_A,
  LITERAL_AC,
  LITERAL_C,
  OPAQUE,
  PI,
  STR_I,
  STR_T,
  SWITCH_PAGE,
  TAG_MASK,
} from './tokens.js';
import type { WbxmlAttribute, WbxmlEntity, WbxmlExtension, WbxmlPi, WbxmlValuePart } from './types.js';
import { copyOf } from './utils/grow.js';
import { decodeLatin1, decodeUtf8 } from './utils/utf8.js';
import { WbxmlError, at, hex } from './WbxmlError.js';

export interface DecodeOptions {
  /** Decode a header-less fragment: no version, public id, charset or string table. */
  fragment?: boolean;
  /** Deepest element nesting accepted (default 100; ActiveSync documents stay below 20). */
  maxDepth?: number;
  /**
   * Most bytes that string-table references (STR_T) may expand to in total (default: 16 times
   * the input size plus 1 MiB): a few bytes of STR_T can repeat a long table string many times.
   */
  maxExpansion?: number;
  /** Character set of a fragment (IANA MIBenum; default 106, UTF-8). */
  charset?: number;
  /**
   * Decode documents whose public identifier is not ActiveSync's (SyncML, WML, …) with
   * ActiveSync's names anyway, instead of refusing them (`not-activesync`). `warn` is told.
   */
  anyDocument?: boolean;
  /** Told what is odd but decoded anyway (a document that is not ActiveSync). */
  warn?: (message: string) => void;
  /**
   * Most nodes (elements, text, opaque data, …) a decoded tree may hold (default
   * DEFAULT_MAX_NODES): one-byte empty tags would otherwise make the tree 170 times the input.
   */
  maxNodes?: number;
}

export const DEFAULT_MAX_DEPTH = 100;

/**
 * 2^21 nodes (about 2.1 million): some 300 MB of tree at most. The benchmark's Sync response
 * has a node every 50 bytes (211,700 nodes in 10 MB), so this passes about 100 MB of it.
 */
export const DEFAULT_MAX_NODES = 1 << 21;

/** The document header. */
export interface WbxmlHeader {
  version: number;
  publicId: number;
  publicIdText?: string;
  /** The string-table index of `publicIdText`. */
  publicIdIndex?: number;
  /** What the document is, when its public identifier is not ActiveSync's and it was decoded anyway. */
  otherDocument?: string;
  charset: number;
  /** Where the string table lies in the input. */
  tableStart: number;
  tableEnd: number;
}

/** What the parser reports. Text and opaque data come as byte ranges of the input. */
export interface ParseHandler {
  /** The header, once read (not for a fragment). */
  header?(header: WbxmlHeader, input: Uint8Array): void;
  /**
   * `literal` names a LITERAL tag (token -1), `literalIndex` its string-table index. Attributes
   * come already read.
   */
  openElement(page: number, token: number, literal: string | undefined, attributes: WbxmlAttribute[], hasContent: boolean, offset: number, literalIndex?: number): void;
  /**
   * Closes the innermost element opened with content. Returning true ends the parse there, without
   * an error: for a handler that found what it looks for (the panel's Status of a response).
   */
  closeElement(): boolean | void;
  /**
   * Text bytes `[start, end)` of the input, in the document's character set (`latin1` or
   * UTF-8, not yet validated). `tableIndex` is the string-table index for STR_T, else -1.
   */
  text(input: Uint8Array, start: number, end: number, latin1: boolean, tableIndex: number, offset: number): void;
  /** OPAQUE data: bytes `[start, end)` of the input. */
  opaque(input: Uint8Array, start: number, end: number, offset: number): void;
  /** ENTITY, extension tokens and processing instructions. */
  other(node: WbxmlEntity | WbxmlExtension | WbxmlPi): void;
  /**
   * SWITCH_PAGE tokens the encoder would not write by itself (to the current page, several in a
   * row, or before anything but a tag on another page), reported before the token they precede
   * (or at the end of the input, `offset` = its length).
   */
  switches?(pages: number[], offset: number): void;
}

const EMPTY = new Uint8Array(0);

export class Parser {
  private readonly fragment: boolean;
  private readonly maxDepth: number;
  private readonly maxExpansionOption: number | undefined;
  private readonly fragmentCharset: number;
  private readonly anyDocument: boolean;
  private readonly warn: ((message: string) => void) | undefined;

  private bytes: Uint8Array = EMPTY;
  private pos = 0;
  private tagPage = 0;
  private attrPage = 0;
  private tableStart = 0;
  private tableEnd = 0;
  private expansion = 0;
  private maxExpansion = 0;
  private latin1 = false;

  constructor(options: DecodeOptions = {}) {
    this.fragment = options.fragment ?? false;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxExpansionOption = options.maxExpansion;
    this.fragmentCharset = options.charset ?? CHARSET_UTF8;
    this.anyDocument = options.anyDocument ?? false;
    this.warn = options.warn;
  }

  /** Whether this parser reads header-less fragments. */
  get isFragment(): boolean {
    return this.fragment;
  }

  /** Reads the header (unless a fragment) and the body, reporting to `handler`. */
  parse(bytes: Uint8Array, handler: ParseHandler): WbxmlHeader {
    this.bytes = bytes;
    this.pos = 0;
    this.tagPage = 0;
    this.attrPage = 0;
    this.tableStart = this.tableEnd = 0;
    this.expansion = 0;
    this.maxExpansion = this.maxExpansionOption ?? bytes.length * 16 + (1 << 20);
    try {
      const header = this.fragment ? this.fragmentHeader() : this.readHeader();
      if (!this.fragment) handler.header?.(header, bytes);
      this.readBody(handler);
      return header;
    } finally {
      this.bytes = EMPTY;
    }
  }

  private fragmentHeader(): WbxmlHeader {
    this.setCharset(this.fragmentCharset, 0);
    return { version: 3, publicId: 1, charset: this.fragmentCharset, tableStart: 0, tableEnd: 0 };
  }

  /** start = version publicid charset strtbl (section 5.3). */
  private readHeader(): WbxmlHeader {
    const version = this.readByte('the version');
    // WBXML 1.x: major version - 1 in the high nibble.
    if (version > 0x0f) {
      throw new WbxmlError('unsupported-version', `not WBXML: ${at(0)} is ${hex(version)}, where WBXML has its version (0x00-0x0f; ActiveSync sends 0x03, then 01 6a 00)`, 0, {
        token: version,
      });
    }
    const publicIdOffset = this.pos;
    const publicId = this.readMbUint32();
    // Public id 0: the id is a string, given by its index in the string table.
    const publicIdIndex = publicId === 0 ? this.readMbUint32() : -1;
    const charsetOffset = this.pos;
    // WBXML 1.0 has no charset field.
    const charset = version === 0 ? CHARSET_UTF8 : this.readMbUint32();
    this.setCharset(charset, charsetOffset);
    const tableLength = this.readMbUint32();
    if (tableLength > this.bytes.length - this.pos) {
      throw new WbxmlError('length-past-end', `string table of ${tableLength} bytes at ${at(this.pos)} runs past the end of the input (${this.bytes.length} bytes)`, this.pos);
    }
    this.tableStart = this.pos;
    this.tableEnd = this.pos + tableLength;
    this.pos = this.tableEnd;
    const header: WbxmlHeader = { version, publicId, charset, tableStart: this.tableStart, tableEnd: this.tableEnd };
    if (publicIdIndex >= 0) {
      header.publicIdText = this.tableString(publicIdIndex, publicIdOffset);
      header.publicIdIndex = publicIdIndex;
    }
    const other = otherDocumentKind(publicId, header.publicIdText);
    if (other !== undefined) {
      if (!this.anyDocument) {
        throw new WbxmlError(
          'not-activesync',
          `not an ActiveSync document: the header at ${at(publicIdOffset)} names ${other}; decode it anyway with ActiveSync's names with anyDocument (--any-document)`,
          publicIdOffset,
        );
      }
      header.otherDocument = other;
      this.warn?.(`not an ActiveSync document: the header names ${other}; decoded with ActiveSync's names, which may mean nothing here`);
    }
    return header;
  }

  private setCharset(charset: number, offset: number): void {
    // US-ASCII is a subset of UTF-8; "unknown" is read as UTF-8, as libwbxml does.
    if (charset === CHARSET_UTF8 || charset === CHARSET_ASCII || charset === CHARSET_UNKNOWN) this.latin1 = false;
    else if (charset === CHARSET_LATIN1) this.latin1 = true;
    else {
      throw new WbxmlError('unsupported-charset', `unsupported character set ${charset} (IANA MIBenum) at ${at(offset)}; UTF-8 (106), US-ASCII (3) and ISO-8859-1 (4) are read`, offset);
    }
  }

  /**
   * body = *pi element *pi (section 5.5); a fragment is any sequence of content. `open` holds
   * the offsets of the elements being filled (for the limit on depth and for messages).
   */
  private readBody(handler: ParseHandler): void {
    const bytes = this.bytes;
    const length = bytes.length;
    const fragment = this.fragment;
    const open: number[] = [];
    let rootSeen = false;
    // Pages switched to since the last other token, and the page before them.
    let switched: number[] | undefined;
    let pageBefore = 0;

    while (this.pos < length) {
      const offset = this.pos;
      const token = bytes[this.pos++]!;
      const id = token & TAG_MASK;
      if (switched !== undefined && token !== SWITCH_PAGE) {
        // What the encoder writes: one switch, right before a tag on another page.
        const isTag = id >= 5 || id === LITERAL;
        if (!(isTag && switched.length === 1 && switched[0] !== pageBefore)) handler.switches?.(switched, offset);
        switched = undefined;
      }
      // Outside any element, a document allows only processing instructions around one root.
      if (open.length === 0 && !fragment && token !== PI && token !== SWITCH_PAGE) {
        if (rootSeen) {
          throw new WbxmlError('trailing-bytes', `unexpected ${hex(token)} at ${at(offset)} after the end of the root element`, offset, { token });
        }
        // Token ids 0-3 are text, END, ENTITY, extensions: not an element.
        if (id < LITERAL) {
          throw new WbxmlError('unexpected-token', `unexpected ${hex(token)} at ${at(offset)}: expected the root element`, offset, { token });
        }
      }
      // 0x05-0x3F with bit 7 (attributes) and bit 6 (content): a tag token. The most common case.
      if (id >= 5) {
        rootSeen = true;
        const attributes = token & HAS_ATTRIBUTES ? this.readAttributes(false) : NO_ATTRIBUTES;
        this.openElement(handler, open, this.tagPage, id, undefined, attributes, token, offset);
        continue;
      }
      switch (token) {
        // 0x00 SWITCH_PAGE page: later tag tokens are on that page.
        case SWITCH_PAGE:
          if (switched === undefined) {
            switched = [];
            pageBefore = this.tagPage;
          }
          this.tagPage = this.readByte('a code page number');
          switched.push(this.tagPage);
          continue;
        // 0x01 END: closes the innermost open element.
        case END:
          if (open.length === 0) {
            throw new WbxmlError('unexpected-token', `END at ${at(offset)} with no element open`, offset, { token });
          }
          open.pop();
          if (handler.closeElement() === true) return;
          continue;
        // 0x03 STR_I termstr: inline text.
        case STR_I: {
          const start = this.pos;
          const end = this.findNul(start);
          this.pos = end + 1;
          handler.text(bytes, start, end, this.latin1, -1, offset);
          continue;
        }
        // 0x83 STR_T index: text from the string table.
        case STR_T: {
          const index = this.readMbUint32();
          const end = this.tableStringEnd(index, offset);
          handler.text(bytes, this.tableStart + index, end, this.latin1, index, offset);
          continue;
        }
        // 0xC3 OPAQUE length bytes.
        case OPAQUE: {
          const start = this.opaqueStart(offset);
          handler.opaque(bytes, start, this.pos, offset);
          continue;
        }
        // 0x02 ENTITY code.
        case ENTITY:
          handler.other({ kind: 'entity', code: this.readMbUint32(), offset });
          continue;
        // 0x43 PI attrStart *attrValue END.
        case PI: {
          const list = this.readAttributes(true);
          const pi: WbxmlPi = { kind: 'pi', target: list[0]!, offset };
          const before = ATTRIBUTE_END_SWITCHES.get(list);
          if (before !== undefined) pi.switchesBeforeEnd = before;
          handler.other(pi);
          continue;
        }
        // 0x04 LITERAL, 0x44 LITERAL_C, 0x84 LITERAL_A, 0xC4 LITERAL_AC index: a tag named by the string table.
        case LITERAL:
        case LITERAL_C:
        case LITERAL_A:
        case LITERAL_AC: {
          rootSeen = true;
          const index = this.readMbUint32();
          const name = this.tableString(index, offset);
          const attributes = token & HAS_ATTRIBUTES ? this.readAttributes(false) : NO_ATTRIBUTES;
          this.openElement(handler, open, this.tagPage, -1, name, attributes, token, offset, index);
          continue;
        }
        // 0x40-0x42 EXT_I_n, 0x80-0x82 EXT_T_n, 0xC0-0xC2 EXT_n: extension tokens.
        default:
          handler.other(this.readExtension(token, offset));
      }
    }
    if (switched !== undefined) handler.switches?.(switched, length);
    if (open.length > 0) {
      const innermost = open[open.length - 1]!;
      throw new WbxmlError('truncated', `input ends at ${at(length)} inside the element opened at ${at(innermost)} (${open.length} element${open.length > 1 ? 's' : ''} not closed)`, length);
    }
    if (!rootSeen) throw new WbxmlError('no-root', `input ends at ${at(length)} without any element`, length);
  }

  private openElement(
    handler: ParseHandler,
    open: number[],
    page: number,
    token: number,
    literal: string | undefined,
    attributes: WbxmlAttribute[],
    flags: number,
    offset: number,
    literalIndex?: number,
  ): void {
    const hasContent = (flags & HAS_CONTENT) !== 0;
    if (hasContent) {
      if (open.length >= this.maxDepth) {
        const name = literal ?? tagName(page, token) ?? `token ${hex(token)} of page ${page}`;
        throw new WbxmlError('too-deep', `<${name}> at ${at(offset)} nests deeper than ${this.maxDepth} levels`, offset, { token: flags });
      }
      open.push(offset);
    }
    handler.openElement(page, token, literal, attributes, hasContent, offset, literalIndex);
  }

  /**
   * attribute = attrStart *attrValue, up to END (section 5.8.3), or for a PI exactly one.
   * Tokens below 0x80 start an attribute, tokens from 0x80 are attribute values; strings,
   * entities, extensions and opaque data add to the current value.
   */
  private readAttributes(pi: boolean): WbxmlAttribute[] {
    const bytes = this.bytes;
    const where = pi ? 'a processing instruction' : 'an attribute list';
    const list: WbxmlAttribute[] = [];
    let current: WbxmlAttribute | undefined;
    // Attribute pages switched to since the last other token, and the page before them.
    let switched: number[] | undefined;
    let pageBefore = 0;
    for (;;) {
      if (this.pos >= bytes.length) throw new WbxmlError('truncated', `input ends at ${at(this.pos)} inside ${where}`, this.pos);
      const offset = this.pos;
      const token = bytes[this.pos++]!;
      let part: WbxmlValuePart | undefined;
      let start: WbxmlAttribute | undefined;
      // What the encoder writes: one switch, right before an ATTRSTART or ATTRVALUE token on another page.
      let irregular: number[] | undefined;
      if (switched !== undefined && token !== SWITCH_PAGE) {
        const paged = token >= 0x05 && token !== LITERAL && (token & TAG_MASK) > 4;
        if (!(paged && switched.length === 1 && switched[0] !== pageBefore)) irregular = switched;
        switched = undefined;
      }
      switch (token) {
        case SWITCH_PAGE:
          if (switched === undefined) {
            switched = [];
            pageBefore = this.attrPage;
          }
          this.attrPage = this.readByte('a code page number');
          switched.push(this.attrPage);
          continue;
        case END:
          if (pi && list.length === 0) {
            throw new WbxmlError('unexpected-token', `END at ${at(offset)}: a processing instruction needs a target`, offset, { token });
          }
          if (irregular !== undefined) ATTRIBUTE_END_SWITCHES.set(list, irregular);
          return list;
        case LITERAL: {
          const index = this.readMbUint32();
          start = { name: this.tableString(index, offset), page: this.attrPage, token: -1, value: [], index, offset };
          break;
        }
        case STR_I:
          part = { kind: 'text', value: this.readTermString(), offset };
          break;
        case STR_T: {
          const index = this.readMbUint32();
          part = { kind: 'text', value: this.tableString(index, offset), carried: 'table', index, offset };
          break;
        }
        case ENTITY:
          part = { kind: 'entity', code: this.readMbUint32(), offset };
          break;
        case OPAQUE: {
          const begin = this.opaqueStart(offset);
          part = { kind: 'opaque', bytes: copyOf(bytes, begin, this.pos), offset };
          break;
        }
        case PI:
        case LITERAL_C:
        case LITERAL_A:
        case LITERAL_AC:
          throw new WbxmlError('unexpected-token', `unexpected ${hex(token)} at ${at(offset)} in ${where}`, offset, { token });
        default:
          if ((token & TAG_MASK) <= 2) part = this.readExtension(token, offset);
          // 0x05-0x7F: ATTRSTART
          else if (token < 0x80) start = { name: attributeTokenName(this.attrPage, token), page: this.attrPage, token, value: [], offset };
          // 0x85-0xFF: ATTRVALUE
          else part = { kind: 'attrvalue', page: this.attrPage, token, offset };
      }
      if (irregular !== undefined) (start ?? part!).switches = irregular;
      if (start !== undefined) {
        if (pi && list.length > 0) {
          throw new WbxmlError('unexpected-token', `second target at ${at(offset)} in a processing instruction`, offset, { token });
        }
        current = start;
        list.push(start);
      } else if (current === undefined) {
        throw new WbxmlError('unexpected-token', `attribute value ${hex(token)} at ${at(offset)} before any attribute name`, offset, { token });
      } else {
        current.value.push(part!);
      }
    }
  }

  /** 0x40-0x42 EXT_I_n termstr, 0x80-0x82 EXT_T_n mb_u_int32, 0xC0-0xC2 EXT_n. */
  private readExtension(token: number, offset: number): WbxmlExtension {
    const ext = (token & TAG_MASK) as 0 | 1 | 2;
    if (token >= EXT_I_0 && token <= EXT_I_2) return { kind: 'ext', ext, form: 'inline', text: this.readTermString(), offset };
    if (token >= EXT_T_0 && token <= EXT_T_2) return { kind: 'ext', ext, form: 'table', index: this.readMbUint32(), offset };
    return { kind: 'ext', ext, form: 'token', offset };
  }

  private readByte(what: string): number {
    if (this.pos >= this.bytes.length) {
      throw new WbxmlError('truncated', `input ends at ${at(this.pos)} where ${what} was expected`, this.pos);
    }
    return this.bytes[this.pos++]!;
  }

  /** mb_u_int32 (section 5.1): 7 bits a byte, high bit set on all but the last; at most 32 bits. */
  private readMbUint32(): number {
    const bytes = this.bytes;
    const start = this.pos;
    let value = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= bytes.length) {
        throw new WbxmlError('truncated', `input ends at ${at(this.pos)} inside the multi-byte integer that starts at ${at(start)}`, this.pos);
      }
      const byte = bytes[this.pos++]!;
      // 0x80 first: a leading zero group. Refused like overlong UTF-8: the same number would
      // have two spellings, and encoding could not give back the bytes that were read.
      if (i === 0 && byte === 0x80) {
        throw new WbxmlError('bad-mb-uint32', `multi-byte integer at ${at(start)} is not in its shortest form (leading 0x80)`, start, { token: byte });
      }
      // A fifth byte may only extend a value of at most 25 bits, or the result needs more than 32.
      if (i === 4 && value > 0x1ffffff) break;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new WbxmlError('bad-mb-uint32', `multi-byte integer at ${at(start)} does not fit in 32 bits`, start, { token: bytes[start] });
  }

  /** The NUL that ends the termstr starting at `start`. */
  private findNul(start: number): number {
    const end = this.bytes.indexOf(0, start);
    if (end < 0) {
      throw new WbxmlError('truncated', `string at ${at(start)} has no terminating NUL before the end of the input`, this.bytes.length);
    }
    return end;
  }

  /** termstr as a JS string (for the rare places that need one: attributes, EXT_I). */
  private readTermString(): string {
    const start = this.pos;
    const end = this.findNul(start);
    this.pos = end + 1;
    return this.latin1 ? decodeLatin1(this.bytes, start, end) : decodeUtf8(this.bytes, start, end);
  }

  /** Checks a string-table reference and returns the position of the NUL ending its string. */
  private tableStringEnd(index: number, offset: number): number {
    const tableLength = this.tableEnd - this.tableStart;
    if (index >= tableLength) {
      throw new WbxmlError('string-table-range', `string table reference ${index} at ${at(offset)} is outside the ${tableLength}-byte string table`, offset);
    }
    const end = this.bytes.indexOf(0, this.tableStart + index);
    if (end < 0 || end >= this.tableEnd) {
      throw new WbxmlError('string-table-range', `string table reference ${index} at ${at(offset)} names a string with no terminating NUL`, offset);
    }
    this.expansion += end - this.tableStart - index;
    if (this.expansion > this.maxExpansion) {
      throw new WbxmlError('too-large', `string table references expand to more than ${this.maxExpansion} bytes (at ${at(offset)})`, offset);
    }
    return end;
  }

  /** A string-table string as a JS string (LITERAL names, attribute values, the public id). */
  private tableString(index: number, offset: number): string {
    const end = this.tableStringEnd(index, offset);
    const start = this.tableStart + index;
    return this.latin1 ? decodeLatin1(this.bytes, start, end) : decodeUtf8(this.bytes, start, end);
  }

  /** OPAQUE length: checks the length, moves past the data and returns where it starts. */
  private opaqueStart(offset: number): number {
    const length = this.readMbUint32();
    const remaining = this.bytes.length - this.pos;
    if (length > remaining) {
      throw new WbxmlError('length-past-end', `OPAQUE at ${at(offset)} declares ${length} bytes but only ${remaining} remain`, offset, {
        token: OPAQUE,
      });
    }
    const start = this.pos;
    this.pos += length;
    return start;
  }
}

/** The attributes of a tag without the attribute flag (a list read with the flag is a new array). */
export const NO_ATTRIBUTES: WbxmlAttribute[] = [];

/** SWITCH_PAGE tokens read just before the END of an attribute list (see ParseHandler.switches). */
export const ATTRIBUTE_END_SWITCHES = new WeakMap<WbxmlAttribute[], number[]>();
