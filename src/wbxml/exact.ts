// The rare WBXML constructs that plain XML cannot give back exactly, and the `<?wbxml …?>` markers
// that carry them (XmlWriter writes them, fromXml reads them): attribute lists other than one
// plain string per attribute (STR_T values, several parts, ENTITY, ATTRVALUE tokens, opaque data,
// page switches, an empty list, duplicate or unusual names), processing instructions XML would
// change (leading white space, "?>", STR_T, …), and LITERAL names that XML would read as another
// name or that reference the middle of a string-table string. Such markers hold the exact tree
// part as JSON, escaped to printable ASCII without spaces or ">", so it stands in a PI as it is.
// ActiveSync documents never hold any of these: the markers exist so that decode → XML → encode
// gives back the same bytes for every input the decoder accepts.

import { findTag } from './codepages.js';
import { attributeTokenName, parseAttributeTokenName, parseUnknownTagName } from './names.js';
import type { WbxmlAttribute, WbxmlPi, WbxmlText, WbxmlValuePart } from './types.js';
import { fromBase64, toBase64 } from '../shared/base64.js';
import { decodeLatin1, decodeUtf8 } from './utils/utf8.js';

/**
 * Where each string of a string table first starts: a LITERAL reference there is what the
 * encoder writes by itself, any other reference (the middle of a string, a later copy) is kept.
 */
export class FirstStarts {
  private starts: Map<string, number> | undefined;

  constructor(
    private readonly table: Uint8Array,
    private readonly latin1: boolean,
  ) {}

  /** `index`, unless it is where the encoder would reference `name` anyway (then undefined). */
  keep(name: string, index: number | undefined): number | undefined {
    if (index === undefined) return undefined;
    if (this.starts === undefined) {
      this.starts = new Map();
      for (let start = 0; start < this.table.length;) {
        const end = this.table.indexOf(0, start);
        if (end < 0) break;
        try {
          const value = this.latin1 ? decodeLatin1(this.table, start, end) : decodeUtf8(this.table, start, end);
          if (!this.starts.has(value)) this.starts.set(value, start);
        } catch {
          // Not text: no LITERAL can name it.
        }
        start = end + 1;
      }
    }
    return this.starts.get(name) === index ? undefined : index;
  }
}

export const NO_STARTS = new FirstStarts(new Uint8Array(0), false);

/** A name XmlWriter writes unchanged and fromXml reads back as itself (not xmlns, not xml…). */
function isPlainName(name: string): boolean {
  return /^[A-Za-z_][\w.-]*$/.test(name) && !/^xml/i.test(name);
}

/** Whether a LITERAL tag name would not come back from XML as the same LITERAL (renamed, or read as a known tag). */
export function literalNeedsMarker(page: number, name: string): boolean {
  return !isPlainName(name) || findTag(page, name) !== undefined || parseUnknownTagName(name) !== undefined;
}

/** Whether an attribute name comes back as the same ATTRSTART token or LITERAL. */
function plainAttributeName(attribute: WbxmlAttribute, starts: FirstStarts): boolean {
  if (attribute.switches !== undefined) return false;
  if (attribute.token >= 0) return attribute.name === attributeTokenName(attribute.page, attribute.token);
  return starts.keep(attribute.name, attribute.index) === undefined && isPlainName(attribute.name) && parseAttributeTokenName(attribute.name) === undefined;
}

/** One STR_I string (not empty), or nothing: what an XML attribute value or PI body reads back as. */
function plainValue(parts: readonly WbxmlValuePart[], special: RegExp): boolean {
  if (parts.length === 0) return true;
  const part = parts[0]!;
  return parts.length === 1 && part.kind === 'text' && part.carried === undefined && part.switches === undefined && part.value !== '' && !special.test(part.value);
}

/** Whether `name="value"` attributes give back this attribute list exactly. */
export function plainAttributes(list: readonly WbxmlAttribute[], end: readonly number[] | undefined, starts: FirstStarts): boolean {
  if (list.length === 0 || end !== undefined) return false;
  const names = new Set<string>();
  for (const attribute of list) {
    if (names.has(attribute.name) || !plainAttributeName(attribute, starts) || !plainValue(attribute.value, /[\ufffe\uffff]/)) return false;
    names.add(attribute.name);
  }
  return true;
}

/** Whether `<?target value?>` gives back this processing instruction exactly. */
export function plainPi(pi: WbxmlPi, starts: FirstStarts): boolean {
  // XML strips the white space after the target, and cannot hold "?>", controls or noncharacters in a PI.
  const special = /^[ \t\r\n]|\?>|[\u0000-\u001f\u007f-\u009f\u2028\ufffe\uffff]/;
  return pi.switchesBeforeEnd === undefined && pi.target.name !== 'wbxml' && plainAttributeName(pi.target, starts) && plainValue(pi.target.value, special);
}

/** JSON of a tree part for a marker: no offsets, bytes as base64, only printable ASCII without space or ">". */
function json(value: unknown): string {
  const text = JSON.stringify(value, (key, v: unknown) => (key === 'offset' ? undefined : v instanceof Uint8Array ? { base64: toBase64(v) } : v));
  return text.replace(/[^\x21-\x7e]|>/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function exactAttribute(attribute: WbxmlAttribute, starts: FirstStarts): object {
  const index = attribute.token < 0 ? starts.keep(attribute.name, attribute.index) : undefined;
  return {
    name: attribute.name,
    page: attribute.page,
    token: attribute.token,
    ...(index !== undefined ? { index } : {}),
    ...(attribute.switches !== undefined ? { switches: attribute.switches } : {}),
    value: attribute.value,
  };
}

/** `attributes {…}`: the exact attribute list of the next element (and switches before its END). */
export function attributesMarker(list: readonly WbxmlAttribute[], end: readonly number[] | undefined, starts: FirstStarts): string {
  return `attributes ${json({ attributes: list.map((attribute) => exactAttribute(attribute, starts)), ...(end !== undefined ? { end } : {}) })}`;
}

/** `pi {…}`: a processing instruction exactly. */
export function piMarker(pi: WbxmlPi, starts: FirstStarts): string {
  return `pi ${json({ target: exactAttribute(pi.target, starts), ...(pi.switchesBeforeEnd !== undefined ? { end: pi.switchesBeforeEnd } : {}) })}`;
}

/** `literal {…}`: the next element is a LITERAL with this name (and string-table index). */
export function literalMarker(name: string, index: number | undefined): string {
  return `literal ${json({ name, ...(index !== undefined ? { index } : {}) })}`;
}

// ---- reading markers back (fromXml); undefined for anything malformed ----

type Json = Record<string, unknown>;

function parse(text: string): Json | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

const isUint32 = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffffffff;
const isByte = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;

/** A list of page numbers, undefined when absent, null when malformed. */
function pages(value: unknown): number[] | undefined | null {
  if (value === undefined) return undefined;
  return Array.isArray(value) && value.every(isByte) ? value : null;
}

function readPart(value: unknown): WbxmlValuePart | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const x = value as Json;
  const switches = pages(x.switches);
  if (switches === null) return undefined;
  let part: WbxmlValuePart | undefined;
  if (x.kind === 'text' && typeof x.value === 'string') {
    const text: WbxmlText = { kind: 'text', value: x.value, offset: -1 };
    if (x.carried === 'table' && isUint32(x.index)) {
      text.carried = 'table';
      text.index = x.index;
    } else if (x.carried !== undefined) return undefined;
    part = text;
  } else if (x.kind === 'opaque') {
    const bytes = typeof x.bytes === 'object' && x.bytes !== null ? fromBase64(String((x.bytes as Json).base64)) : undefined;
    if (bytes !== undefined) part = { kind: 'opaque', bytes, offset: -1 };
  } else if (x.kind === 'entity' && isUint32(x.code)) {
    part = { kind: 'entity', code: x.code, offset: -1 };
  } else if (x.kind === 'ext' && (x.ext === 0 || x.ext === 1 || x.ext === 2)) {
    if (x.form === 'inline' && typeof x.text === 'string') part = { kind: 'ext', ext: x.ext, form: 'inline', text: x.text, offset: -1 };
    else if (x.form === 'table' && isUint32(x.index)) part = { kind: 'ext', ext: x.ext, form: 'table', index: x.index, offset: -1 };
    else if (x.form === 'token') part = { kind: 'ext', ext: x.ext, form: 'token', offset: -1 };
  } else if (x.kind === 'attrvalue' && isByte(x.page) && isByte(x.token)) {
    part = { kind: 'attrvalue', page: x.page, token: x.token, offset: -1 };
  }
  if (part !== undefined && switches !== undefined) part.switches = switches;
  return part;
}

function readAttribute(value: unknown): WbxmlAttribute | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const x = value as Json;
  const switches = pages(x.switches);
  if (typeof x.name !== 'string' || !isByte(x.page) || !Number.isInteger(x.token) || !Array.isArray(x.value) || switches === null) return undefined;
  if (x.index !== undefined && !isUint32(x.index)) return undefined;
  const parts = x.value.map(readPart);
  if (parts.some((part) => part === undefined)) return undefined;
  const attribute: WbxmlAttribute = { name: x.name, page: x.page, token: x.token as number, value: parts as WbxmlValuePart[], offset: -1 };
  if (x.index !== undefined) attribute.index = x.index;
  if (switches !== undefined) attribute.switches = switches;
  return attribute;
}

export function readAttributesMarker(text: string): { attributes: WbxmlAttribute[]; end?: number[] } | undefined {
  const x = parse(text);
  const end = pages(x?.end);
  if (x === undefined || !Array.isArray(x.attributes) || end === null) return undefined;
  const attributes = x.attributes.map(readAttribute);
  if (attributes.some((attribute) => attribute === undefined)) return undefined;
  return { attributes: attributes as WbxmlAttribute[], ...(end !== undefined ? { end } : {}) };
}

export function readPiMarker(text: string): WbxmlPi | undefined {
  const x = parse(text);
  const end = pages(x?.end);
  const target = readAttribute(x?.target);
  if (target === undefined || end === null) return undefined;
  const pi: WbxmlPi = { kind: 'pi', target, offset: -1 };
  if (end !== undefined) pi.switchesBeforeEnd = end;
  return pi;
}

export function readLiteralMarker(text: string): { name: string; index?: number } | undefined {
  const x = parse(text);
  if (x === undefined || typeof x.name !== 'string' || (x.index !== undefined && !isUint32(x.index))) return undefined;
  return { name: x.name, ...(x.index !== undefined ? { index: x.index } : {}) };
}
