// Filtering the request list: by command, by status, and by text inside the decoded bodies.
import { isProblem, type EasRecord } from './record';

/** '' for all; 'problems'; 'http:449'; 'status:142'. */
export type StatusFilter = string;

export interface Filter {
  /** '' for every command. */
  command: string;
  status: StatusFilter;
  /** Text to find in the URL, command or decoded bodies (case-insensitive). */
  search: string;
}

export const NO_FILTER: Filter = { command: '', status: '', search: '' };

export function matchesStatus(record: EasRecord, status: StatusFilter): boolean {
  if (status === '') return true;
  if (status === 'problems') return isProblem(record);
  const [kind, value] = status.split(':');
  if (kind === 'http') return String(record.httpStatus) === value;
  if (kind === 'status') return record.protocolStatus !== undefined && String(record.protocolStatus.code) === value;
  return true;
}

/**
 * The records that pass the filter. `bodyText` gives the lower-cased decoded text of a record's
 * bodies; it is only called when the cheaper tests pass and there is text to search for.
 */
export function filterRecords(records: readonly EasRecord[], filter: Filter, bodyText: (record: EasRecord) => string): EasRecord[] {
  const needle = filter.search.trim().toLowerCase();
  return records.filter((record) => {
    if (filter.command !== '' && record.command !== filter.command) return false;
    if (!matchesStatus(record, filter.status)) return false;
    if (needle === '') return true;
    if (record.url.toLowerCase().includes(needle) || record.command.toLowerCase().includes(needle)) return true;
    return bodyText(record).includes(needle);
  });
}

export interface FilterChoices {
  commands: string[];
  httpStatuses: number[];
  protocolStatuses: number[];
}

/** The commands and statuses seen so far, for the filter menus. */
export function filterChoices(records: readonly EasRecord[]): FilterChoices {
  const commands = new Set<string>();
  const http = new Set<number>();
  const protocol = new Set<number>();
  for (const record of records) {
    commands.add(record.command);
    http.add(record.httpStatus);
    if (record.protocolStatus) protocol.add(record.protocolStatus.code);
  }
  const byNumber = (a: number, b: number): number => a - b;
  return { commands: [...commands].sort(), httpStatuses: [...http].sort(byNumber), protocolStatuses: [...protocol].sort(byNumber) };
}

/**
 * Where rows come from: '' for every source; 'tab' for the inspected tab's own traffic;
 * 'extension' for the extension's own runs; 'file:NAME' for one capture file.
 */
export type SourceFilter = string;

/** A record's source as a SourceFilter value. */
export function sourceOf(record: EasRecord): SourceFilter {
  const source = record.source;
  if (!source) return 'tab';
  return source.kind === 'extension' ? 'extension' : `file:${source.file}`;
}

export function matchesSource(record: EasRecord, source: SourceFilter): boolean {
  return source === '' || sourceOf(record) === source;
}

/** The sources present, the tab first, then the extension, then the files in the order first seen. */
export function sourceChoices(records: readonly EasRecord[]): SourceFilter[] {
  const seen = new Set<SourceFilter>();
  for (const record of records) seen.add(sourceOf(record));
  const rank = (s: SourceFilter): number => (s === 'tab' ? 0 : s === 'extension' ? 1 : 2);
  return [...seen].sort((a, b) => rank(a) - rank(b));
}
