// Reading a Blob in pieces, as the browser's File and Node's fs.openAsBlob both allow, with the
// caller's AbortSignal and progress callback honoured between pieces.
import type { ReadOptions } from './types.js';

/** Calls onProgress at most this often (bytes) so a progress bar does not cost more than the reading. */
const PROGRESS_STEP = 4 * 1024 * 1024;

export class Progress {
  private reported = 0;
  constructor(
    private readonly total: number,
    private readonly options: ReadOptions,
  ) {}

  /** Throws the signal's reason when the caller gave up; reports progress now and then. */
  at(bytes: number, final = false): void {
    this.options.signal?.throwIfAborted();
    if (this.options.onProgress && (final || bytes - this.reported >= PROGRESS_STEP)) {
      this.reported = bytes;
      this.options.onProgress(bytes, this.total);
    }
  }
}

/**
 * Bytes read at a time. Blob streams hand out 64 kB pieces in Node (a wait per piece); slices of
 * a few MB, the next one read while the current one is handled, keep the reader busy instead.
 */
const SLICE = 4 * 1024 * 1024;

/** The Blob's bytes, slice by slice, in order. */
export async function* blobChunks(blob: Blob, options: ReadOptions, slice = SLICE): AsyncGenerator<Uint8Array> {
  const progress = new Progress(blob.size, options);
  const read = (start: number): Promise<Uint8Array> => readRange(blob, start, start + slice);
  let next = blob.size > 0 ? read(0) : undefined;
  for (let start = 0; next !== undefined; start += slice) {
    progress.at(start);
    const chunk = await next;
    next = start + slice < blob.size ? read(start + slice) : undefined;
    if (chunk.length > 0) yield chunk;
  }
  progress.at(blob.size, true);
}

/** Bytes `start` to `end` of the Blob (fewer when the Blob is shorter). */
export async function readRange(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/** Longest line kept whole; a longer one is handed over in pieces of this size. */
const MAX_LINE_CHARS = 128 * 1024 * 1024;

/** The lines of a text Blob (UTF-8, any line ending), each with its 1-based number. */
export async function* blobLines(blob: Blob, options: ReadOptions): AsyncGenerator<{ line: string; number: number }> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let number = 0;
  for await (const chunk of blobChunks(blob, options)) {
    const text = carry + decoder.decode(chunk, { stream: true });
    const lines = text.split(/\r?\n/);
    carry = lines.pop() ?? '';
    for (const line of lines) yield { line, number: ++number };
    // A file without line ends must not grow one string without bound: cut it.
    if (carry.length > MAX_LINE_CHARS) {
      yield { line: carry, number: ++number };
      carry = '';
    }
  }
  const rest = carry + decoder.decode();
  if (rest !== '') yield { line: rest, number: number + 1 };
}
