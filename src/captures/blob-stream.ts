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

/** The Blob's bytes, chunk by chunk (whatever size the platform's stream gives). */
export async function* blobChunks(blob: Blob, options: ReadOptions): AsyncGenerator<Uint8Array> {
  const progress = new Progress(blob.size, options);
  const reader = blob.stream().getReader();
  let read = 0;
  try {
    for (;;) {
      progress.at(read);
      const { done, value } = await reader.read();
      if (done) break;
      read += value.length;
      yield value;
    }
    progress.at(read, true);
  } finally {
    // An early return (a damaged file, the caller's abort) must not leave the file open.
    await reader.cancel().catch(() => undefined);
  }
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
  if (rest !== '') yield { line: rest, number: ++number };
}
