// Finds the entries of a HAR file in a stream of bytes without parsing the whole file: it
// follows only strings, brackets and the keys of the two outer objects, and hands each
// `log.entries[i]` object over as its own bytes, which the caller gives to JSON.parse.
//
// Why not JSON.parse of the file: V8 cannot hold a string of 1 GB, and a 200 MB file would cost
// the string plus every parsed body at once. Why not a streaming JSON library: they tokenize
// every character in JavaScript (bodies are most of a HAR: base64 text), several times slower
// than finding the closing quote with indexOf and letting the native JSON.parse read each entry.
// Multi-byte UTF-8 never contains the ASCII bytes this looks at, so bytes are scanned as they are.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Most bytes of the file outside the entries kept to check as JSON (creator, pages, comments). */
const MAX_SKELETON = 16 * 1024 * 1024;

export interface ScannedEntry {
  /** 1-based position in log.entries. */
  number: number;
  /** Byte offset of the entry's `{` in the file. */
  offset: number;
  bytes: Uint8Array;
}

export interface ScanEnd {
  /** Whether a `log.entries` array was found. */
  sawEntries: boolean;
  /** Where the file stops in the middle of something, in words; undefined when it ends whole. */
  truncated: string | undefined;
  /** The file with the entries left out (`"entries":[]`), for a JSON check; undefined when too big. */
  skeleton: Uint8Array | undefined;
}

export class HarScanner {
  private offset = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private expectKey = false;
  /** Per depth 1 and 2: whether the container is an object, and its last key. */
  private readonly isObject: boolean[] = [false, false, false, false];
  private readonly keys: string[] = ['', '', '', ''];
  private capturingKey = false;
  private keyParts: Uint8Array[] = [];
  private keyStart = 0;
  private inEntries = false;
  private sawEntries = false;
  private entryNumber = 0;
  private entryOffset = 0;
  private entryParts: Uint8Array[] = [];
  private entryBytes = 0;
  private entryStart = -1;
  private skeletonParts: Uint8Array[] | undefined = [];
  private skeletonBytes = 0;
  private skeletonFrom = 0;

  constructor(
    private readonly onEntry: (entry: ScannedEntry) => void,
    /** Called instead of onEntry for an entry larger than maxEntryBytes (its bytes are not kept). */
    private readonly onOversized: (number: number, offset: number, size: number) => void,
    private readonly maxEntryBytes: number,
  ) {}

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    this.skeletonFrom = 0;
    if (this.entryStart >= 0) this.entryStart = 0;
    if (this.capturingKey) this.keyStart = 0;
    while (i < n) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (c === QUOTE) {
        this.inString = true;
        this.capturingKey = this.depth <= 2 && this.expectKey;
        if (this.capturingKey) {
          this.keyParts = [];
          this.keyStart = i + 1;
        }
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.open(chunk, i, c);
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        this.close(chunk, i, c);
      } else if (this.depth <= 2) {
        if (c === COLON) this.expectKey = false;
        else if (c === COMMA) this.expectKey = this.isObject[this.depth]!;
      }
      i++;
    }
    // Keep what continues into the next chunk, as copies: once push returns, no view of the chunk
    // is kept here, only in the entries handed over (the panel's worker transfers the chunk's
    // buffer to the page with them, which leaves views of it here empty).
    if (this.entryStart >= 0) this.keepEntry(chunk, this.entryStart, n, true);
    if (this.capturingKey && this.inString) this.keyParts.push(chunk.slice(this.keyStart, Math.min(n, this.keyStart + 256)));
    if (!this.inEntries) this.keepSkeleton(chunk, this.skeletonFrom, n);
    this.offset += n;
  }

  /** In a string at `i`: finds its closing quote (or the chunk's end) with indexOf. */
  private scanString(chunk: Uint8Array, start: number): number {
    let i = start;
    if (this.escape) {
      // The previous chunk ended with a backslash: this byte is escaped.
      this.escape = false;
      return i + 1;
    }
    for (;;) {
      const j = chunk.indexOf(QUOTE, i);
      const stop = j < 0 ? chunk.length : j;
      let k = stop - 1;
      while (k >= i && chunk[k] === BACKSLASH) k--;
      const escaped = (stop - 1 - k) % 2 === 1;
      if (j < 0) {
        this.escape = escaped;
        return chunk.length;
      }
      if (escaped) {
        i = j + 1;
        continue;
      }
      this.inString = false;
      if (this.capturingKey) {
        this.keyParts.push(chunk.subarray(this.keyStart, j));
        this.keys[this.depth] = new TextDecoder().decode(joined(this.keyParts));
        this.capturingKey = false;
        this.keyParts = [];
      }
      return j + 1;
    }
  }

  private open(chunk: Uint8Array, i: number, c: number): void {
    this.depth++;
    const depth = this.depth;
    if (depth <= 3) {
      this.isObject[depth] = c === OPEN_OBJECT;
      this.keys[depth] = '';
    }
    this.expectKey = c === OPEN_OBJECT;
    if (depth === 3 && c === OPEN_ARRAY && !this.sawEntries && this.isObject[1] && this.isObject[2] && this.keys[1] === 'log' && this.keys[2] === 'entries') {
      this.inEntries = true;
      this.sawEntries = true;
      this.keepSkeleton(chunk, this.skeletonFrom, i + 1);
    } else if (depth === 4 && this.inEntries) {
      this.entryNumber++;
      this.entryOffset = this.offset + i;
      this.entryStart = i;
      this.entryParts = [];
      this.entryBytes = 0;
    }
  }

  private close(chunk: Uint8Array, i: number, c: number): void {
    if (this.depth === 4 && this.inEntries && this.entryStart >= 0) {
      this.keepEntry(chunk, this.entryStart, i + 1, false);
      if (this.entryBytes <= this.maxEntryBytes) this.onEntry({ number: this.entryNumber, offset: this.entryOffset, bytes: joined(this.entryParts) });
      else this.onOversized(this.entryNumber, this.entryOffset, this.entryBytes);
      this.entryParts = [];
      this.entryStart = -1;
    } else if (this.depth === 3 && this.inEntries && c === CLOSE_ARRAY) {
      this.inEntries = false;
      this.skeletonFrom = i;
    }
    this.depth--;
    this.expectKey = false;
  }

  /** Bytes `start` to `end` of the chunk belong to the current entry; `copy` when the entry goes on in the next chunk. */
  private keepEntry(chunk: Uint8Array, start: number, end: number, copy: boolean): void {
    this.entryBytes += end - start;
    // Past the limit only the size is counted: an oversized entry is reported, never allocated.
    if (this.entryBytes <= this.maxEntryBytes) this.entryParts.push(copy ? chunk.slice(start, end) : chunk.subarray(start, end));
    else this.entryParts = [];
  }

  /** Bytes `start` to `end` of the chunk are outside the entries: a copy is kept for the JSON check. */
  private keepSkeleton(chunk: Uint8Array, start: number, end: number): void {
    if (this.skeletonParts === undefined) return;
    this.skeletonBytes += end - start;
    if (this.skeletonBytes > MAX_SKELETON) this.skeletonParts = undefined;
    else this.skeletonParts.push(chunk.slice(start, end));
  }

  end(): ScanEnd {
    let truncated: string | undefined;
    if (this.depth > 0 || this.inString) {
      truncated =
        this.entryStart >= 0
          ? `the file ends inside entry ${this.entryNumber} (which starts at byte ${this.entryOffset})`
          : `the file ends early, at byte ${this.offset}, inside an unclosed ${this.inString ? 'string' : 'object or array'}`;
    }
    return { sawEntries: this.sawEntries, truncated, skeleton: this.skeletonParts && joined(this.skeletonParts) };
  }
}

function joined(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
