// The panel's captured requests: in time order and bounded. A tab left open for a day sends a
// Ping every few minutes and a Sync after each, and every record keeps its bodies; without a
// bound the panel's memory grows for as long as DevTools stays open.
import type { EasRecord } from './record';

/** How many requests the panel keeps; the oldest go first, and the list says how many went. */
export const MAX_RECORDS = 5000;

export interface RequestLog {
  /** Oldest first. */
  readonly records: readonly EasRecord[];
  /** How many of the oldest were dropped to stay within the bound (since the last clear). */
  readonly dropped: number;
}

export const EMPTY_LOG: RequestLog = { records: [], dropped: 0 };

/** Adds a record in time order (getHAR's and new requests can interleave), dropping the oldest past `max`. */
export function addRecord(log: RequestLog, record: EasRecord, max = MAX_RECORDS): RequestLog {
  const records = log.records.slice();
  let i = records.length;
  while (i > 0 && records[i - 1]!.startedAt > record.startedAt) i--;
  records.splice(i, 0, record);
  const over = Math.max(0, records.length - max);
  return { records: over > 0 ? records.slice(over) : records, dropped: log.dropped + over };
}

/** The log with one record replaced; the same log when that record was dropped meanwhile. */
export function updateRecord(log: RequestLog, id: number, update: (record: EasRecord) => EasRecord): RequestLog {
  const index = log.records.findIndex((r) => r.id === id);
  if (index < 0) return log;
  const records = log.records.slice();
  records[index] = update(records[index]!);
  return { ...log, records };
}
