// Capture exchanges as messages between the panel's capture worker (which reads the file) and
// its page (which shows it), in a compact form. Structured cloning of the exchanges themselves
// would read a lazy body's `bytes` (and so decode it), copy every body, and make the page
// deserialize a dozen objects and strings per exchange, the same header names and values again
// and again: measured, that cost the page's thread more than it saved. Here a batch is numbers
// (one Float64Array), the strings the page has not had yet (each short one sent once per file),
// and the buffers the bodies are in, transferred, not copied: a body still in base64 goes as
// (buffer, offset, length) of its view, and lazyBase64Body makes the lazy body again there.
import { lazyBase64Body, pendingBase64 } from './lazy-bytes.js';
import type { CaptureBody, CaptureExchange, CaptureFormat, CaptureHeader } from './types.js';

export interface WireBatch {
  /** Strings new to the reader, in the order the numbers refer to them (after those it has). */
  strings: string[];
  numbers: Float64Array;
  /** The buffers the bodies are in, transferred with the batch. */
  buffers: ArrayBuffer[];
  count: number;
}

/** Strings up to this length are sent once and referred to by number after; longer ones each time. */
const SHARED_STRING = 256;

const EMPTY = 0;
const BASE64 = 1;
const BYTES = 2;
const XML = 3;
const MISSING = 4;

/** The worker's side: exchanges in, batches out. One writer per file read (its strings go with the reader's). */
export class WireWriter {
  private readonly known = new Map<string, number>();
  /** Strings the reader has, or will have once the pending batch is read. */
  private sent = 0;
  private strings: string[] = [];
  private numbers: number[] = [];
  private buffers: ArrayBuffer[] = [];
  private bufferIndex = new Map<ArrayBuffer, number>();
  private count = 0;

  /** Exchanges waiting to be taken. */
  get pending(): number {
    return this.count;
  }

  /**
   * Adds exchanges to the next batch. The buffers of their base64 views go with it (the HAR
   * reader keeps no other view of them once it has handed the exchanges over); other bytes are
   * copied, unless `all` (the reader is done with everything: their buffers go as they are).
   */
  add(exchanges: readonly CaptureExchange[], all: boolean): void {
    for (const e of exchanges) {
      this.str(e.file);
      this.numbers.push(e.index);
      this.str(e.format);
      this.optional(e.startedAt);
      this.optional(e.durationMs);
      this.str(e.method);
      this.str(e.url);
      this.headers(e.requestHeaders);
      this.headers(e.responseHeaders);
      this.optional(e.httpStatus);
      this.str(e.httpStatusText);
      this.body(e.request, all);
      this.body(e.response, all);
      if (e.command === undefined) this.numbers.push(-1);
      else this.str(e.command);
      this.count++;
    }
  }

  /** The batch of what was added since the last call (undefined when nothing was), and what it transfers. */
  take(): WireBatch | undefined {
    if (this.count === 0) return undefined;
    const batch: WireBatch = { strings: this.strings, numbers: Float64Array.from(this.numbers), buffers: this.buffers, count: this.count };
    this.strings = [];
    this.numbers = [];
    this.buffers = [];
    this.bufferIndex = new Map();
    this.count = 0;
    return batch;
  }

  private str(value: string): void {
    if (value.length <= SHARED_STRING) {
      const index = this.known.get(value);
      if (index !== undefined) {
        this.numbers.push(index);
        return;
      }
      this.known.set(value, this.sent);
    }
    this.numbers.push(this.sent++);
    this.strings.push(value);
  }

  private optional(value: number | undefined): void {
    if (value === undefined) this.numbers.push(0);
    else this.numbers.push(1, value);
  }

  private headers(list: readonly CaptureHeader[]): void {
    this.numbers.push(list.length);
    for (const h of list) {
      this.str(h.name);
      this.str(h.value);
    }
  }

  private view(bytes: Uint8Array): void {
    const buffer = bytes.buffer as ArrayBuffer;
    let index = this.bufferIndex.get(buffer);
    if (index === undefined) {
      index = this.buffers.length;
      this.buffers.push(buffer);
      this.bufferIndex.set(buffer, index);
    }
    this.numbers.push(index, bytes.byteOffset, bytes.length);
  }

  private body(body: CaptureBody, all: boolean): void {
    switch (body.kind) {
      case 'empty':
        this.numbers.push(EMPTY);
        return;
      case 'xml':
        this.numbers.push(XML);
        this.str(body.xml);
        return;
      case 'missing':
        this.numbers.push(MISSING);
        this.str(body.reason);
        return;
      case 'bytes': {
        const lazy = pendingBase64(body);
        if (lazy) {
          this.numbers.push(BASE64);
          this.view(lazy.base64);
          this.numbers.push(lazy.length);
        } else {
          this.numbers.push(BYTES);
          this.view(all ? body.bytes : body.bytes.slice());
        }
      }
    }
  }
}

/** The page's side: batches in, exchanges out, their base64 bodies lazy as the reader made them. One reader per file. */
export class WireReader {
  private readonly table: string[] = [];

  read(batch: WireBatch): CaptureExchange[] {
    const table = this.table;
    for (const s of batch.strings) table.push(s);
    const n = batch.numbers;
    const buffers = batch.buffers;
    let at = 0;
    const str = (): string => table[n[at++]!]!;
    const optional = (): number | undefined => (n[at++] === 0 ? undefined : n[at++]);
    const headers = (): CaptureHeader[] => {
      const count = n[at++]!;
      const list: CaptureHeader[] = [];
      for (let i = 0; i < count; i++) list.push({ name: str(), value: str() });
      return list;
    };
    const view = (): Uint8Array => {
      const bytes = new Uint8Array(buffers[n[at]!]!, n[at + 1], n[at + 2]);
      at += 3;
      return bytes;
    };
    const body = (): CaptureBody => {
      const kind = n[at++];
      if (kind === EMPTY) return { kind: 'empty' };
      if (kind === XML) return { kind: 'xml', xml: str() };
      if (kind === MISSING) return { kind: 'missing', reason: str() };
      if (kind === BASE64) {
        const base64 = view();
        return lazyBase64Body(base64, n[at++]!);
      }
      return { kind: 'bytes', bytes: view() };
    };
    const out: CaptureExchange[] = [];
    for (let k = 0; k < batch.count; k++) {
      const file = str();
      const index = n[at++]!;
      const format = str() as CaptureFormat;
      const startedAt = optional();
      const durationMs = optional();
      const method = str();
      const url = str();
      const requestHeaders = headers();
      const responseHeaders = headers();
      const httpStatus = optional();
      const httpStatusText = str();
      const request = body();
      const response = body();
      const exchange: CaptureExchange = { file, index, format, startedAt, durationMs, method, url, requestHeaders, responseHeaders, httpStatus, httpStatusText, request, response };
      if (n[at] === -1) at++;
      else exchange.command = str();
      out.push(exchange);
    }
    return out;
  }
}
