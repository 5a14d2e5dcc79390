// Writes XML as UTF-8 bytes, from Parser events (the direct bytes → XML path: text is copied and
// escaped byte by byte, never turned into JS strings) or from a tree walk (toXml.ts). Both feed
// the same methods, so both give the same XML.
//
// Layout: the root's page is the default namespace (`<Sync xmlns="AirSync:">`), every other page
// used gets a prefix declared on the root (`xmlns:airsyncbase="AirSyncBase:"`); the declarations
// are inserted when the root closes, once the pages used are known. An element whose first child
// is an element has its children indented, one per line; from the first text (or other
// non-element) child on, the rest is written inline so that text stays exactly as it was. What
// XML has no syntax for (opaque bytes that are not text, extension tokens, the noncharacters
// U+FFFE and U+FFFF) becomes a `<?wbxml …?>` processing instruction that fromXml reads back.
//
// Control characters are written as character references, which only XML 1.1 allows for C0
// (XML 1.0 has no way to hold them): the declaration, when asked for, says 1.1 exactly when the
// document holds one, so that every output parses in the version it declares.

import { CODE_PAGES, contentKind, type ContentKind } from './codepages.js';
import { attributesMarker, FirstStarts, literalMarker, literalNeedsMarker, NO_STARTS, piMarker, plainAttributes, plainPi } from './exact.js';
import { namespaceOf, unknownTagName } from './names.js';
import { ATTRIBUTE_END_SWITCHES, NO_ATTRIBUTES, type ParseHandler, type WbxmlHeader } from './Parser.js';
import type { WbxmlAttribute, WbxmlEntity, WbxmlExtension, WbxmlPi, WbxmlText, WbxmlValuePart } from './types.js';
import { toBase64, toHex } from '../shared/base64.js';
import { grow } from './utils/grow.js';
import { findInvalidUtf8, secondByteMax, secondByteMin, sequenceLength } from './utils/utf8.js';
import { WbxmlError, at } from './WbxmlError.js';

export interface ToXmlOptions {
  /** Indentation per level: a string or a number of spaces (default 2; 0 writes one line). */
  indent?: string | number;
  /** Start with `<?xml version="1.0" encoding="utf-8"?>` (default false). */
  declaration?: boolean;
  /**
   * Add the DOCTYPE libwbxml writes and needs to recognise ActiveSync XML (default false), and
   * follow libwbxml's convention that goes with it: ComposeMail:Mime holds base64, like the byte
   * arrays (fromXml reads XML with this DOCTYPE the same way).
   */
  doctype?: boolean;
  /** How the bytes of byte-array tags (ConversationId, …) are shown (default base64). */
  binary?: 'base64' | 'hex';
  /**
   * Most bytes of XML written (default: 16 times the WBXML input plus 64 MiB when decoding bytes,
   * 256 MiB from a tree); past it, a `too-large` WbxmlError. Deep nesting with a wide indent
   * would otherwise write gigabytes for a megabyte.
   */
  maxOutput?: number;
}

/** The limit on XML bytes written from a tree (toXml): 256 MiB. */
export const DEFAULT_MAX_XML_BYTES = 256 << 20;

/** The limit on XML bytes written from `inputLength` bytes of WBXML: 16 times plus 64 MiB. */
export function defaultMaxOutput(inputLength: number): number {
  return inputLength * 16 + (64 << 20);
}

export const ACTIVESYNC_DOCTYPE = '<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">';

/** Target of the processing instructions that carry what XML has no syntax for. */
export const WBXML_PI_TARGET = 'wbxml';

const utf8 = new TextEncoder();
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

/** ASCII bytes written as references in text: markup, CR, and controls XML allows only as references. */
const ESCAPE = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) if (c !== 0x09 && c !== 0x0a) ESCAPE[c] = 1;
ESCAPE[0x26] = ESCAPE[0x3c] = ESCAPE[0x3e] = ESCAPE[0x7f] = 1;

/**
 * What each byte starts, for the scan of text: 0 an ASCII character copied as it is; 2 a 2-byte
 * and 3 a 3-byte UTF-8 sequence that is copied as it is once its next bytes are checked (C2 and
 * E2, EF have characters needing references among them, checked then); 1 everything else, which
 * takes the careful path (references, 4-byte sequences, the first bytes whose second byte has a
 * narrower range, invalid bytes).
 */
const PLAIN_ASCII = 0;
const CAREFUL = 1;
const LEAD2 = 2;
const LEAD3 = 3;
const BYTE_CLASS = new Uint8Array(256).fill(CAREFUL);
for (let b = 0; b < 0x80; b++) BYTE_CLASS[b] = ESCAPE[b] === 0 ? PLAIN_ASCII : CAREFUL;
for (let b = 0xc2; b <= 0xdf; b++) BYTE_CLASS[b] = LEAD2;
for (let b = 0xe1; b <= 0xef; b++) if (b !== 0xed) BYTE_CLASS[b] = LEAD3;

/** Runs of text at least this long are copied with TypedArray.set; shorter ones byte by byte (the call costs more). */
const SET_MIN = 48;

/** The same characters in a JS string, plus what attribute values need. */
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\ufffe\uffff]/g;

/** C0 controls XML 1.0 cannot hold even as references (tab, LF and CR it can). */
const XML11_ONLY = /[\u0001-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * What a processing instruction cannot hold literally (it has no references): controls, which
 * are not XML 1.0 characters or must be references in 1.1; CR, NEL and U+2028, which a parser
 * turns into LF; U+FFFE, U+FFFF and lone surrogates, which are no XML characters at all.
 */
const PI_SPECIAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Written in place of a character XML cannot carry where it stands, as valueText writes other parts. */
const entityInBrackets = (c: string): string => `[entity ${c.charCodeAt(0)}]`;

function reference(code: number): string {
  switch (code) {
    case 0x26:
      return '&amp;';
    case 0x3c:
      return '&lt;';
    case 0x3e:
      return '&gt;';
    case 0x22:
      return '&quot;';
    default:
      return `&#x${code.toString(16).toUpperCase()};`;
  }
}

const REFERENCES = Array.from({ length: 128 }, (_, c) => utf8.encode(reference(c)));

function escapeAttribute(text: string): string {
  return text.replace(ATTRIBUTE_SPECIAL, (c) => (c === '\ufffe' || c === '\uffff' ? entityInBrackets(c) : reference(c.charCodeAt(0))));
}

const NAME = /^[A-Za-z_][\w.-]*$/;

/** A name from the input (LITERAL, PI target) as a usable XML name: invalid characters become "_". */
function xmlName(name: string): string {
  if (NAME.test(name) && !/^xml$/i.test(name)) return name;
  const cleaned = name.replace(/[^\w.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) && !/^xml$/i.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** The prefix for a page that is not the root's: "airsyncbase", or "cp30" for an undefined page. */
function prefixOf(page: number): string {
  return CODE_PAGES[page]?.prefix ?? `cp${page}`;
}

/** The namespace URI for a page: "AirSync:", or "CodePage30:" for an undefined page. */
export function namespaceUriOf(page: number): string {
  return `${namespaceOf(page)}:`;
}

/** ` xmlns="AirSync:"` and the like, by page: the declarations of a root that uses no other page. */
const DEFAULT_NAMESPACES: Array<Uint8Array | undefined> = [];

/** Qualified tag names as bytes, by root page, then page × 64 + token. */
const NAME_CACHE = new Map<number, Array<Uint8Array | undefined>>();

function nameTable(rootPage: number): Array<Uint8Array | undefined> {
  let table = NAME_CACHE.get(rootPage);
  if (table === undefined) {
    table = [];
    NAME_CACHE.set(rootPage, table);
  }
  return table;
}

/** The characters XML 1.1 can carry as a character reference. */
function isXmlChar(code: number): boolean {
  return (code >= 0x1 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function extensionPi(node: WbxmlExtension): string {
  if (node.form === 'inline') return `ext-i ${node.ext} ${toBase64(utf8.encode(node.text ?? ''))}`;
  if (node.form === 'table') return `ext-t ${node.ext} ${node.index ?? 0}`;
  return `ext ${node.ext}`;
}

/** An attribute or PI value as text (attribute-value tokens, opaque data and extensions in brackets). */
function valueText(parts: readonly WbxmlValuePart[]): string {
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') text += part.value;
    else if (part.kind === 'entity') text += isXmlChar(part.code) ? String.fromCodePoint(part.code) : '';
    else if (part.kind === 'opaque') text += `[opaque ${toBase64(part.bytes)}]`;
    else if (part.kind === 'ext') text += `[${extensionPi(part)}]`;
    else text += `[ATTRVALUE_${part.page === 0 ? '' : `p${part.page}_`}0x${part.token.toString(16).toUpperCase()}]`;
  }
  return text;
}

/**
 * Attributes as XML shows them: names made XML names, values as text (what has no text form in
 * brackets), each name once and never xmlns. Exact for a plain list; otherwise the marker before
 * the tag holds the list and these are for reading (fromXml checks they were not edited).
 */
export function readableAttributes(attributes: readonly WbxmlAttribute[]): Array<[name: string, value: string]> {
  const readable = new Map<string, string>();
  for (const attribute of attributes) {
    const name = xmlName(attribute.name);
    if (!readable.has(name) && !/^xmlns$/i.test(name)) readable.set(name, valueText(attribute.value).replace(/[\ufffe\uffff]/g, entityInBrackets));
  }
  return [...readable];
}

/** A processing instruction as XML shows it: the target made an XML name, the value without what a PI cannot hold. */
export function readablePi(pi: WbxmlPi): [target: string, value: string] {
  return [xmlName(pi.target.name), valueText(pi.target.value).replace(PI_SPECIAL, entityInBrackets).replace(/\?>/g, '? >')];
}

/** Whether bytes `[start, end)` are only XML white space (which XML read back drops between elements). */
function isBlank(input: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = input[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/** Text is copied in slices of this many bytes, so the output grows with what is written. */
const TEXT_SLICE = 1 << 16;

/**
 * Copies a tag name or an indentation into `out` at `pos` (room already ensured); returns the new
 * position. By hand: for a few bytes, TypedArray.set costs more in its call than in copying.
 */
function copySmall(bytes: Uint8Array, out: Uint8Array, pos: number): number {
  if (bytes.length > 32) {
    out.set(bytes, pos);
    return pos + bytes.length;
  }
  for (let k = 0; k < bytes.length; k++) out[pos++] = bytes[k]!;
  return pos;
}

/** Start tag still open (`<Name` written, no child yet), children on their own lines, or inline. */
const OPEN = 0;
const BLOCK = 1;
const INLINE = 2;

export class XmlWriter implements ParseHandler {
  private readonly indent: Uint8Array;
  private readonly binary: 'base64' | 'hex';
  /** libwbxml's convention (with the DOCTYPE): Mime as base64. */
  private readonly mimeAsBase64: boolean;
  private readonly prolog: Uint8Array;
  /** Where the declaration's minor version digit is, or -1 without a declaration. */
  private readonly versionAt: number;
  /** Whether a reference only XML 1.1 allows was written. */
  private xml11 = false;
  private readonly newlines: Uint8Array[] = [];

  private out = new Uint8Array(4096);
  private pos = 0;
  private topLevelCount = 0;
  // Open elements: closing-tag name, layout state, page and token of each.
  private names: Uint8Array[] = [];
  private states: number[] = [];
  private pages: number[] = [];
  private tokens: number[] = [];
  // The root being written: its page, where its namespace declarations go, the other pages used.
  private rootPage = 0;
  private namespaceAt = 0;
  private pageSeen = new Uint8Array(256);
  private pagesUsed: number[] = [];
  private tagNames: Array<Uint8Array | undefined> = [];
  private scratch = new Uint8Array(1024);
  /** Whether the last thing written in the current element was character data. */
  private lastText = false;
  /**
   * An empty first string (STR_I "") waits here: alone in its element it is `<X></X>`, which
   * reads back as that string; followed by anything, it needs a marker before that.
   */
  private pendingEmpty = false;
  /** SWITCH_PAGE tokens to show (`<?wbxml switch 0 17?>`) before the next child or end tag. */
  private pendingSwitches: readonly number[] | undefined;
  private readonly maxOutput: number;
  /** The string table's first starts: LITERAL references elsewhere are written in markers. */
  private starts = NO_STARTS;

  constructor(options: ToXmlOptions = {}) {
    this.maxOutput = options.maxOutput ?? DEFAULT_MAX_XML_BYTES;
    const indent = options.indent ?? 2;
    this.indent = utf8.encode(typeof indent === 'number' ? ' '.repeat(indent) : indent);
    this.binary = options.binary ?? 'base64';
    this.mimeAsBase64 = options.doctype ?? false;
    let prolog = '';
    if (options.declaration) prolog += '<?xml version="1.0" encoding="utf-8"?>\n';
    this.versionAt = options.declaration ? prolog.indexOf('1.0') + 2 : -1;
    if (options.doctype) prolog += `${ACTIVESYNC_DOCTYPE}\n`;
    this.prolog = utf8.encode(prolog);
  }

  /** Starts a new document; `sizeHint` is the expected size of the XML in bytes. */
  begin(sizeHint = 0): void {
    if (sizeHint > this.out.length) this.out = new Uint8Array(sizeHint);
    this.pos = 0;
    this.topLevelCount = 0;
    this.names = [];
    this.states = [];
    this.pages = [];
    this.tokens = [];
    this.xml11 = false;
    this.lastText = false;
    this.pendingSwitches = undefined;
    this.starts = NO_STARTS;
    this.writeBytes(this.prolog, 0, this.prolog.length);
    // Hex reads as base64 too ("deadbeef" is both): say which it is, so that encoding gives the same bytes.
    if (this.binary === 'hex') {
      this.writeMarker('binary hex');
      this.topLevelCount++;
    }
  }

  /** ParseHandler: SWITCH_PAGE tokens the encoder would not write by itself, shown where they stood. */
  switches(pages: readonly number[]): void {
    this.pendingSwitches = pages;
  }

  private writeSwitches(): void {
    if (this.pendingSwitches === undefined) return;
    this.writeMarker(`switch ${this.pendingSwitches.join(' ')}`);
    this.pendingSwitches = undefined;
    this.lastText = false;
  }

  /** ParseHandler: the header, written as `<?wbxml header …?>` unless it is ActiveSync's 03 01 6A 00. */
  header(header: WbxmlHeader, input: Uint8Array): void {
    this.documentHeader(header.version, header.publicId, header.publicIdIndex, header.charset, input.subarray(header.tableStart, header.tableEnd));
  }

  /**
   * `<?wbxml header version=3 public-id=1 charset=106 string-table=BASE64?>` before the root when
   * the header is not 03 01 6A 00, so that encoding the XML gives back the same header.
   */
  documentHeader(version: number, publicId: number, publicIdIndex: number | undefined, charset: number, table: Uint8Array): void {
    this.starts = new FirstStarts(table, charset === 4);
    if (version === 3 && publicId === 1 && charset === 106 && table.length === 0) return;
    this.beforeChild(false);
    let fields = `version=${version} public-id=${publicId}`;
    if (publicId === 0) fields += ` public-id-index=${publicIdIndex ?? 0}`;
    fields += ` charset=${charset}`;
    if (table.length > 0) fields += ` string-table=${toBase64(table)}`;
    this.writeString(`<?${WBXML_PI_TARGET} header ${fields}?>`);
  }

  /** Ends the document and returns its bytes. */
  finish(): Uint8Array {
    if (this.pendingSwitches !== undefined) {
      this.beforeChild(false);
      this.writeSwitches();
    }
    if (this.indent.length > 0 && this.topLevelCount > 0) this.writeByte(0x0a);
    this.checkSize();
    if (this.xml11 && this.versionAt >= 0) this.out[this.versionAt] = 0x31;
    const result = this.out.subarray(0, this.pos);
    this.out = new Uint8Array(4096);
    return result;
  }

  // ---- ParseHandler: events from the parser, or from a tree walk ----

  /**
   * `attributes` is NO_ATTRIBUTES for a tag without the attribute flag; `literalIndex` the
   * string-table index of a LITERAL name; `attributeEnd` the SWITCH_PAGE tokens before the END of
   * the attribute list. What plain XML would not give back goes in a marker before the tag.
   */
  openElement(
    page: number,
    token: number,
    literal: string | undefined,
    attributes: WbxmlAttribute[],
    hasContent: boolean,
    offset: number,
    literalIndex?: number,
    attributeEnd?: number[],
  ): void {
    void offset;
    this.beforeChild(true);
    this.writeSwitches();
    this.lastText = false;
    if (literal !== undefined) {
      const index = this.starts.keep(literal, literalIndex);
      if (index !== undefined || literalNeedsMarker(page, literal)) this.writeMarker(literalMarker(literal, index));
    }
    if (attributes !== NO_ATTRIBUTES) {
      // Looked up only here: a WeakMap lookup for every element cost more than the tag itself.
      const switchesAtEnd = attributeEnd ?? ATTRIBUTE_END_SWITCHES.get(attributes);
      if (!plainAttributes(attributes, switchesAtEnd, this.starts)) this.writeMarker(attributesMarker(attributes, switchesAtEnd, this.starts));
    }
    const isRoot = this.states.length === 0;
    if (isRoot) {
      this.rootPage = page;
      for (const used of this.pagesUsed) this.pageSeen[used] = 0;
      this.pagesUsed.length = 0;
      this.tagNames = nameTable(page);
    } else if (page !== this.rootPage) {
      if (this.pageSeen[page] === 0) {
        this.pageSeen[page] = 1;
        this.pagesUsed.push(page);
      }
    }
    const name = literal === undefined ? this.tagName(page, token) : this.literalName(page, literal);
    this.ensure(name.length + 2);
    this.out[this.pos++] = LT;
    this.pos = copySmall(name, this.out, this.pos);
    if (isRoot) this.namespaceAt = this.pos;
    // Only for tags that have attributes: readableAttributes builds a Map and an array, which
    // for every element of a 10 MB response was 7% of decodeToXmlBytes and much of its garbage.
    if (attributes.length > 0) {
      for (const [name, value] of readableAttributes(attributes)) {
        if (XML11_ONLY.test(value)) this.xml11 = true;
        this.writeString(` ${name}="${escapeAttribute(value)}"`);
      }
    }
    if (hasContent) {
      this.names.push(name);
      this.states.push(OPEN);
      this.pages.push(page);
      this.tokens.push(token);
    } else {
      this.writeByte(SLASH);
      this.writeByte(GT);
      if (isRoot) this.endRoot();
    }
  }

  closeElement(): void {
    this.lastText = false;
    this.pendingEmpty = false;
    const name = this.names.pop()!;
    const state = this.states.pop()!;
    this.pages.pop();
    this.tokens.pop();
    if (state === OPEN) {
      // Read with the content flag but nothing in it (`<X>` END): `<X/>` would lose the flag.
      this.writeString(`><?${WBXML_PI_TARGET} empty?>`);
      this.writeSwitches();
      this.writeString('</');
      this.writeBytes(name, 0, name.length);
      this.writeByte(GT);
    } else {
      if (state === BLOCK) this.newline(this.states.length);
      this.writeSwitches();
      this.ensure(name.length + 3);
      this.out[this.pos++] = LT;
      this.out[this.pos++] = SLASH;
      this.pos = copySmall(name, this.out, this.pos);
      this.out[this.pos++] = GT;
    }
    if (this.states.length === 0) this.endRoot();
  }

  /**
   * Text. A `<?wbxml as …?>` marker goes before it when reading the XML back would not give the
   * same token: STR_T (`as str-t INDEX`), STR_I where the schema wants bytes or where it would
   * merge with the text before it or vanish as layout (`as str-i`).
   */
  text(input: Uint8Array, start: number, end: number, latin1: boolean, tableIndex = -1): void {
    const depth = this.states.length;
    const first = depth > 0 && this.states[depth - 1] === OPEN;
    this.beforeChild(false);
    this.writeSwitches();
    if (depth > 0) {
      if (tableIndex >= 0) this.writeMarker(`as str-t ${tableIndex}`);
      else if (this.parentKind() !== 'text' || this.lastText || (end > start && isBlank(input, start, end))) this.writeMarker('as str-i');
      else if (first && end === start) this.pendingEmpty = true;
      else if (end === start) this.writeMarker('as str-i');
    }
    this.writeText(input, start, end, latin1);
    this.lastText = true;
  }

  /**
   * Opaque data: base64 (or hex) in byte-array tags, the text itself where it is UTF-8 text
   * (marked `as opaque` where XML read back would take it for STR_I), else an opaque PI.
   */
  opaque(input: Uint8Array, start: number, end: number): void {
    const depth = this.states.length;
    this.beforeChild(false);
    this.writeSwitches();
    const kind = this.parentKind();
    if (kind === 'binary') {
      if (this.lastText) this.writeMarker('as opaque');
      const bytes = input.subarray(start, end);
      this.writeString(this.binary === 'hex' ? toHex(bytes) : toBase64(bytes));
      this.lastText = true;
    } else if (input.subarray(start, end).indexOf(0) < 0 && findInvalidUtf8(input, start, end) < 0) {
      if (depth > 0 && (kind === 'text' || this.lastText)) this.writeMarker('as opaque');
      this.writeText(input, start, end, false);
      this.lastText = true;
    } else {
      this.writeString(`<?${WBXML_PI_TARGET} opaque ${toBase64(input.subarray(start, end))}?>`);
      this.lastText = false;
    }
  }

  /** What the element being filled holds: text, a byte array, MIME; text at the top level and in LITERAL tags. */
  private parentKind(): ContentKind {
    const depth = this.states.length;
    const token = depth > 0 ? this.tokens[depth - 1]! : -1;
    const kind = token >= 0 ? contentKind(this.pages[depth - 1]!, token) : 'text';
    return kind === 'mime' && this.mimeAsBase64 ? 'binary' : kind;
  }

  private writeMarker(what: string): void {
    this.writeString(`<?${WBXML_PI_TARGET} ${what}?>`);
  }

  other(node: WbxmlEntity | WbxmlExtension | WbxmlPi): void {
    this.beforeChild(false);
    this.writeSwitches();
    this.lastText = node.kind === 'entity' && isXmlChar(node.code);
    if (node.kind === 'entity') {
      if (node.code < 0x20 && XML11_ONLY.test(String.fromCharCode(node.code))) this.xml11 = true;
      // The reference alone would read back as part of the text around it.
      if (isXmlChar(node.code)) this.writeMarker('as entity');
      this.writeString(isXmlChar(node.code) ? `&#x${node.code.toString(16).toUpperCase()};` : `<?${WBXML_PI_TARGET} entity ${node.code}?>`);
    } else if (node.kind === 'ext') {
      this.writeString(`<?${WBXML_PI_TARGET} ${extensionPi(node)}?>`);
    } else {
      if (!plainPi(node, this.starts)) this.writeMarker(piMarker(node, this.starts));
      const [target, value] = readablePi(node);
      // Shown for reading after its marker too, unless it would read as a marker itself.
      if (target !== WBXML_PI_TARGET) this.writeString(`<?${target}${value === '' ? '' : ` ${value}`}?>`);
    }
  }

  /**
   * A text node of a tree: encoded to UTF-8, then written like input bytes. Text built in code
   * inside a byte-array tag is written as the OPAQUE data the encoder makes of it.
   */
  textNode(node: WbxmlText): void {
    const value = node.value;
    if (this.scratch.length < value.length * 3) this.scratch = new Uint8Array(value.length * 3);
    const { written } = utf8.encodeInto(value, this.scratch);
    if (node.carried === undefined && this.parentKind() !== 'text') {
      this.opaque(this.scratch, 0, written);
      return;
    }
    this.text(this.scratch, 0, written, false, node.carried === 'table' ? (node.index ?? -1) : -1);
  }

  /** Text given as a JS string: written like STR_I text. */
  textString(value: string): void {
    this.textNode({ kind: 'text', value, carried: 'inline', offset: -1 });
  }

  /** Opaque data given as bytes (from a tree). */
  opaqueBytes(bytes: Uint8Array): void {
    this.opaque(bytes, 0, bytes.length);
  }

  // ---- layout ----

  /** Closes the parent's start tag and places a child: on its own line, or inline. */
  private beforeChild(isElement: boolean): void {
    if (this.pendingEmpty) {
      this.pendingEmpty = false;
      this.writeMarker('as str-i');
    }
    const depth = this.states.length;
    if (depth === 0) {
      if (this.topLevelCount++ > 0 && this.indent.length > 0) this.writeByte(0x0a);
      return;
    }
    let state = this.states[depth - 1]!;
    if (state === OPEN) {
      this.writeByte(GT);
      state = isElement ? BLOCK : INLINE;
      this.states[depth - 1] = state;
    } else if (state === BLOCK && !isElement) {
      state = INLINE;
      this.states[depth - 1] = state;
    }
    if (state === BLOCK) this.newline(depth);
  }

  private newline(depth: number): void {
    if (this.indent.length === 0) return;
    let line = this.newlines[depth];
    if (line === undefined) {
      line = new Uint8Array(1 + this.indent.length * depth);
      line[0] = 0x0a;
      for (let i = 0; i < depth; i++) line.set(this.indent, 1 + i * this.indent.length);
      this.newlines[depth] = line;
    }
    this.ensure(line.length);
    this.pos = copySmall(line, this.out, this.pos);
  }

  /** Inserts the root's namespace declarations, now that the pages used below it are known. */
  private endRoot(): void {
    let bytes = DEFAULT_NAMESPACES[this.rootPage];
    if (bytes === undefined || this.pagesUsed.length > 0) {
      let declarations = ` xmlns="${namespaceUriOf(this.rootPage)}"`;
      for (const page of this.pagesUsed.sort((a, b) => a - b)) declarations += ` xmlns:${prefixOf(page)}="${namespaceUriOf(page)}"`;
      bytes = utf8.encode(declarations);
      if (this.pagesUsed.length === 0) DEFAULT_NAMESPACES[this.rootPage] = bytes;
    }
    this.ensure(bytes.length);
    this.out.copyWithin(this.namespaceAt + bytes.length, this.namespaceAt, this.pos);
    this.out.set(bytes, this.namespaceAt);
    this.pos += bytes.length;
  }

  private tagName(page: number, token: number): Uint8Array {
    const key = (page << 6) | token;
    let name = this.tagNames[key];
    if (name === undefined) {
      const local = CODE_PAGES[page]?.tags[token] ?? unknownTagName(token);
      name = utf8.encode(page === this.rootPage ? local : `${prefixOf(page)}:${local}`);
      this.tagNames[key] = name;
    }
    return name;
  }

  private literalName(page: number, literal: string): Uint8Array {
    return utf8.encode(page === this.rootPage ? xmlName(literal) : `${prefixOf(page)}:${xmlName(literal)}`);
  }

  // ---- bytes ----

  /**
   * Copies text bytes, escaping what XML needs escaped, checking UTF-8 as it goes (or converting
   * ISO-8859-1). Invalid UTF-8 throws a WbxmlError with the offset of the bad byte.
   */
  private writeText(input: Uint8Array, start: number, end: number, latin1: boolean): void {
    let i = start;
    while (i < end) {
      // Room for a slice: at most 8 output bytes per input byte (a control character becomes
      // "&#x1F;", the 3 bytes of U+FFFF "<?wbxml entity 65535?>"), plus a sequence that starts
      // in the slice and ends after it.
      const sliceEnd = Math.min(end, i + TEXT_SLICE);
      this.ensure((sliceEnd - i) * 8 + 32);
      i = this.writeTextSlice(input, i, sliceEnd, end, latin1);
    }
  }

  /** Writes the characters that start in `[i, sliceEnd)`; returns where the next one starts. */
  private writeTextSlice(input: Uint8Array, i: number, sliceEnd: number, end: number, latin1: boolean): number {
    const out = this.out;
    let pos = this.pos;
    while (i < sliceEnd) {
      // First scan a run of characters that are copied as they are (ASCII needing no reference,
      // ordinary 2- and 3-byte sequences: no C1 control, U+2028, U+FFFE or U+FFFF), reading
      // only; then copy the run in one go. Reading and writing every byte in the same loop took
      // twice as long as a plain copy.
      const runStart = i;
      while (i < sliceEnd) {
        const b0 = input[i]!;
        const kind = BYTE_CLASS[b0]!;
        if (kind === PLAIN_ASCII) {
          i++;
        } else if (latin1 || kind === CAREFUL || i + 2 >= end) {
          break;
        } else if (kind === LEAD2) {
          const b1 = input[i + 1]!;
          if (b1 < 0x80 || b1 > 0xbf || (b0 === 0xc2 && b1 < 0xa0)) break;
          i += 2;
        } else {
          const b1 = input[i + 1]!;
          const b2 = input[i + 2]!;
          if (b1 < 0x80 || b1 > 0xbf || b2 < 0x80 || b2 > 0xbf || (b0 === 0xe2 && b1 === 0x80 && b2 === 0xa8) || (b0 === 0xef && b1 === 0xbf && b2 >= 0xbe)) break;
          i += 3;
        }
      }
      const run = i - runStart;
      if (run >= SET_MIN) {
        out.set(input.subarray(runStart, i), pos);
        pos += run;
      } else {
        for (let k = runStart; k < i; k++) out[pos++] = input[k]!;
      }
      if (i >= sliceEnd) break;
      const b0 = input[i]!;
      if (b0 < 0x80) {
        // &, <, >, CR and control characters.
        if (b0 < 0x20 && b0 !== 0x0d) this.xml11 = true;
        const ref = REFERENCES[b0]!;
        for (let k = 0; k < ref.length; k++) out[pos++] = ref[k]!;
        i++;
      } else if (latin1) {
        // ISO-8859-1: byte = code point; C1 controls (0x80-0x9F) need references.
        if (b0 < 0xa0) pos = this.writeReference(b0, pos);
        else {
          out[pos++] = 0xc0 | (b0 >> 6);
          out[pos++] = 0x80 | (b0 & 0x3f);
        }
        i++;
      } else {
        const length = this.checkSequence(input, i, end, b0);
        // U+0080-U+009F (C1 controls), U+2028 (a line end in XML 1.1): references. U+FFFE and
        // U+FFFF are no XML characters, not even as references: an entity PI.
        if ((b0 === 0xc2 && input[i + 1]! < 0xa0) || (b0 === 0xe2 && input[i + 1] === 0x80 && input[i + 2] === 0xa8)) {
          pos = this.writeReference(length === 2 ? input[i + 1]! : 0x2028, pos);
        } else if (b0 === 0xef && input[i + 1] === 0xbf && input[i + 2]! >= 0xbe) {
          pos = this.writeAscii(`<?${WBXML_PI_TARGET} entity ${0xffc0 | (input[i + 2]! & 0x3f)}?>`, pos);
        } else {
          for (let k = 0; k < length; k++) out[pos++] = input[i + k]!;
        }
        i += length;
      }
    }
    this.pos = pos;
    return i;
  }

  /**
   * The length of the UTF-8 sequence that starts with `b0` at `i`, after checking it: no
   * overlong forms (C0, C1, E0 80-9F, F0 80-8F), no surrogates (ED A0-BF), nothing above U+10FFFF
   * (F4 90-BF, F5-FF). Throws a WbxmlError at the first bad byte.
   */
  private checkSequence(input: Uint8Array, i: number, end: number, b0: number): number {
    const length = sequenceLength(b0);
    if (length === 0) this.invalid(i, input);
    const min = secondByteMin(b0);
    const max = secondByteMax(b0);
    for (let k = 1; k < length; k++) {
      if (i + k >= end) this.invalid(i, input);
      const b = input[i + k]!;
      if (b < (k === 1 ? min : 0x80) || b > (k === 1 ? max : 0xbf)) this.invalid(i + k, input);
    }
    return length;
  }

  private writeReference(code: number, pos: number): number {
    return this.writeAscii(`&#x${code.toString(16).toUpperCase()};`, pos);
  }

  private writeAscii(text: string, pos: number): number {
    for (let k = 0; k < text.length; k++) this.out[pos++] = text.charCodeAt(k);
    return pos;
  }

  private invalid(offset: number, input: Uint8Array): never {
    throw new WbxmlError('invalid-utf8', `invalid UTF-8 at ${at(offset)}`, offset, { token: input[offset] });
  }

  private writeString(text: string): void {
    this.ensure(text.length * 3);
    this.pos += utf8.encodeInto(text, this.out.subarray(this.pos)).written;
  }

  private writeByte(byte: number): void {
    this.ensure(1);
    this.out[this.pos++] = byte;
  }

  private writeBytes(bytes: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.out.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed > this.out.length) {
      if (this.pos >= this.maxOutput) this.tooLarge();
      // Never more than the limit allows (plus the slack a slice of text needs).
      this.out = grow(this.out, this.pos, needed, this.maxOutput + extra);
    }
  }

  private tooLarge(): never {
    throw new WbxmlError('too-large', `the XML would be larger than ${this.maxOutput} bytes; raise maxOutput (--max-output) to write it`, this.pos);
  }

  /** Checks the limit once everything is written (ensure checks only when the buffer grows). */
  private checkSize(): void {
    if (this.pos > this.maxOutput) this.tooLarge();
  }
}
