// Searching inside decoded bodies without freezing the page: bodies are decoded (and their text
// cached) only when searched, in slices of a few milliseconds with a yield to the event loop in
// between, so typing, scrolling and the Cancel button keep working over 20,000 exchanges.
import type { EasRecord } from './record';
import { giveBack } from './yield';

export interface SearchProgress {
  /** Records looked at so far. */
  done: number;
  total: number;
  /** Ids of the records that matched so far. */
  matches: ReadonlySet<number>;
}

export interface SearchOptions {
  signal?: AbortSignal;
  /** Called after every slice, and once at the end. */
  onProgress?: (progress: SearchProgress) => void;
  /** How long one slice may run before the page gets the event loop back. */
  sliceMs?: number;
  now?: () => number;
  /** Gives the event loop back; a macrotask, so that input and paint come first. */
  pause?: () => Promise<void>;
}

/** Whether a record's URL or command holds the (lower-cased) needle: no decoding needed. */
function cheapMatch(record: EasRecord, needle: string): boolean {
  return (
    record.url.toLowerCase().includes(needle) || record.command.toLowerCase().includes(needle) || (record.source?.kind === 'capture' && record.source.file.toLowerCase().includes(needle))
  );
}

/**
 * The ids of the records whose URL, command, file name or decoded bodies hold `needle`
 * (case-insensitive). `bodyText` gives a record's lower-cased body text (decoding it when not
 * cached). Rejects with the signal's reason when cancelled; `onProgress` has had the matches
 * found until then.
 */
export async function searchBodies(records: readonly EasRecord[], needle: string, bodyText: (record: EasRecord) => string, options: SearchOptions = {}): Promise<ReadonlySet<number>> {
  const { signal, onProgress, sliceMs = 12, now = () => performance.now(), pause = giveBack } = options;
  const lower = needle.trim().toLowerCase();
  const matches = new Set<number>();
  if (lower === '') {
    for (const record of records) matches.add(record.id);
    onProgress?.({ done: records.length, total: records.length, matches });
    return matches;
  }
  let sliceStart = now();
  for (let i = 0; i < records.length; i++) {
    signal?.throwIfAborted();
    const record = records[i]!;
    if (cheapMatch(record, lower) || bodyText(record).includes(lower)) matches.add(record.id);
    if (now() - sliceStart >= sliceMs) {
      onProgress?.({ done: i + 1, total: records.length, matches: new Set(matches) });
      await pause();
      sliceStart = now();
    }
  }
  signal?.throwIfAborted();
  onProgress?.({ done: records.length, total: records.length, matches });
  return matches;
}
