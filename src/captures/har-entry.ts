// Reads one HAR entry straight from its bytes, keeping only what an exchange needs (the request's
// method, URL, headers and body, the response's status, headers and body, the time), and checking
// the rest as JSON without building it. The bodies' text (`postData.text`, `content.text`) stays
// as the bytes it is in the file when it holds no escape (a base64 body always): har-body.ts
// decodes base64 from those bytes, and only an odd body becomes a string.
//
// Why: JSON.parse of an entry wants its bytes decoded to a string first, then builds every field
// and a copy of every body's text, all garbage a moment later; on a 200 MB HAR that was most of
// the time the panel took to show the list.
//
// Whatever this parser meets that it does not handle the way JSON.parse would, it gives up on
// (`NotPlain` is thrown) and har.ts reads the entry with JSON.parse, as before: the two must
// always agree, and the unit tests compare them on many shapes.

import { base64Digits } from './base64.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Thrown when an entry must be read by JSON.parse instead (invalid JSON included, for its message). */
export class NotPlain extends Error {}

/**
 * A body's text as the bytes between its quotes in the file: no backslash among them, otherwise
 * unchecked. `text()` checks them as JSON.parse would and decodes them (throws NotPlain when a
 * control character makes the entry invalid JSON); `checked()` only checks.
 */
export class RawText {
  private ok = false;
  constructor(
    readonly bytes: Uint8Array,
    /** How many bytes from the start are known to be base64 digits (a multiple of 4). */
    readonly digits = 0,
  ) {}

  /** What JSON.parse would have given for this string. */
  text(): string {
    this.checked();
    return utf8.decode(this.bytes);
  }

  /** Marks the bytes as valid string content without looking (the caller decoded them as base64). */
  knownValid(): void {
    this.ok = true;
  }

  checked(): void {
    if (this.ok) return;
    const b = this.bytes;
    for (let i = 0; i < b.length; i++) if (b[i]! < 0x20) throw new NotPlain('a control character in a string');
    this.ok = true;
  }
}

const utf8 = new TextDecoder('utf-8');

/**
 * Short ASCII strings (header names and values, methods, MIME types) repeat in every entry: the
 * last string seen with each hash is kept and given again when the bytes are the same. The table
 * is emptied after each file (forgetInterned), so that no header value of a file outlives it.
 */
const MAX_INTERNED = 64;
const internTable: string[] = new Array<string>(4096).fill('');

export function forgetInterned(): void {
  internTable.fill('');
}

function interned(b: Uint8Array, start: number, end: number, hash: number): string {
  const slot = hash & 4095;
  const known = internTable[slot]!;
  if (known.length === end - start) {
    let same = true;
    for (let i = start; i < end; i++) {
      if (known.charCodeAt(i - start) !== b[i]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  const text = String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  internTable[slot] = text;
  return text;
}

/** What to keep of a value: the keys of an object to keep, a body's text, a header list, or the value itself. */
type Spec = { readonly [key: string]: Spec } | 'value' | 'text' | 'headers';

const HEADER: Spec = { name: 'value', value: 'value' };
const ENTRY: Spec = {
  startedDateTime: 'value',
  time: 'value',
  request: { method: 'value', url: 'value', headers: 'headers', postData: { text: 'text', encoding: 'value', mimeType: 'value' }, bodySize: 'value' },
  response: { status: 'value', statusText: 'value', headers: 'headers', content: { text: 'text', encoding: 'value', mimeType: 'value', size: 'value' } },
};

export interface PlainEntry {
  /**
   * The entry as JSON.parse would give it, with only the fields ENTRY names; a kept field whose
   * value is an object or array where a string, number or object was expected is an empty one of
   * the same kind. Body texts are RawText or string.
   */
  value: unknown;
  /** Every RawText in it, for the caller to check those it does not decode. */
  raws: RawText[];
}

/** Reads one entry's bytes (a whole JSON value); throws NotPlain for anything JSON.parse must decide. */
export function readPlainEntry(bytes: Uint8Array): PlainEntry {
  const reader = new EntryReader(bytes);
  reader.space();
  const value = reader.value(ENTRY);
  reader.space();
  if (reader.at !== bytes.length) throw new NotPlain('more after the entry');
  return { value, raws: reader.raws };
}

class EntryReader {
  at = 0;
  readonly raws: RawText[] = [];
  constructor(private readonly b: Uint8Array) {}

  space(): void {
    const b = this.b;
    let i = this.at;
    for (;;) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.at = i;
  }

  /** A value, kept as `spec` says; undefined spec: checked and skipped. */
  value(spec: Spec | undefined): unknown {
    const c = this.b[this.at];
    if (c === 0x7b) return this.object(spec);
    if (c === 0x5b) return this.array(spec);
    if (c === QUOTE) return this.string(spec);
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    return this.number(spec !== undefined);
  }

  private object(spec: Spec | undefined): unknown {
    const b = this.b;
    const keys = typeof spec === 'object' ? spec : undefined;
    const out: Record<string, unknown> | undefined = spec === undefined ? undefined : {};
    this.at++;
    this.space();
    if (b[this.at] === 0x7d) {
      this.at++;
      return out;
    }
    for (;;) {
      if (b[this.at] !== QUOTE) throw new NotPlain('a key expected');
      const key = this.string(keys ? 'value' : undefined);
      this.space();
      if (b[this.at] !== 0x3a) throw new NotPlain('a colon expected');
      this.at++;
      this.space();
      const inner = keys && typeof key === 'string' && Object.hasOwn(keys, key) ? keys[key] : undefined;
      const value = this.value(inner);
      // Only the named keys are set (never __proto__); the last of duplicate keys wins, as in JSON.parse.
      if (inner !== undefined) out![key as string] = value;
      this.space();
      const c = b[this.at++];
      if (c === 0x7d) return out;
      if (c !== 0x2c) throw new NotPlain('a comma or } expected');
      this.space();
    }
  }

  private array(spec: Spec | undefined): unknown {
    const b = this.b;
    const item = spec === 'headers' ? HEADER : undefined;
    const out: unknown[] | undefined = spec === undefined ? undefined : [];
    this.at++;
    this.space();
    if (b[this.at] === 0x5d) {
      this.at++;
      return out;
    }
    for (;;) {
      const value = this.value(item);
      if (item !== undefined) out!.push(value);
      this.space();
      const c = b[this.at++];
      if (c === 0x5d) return out;
      if (c !== 0x2c) throw new NotPlain('a comma or ] expected');
      this.space();
    }
  }

  private string(spec: Spec | undefined): unknown {
    const b = this.b;
    const start = this.at + 1;
    if (spec === 'text') return this.text(start);
    const end = b.indexOf(QUOTE, start);
    if (end < 0) throw new NotPlain('an unclosed string');
    let high = 0;
    let hash = end - start;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c === BACKSLASH) return this.escapedString(spec !== undefined);
      if (c < 0x20) throw new NotPlain('a control character in a string');
      high |= c;
      hash = (hash * 31 + c) | 0;
    }
    this.at = end + 1;
    if (spec === undefined) return undefined;
    if (high < 0x80 && end - start <= MAX_INTERNED) return interned(b, start, end, hash);
    return utf8.decode(b.subarray(start, end));
  }

  /**
   * A body's text: base64 digits are passed four at a time (they hold neither quote nor
   * backslash), then the rest up to the closing quote is looked at for a backslash only; its
   * other bytes are checked when the text is used.
   */
  private text(start: number): unknown {
    const b = this.b;
    const digits = base64Digits(b, start);
    const end = b.indexOf(QUOTE, digits);
    if (end < 0) throw new NotPlain('an unclosed string');
    if (end > digits && b.subarray(digits, end).indexOf(BACKSLASH) >= 0) return this.escapedString(true);
    this.at = end + 1;
    const raw = new RawText(b.subarray(start, end), digits - start);
    this.raws.push(raw);
    return raw;
  }

  /** A string with escapes: found byte by byte, then JSON.parse of its own bytes decides its value. */
  private escapedString(keep: boolean): unknown {
    const b = this.b;
    const start = this.at;
    let i = start + 1;
    for (;;) {
      const c = b[i];
      if (c === undefined) throw new NotPlain('an unclosed string');
      if (c === QUOTE) break;
      if (c < 0x20) throw new NotPlain('a control character in a string');
      i += c === BACKSLASH ? 2 : 1;
    }
    this.at = i + 1;
    // Invalid escapes make JSON.parse throw: the entry is then read by JSON.parse as a whole.
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(b.subarray(start, i + 1)));
    } catch {
      throw new NotPlain('an invalid escape');
    }
    return keep ? value : undefined;
  }

  private literal(word: string, value: boolean | null): unknown {
    const b = this.b;
    for (let k = 0; k < word.length; k++) if (b[this.at + k] !== word.charCodeAt(k)) throw new NotPlain('an unknown word');
    this.at += word.length;
    return value;
  }

  private number(keep: boolean): unknown {
    const b = this.b;
    const start = this.at;
    let i = start;
    if (b[i] === 0x2d) i++;
    const digits = (): void => {
      const from = i;
      while (b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      if (i === from) throw new NotPlain('a digit expected');
    };
    if (b[i] === 0x30) i++;
    else digits();
    if (b[i] === 0x2e) {
      i++;
      digits();
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      digits();
    }
    this.at = i;
    return keep ? Number(String.fromCharCode.apply(null, b.subarray(start, i) as unknown as number[])) : undefined;
  }
}
