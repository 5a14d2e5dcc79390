// The session timeline of each watched origin: what the browser showed (440s, logon redirects,
// session cookies set and cleared, logoffs) and what we did (sign-ins and their outcome).
// `timelineEntries` maps an observation to entries (pure); `TimelineLog` keeps the last
// TIMELINE_LIMIT per origin in storage.session, one key per origin so a write touches one list.
import { TIMELINE_LIMIT, type TimelineEvent } from '../messages/protocol';
import { cookieWords, formsUnavailableWords, reasonWords, TIMELINE_WORDS } from '../owa/labels';
import { isLive, type SessionEvent, type SessionState } from '../owa/session-model';
import { isRecord } from '../shared/is-record';
import { literal, readWords, sameWords } from '../shared/words';
import { Serial, type StorageArea } from './storage';

/**
 * The same news seen twice within this time is one entry: a cookie through Set-Cookie and through
 * the cookies API, a logoff on send and on completion, a redirect to the logon page and the
 * logon page it loads.
 */
export const DEDUPE_MS = 2_000;
const MAX_URL = 500;

function withUrl(entry: TimelineEvent, url: string | undefined): TimelineEvent {
  return url ? { ...entry, url: url.length > MAX_URL ? `${url.slice(0, MAX_URL)}…` : url } : entry;
}

/** The timeline entries one session event gives, judged by the state before and after it. */
export function timelineEntries(event: SessionEvent, before: SessionState, after: SessionState, url?: string): TimelineEvent[] {
  const at = event.at;
  switch (event.type) {
    case 'login-timeout':
      return [withUrl({ at, kind: '440', detail: TIMELINE_WORDS.loginTimeout }, url)];
    case 'logon-redirect':
      return [withUrl({ at, kind: 'logon-redirect', detail: reasonWords(event.reason), ...(event.reason !== null ? { reason: event.reason } : {}) }, url)];
    case 'logon-post':
      return [withUrl({ at, kind: 'logon-post', detail: TIMELINE_WORDS.logonPost }, url)];
    case 'cookie-set':
      // Names only: a cookie's value is a session secret.
      return [withUrl({ at, kind: 'cookie-set', detail: cookieWords(event.name) }, url)];
    case 'cookie-cleared':
      if (!before.cookies.includes(event.name.toLowerCase())) return [];
      return [withUrl({ at, kind: 'cookie-cleared', detail: cookieWords(event.name) }, url)];
    case 'logoff':
      return [withUrl({ at, kind: 'logoff', detail: TIMELINE_WORDS.logoff }, url)];
    case 'forms-unavailable':
      return before.status === 'forms-unavailable' ? [] : [withUrl({ at, kind: 'forms-unavailable', detail: formsUnavailableWords(event.why) }, url)];
    case 'tick':
      return isLive(before) && after.status === 'expired' ? [{ at, kind: 'expired-estimate', detail: TIMELINE_WORDS.expiredEstimate }] : [];
    default:
      return [];
  }
}

/**
 * Whether an entry repeats recent news: the latest entry about the same thing (the same detail,
 * within DEDUPE_MS) is of the same kind. The URL does not count: the cookies API names no
 * request, and a redirect to the logon page and the logon page it loads name two. A cookie set,
 * cleared and set again (a sign-in right after a 440) is three entries.
 */
function repeats(log: readonly TimelineEvent[], entry: TimelineEvent): boolean {
  const latest = log.slice(-16).findLast((old) => sameWords(old.detail, entry.detail) && Math.abs(old.at - entry.at) <= DEDUPE_MS);
  return latest?.kind === entry.kind;
}

/** Appends, dropping repeats of a recent entry, and keeps the newest `limit`. */
export function appendEntries(log: readonly TimelineEvent[], entries: readonly TimelineEvent[], limit = TIMELINE_LIMIT): TimelineEvent[] {
  const next = [...log];
  for (const entry of entries) {
    if (repeats(next, entry)) continue;
    next.push(entry);
  }
  return next.length > limit ? next.slice(next.length - limit) : next;
}

export const TIMELINE_KEY_PREFIX = 'timeline:';

/**
 * A stored entry read back, or null. Entries of an earlier version carry their detail as English
 * text: it shows as is (a literal), as it did.
 */
export function readTimelineEvent(value: unknown): TimelineEvent | null {
  if (!isRecord(value) || typeof value.at !== 'number' || typeof value.kind !== 'string') return null;
  const { detail, ...rest } = value;
  const words = typeof detail === 'string' ? (detail ? literal(detail) : undefined) : detail === undefined ? undefined : readWords(detail);
  if (words === null) return null;
  return { ...(rest as Omit<TimelineEvent, 'detail'>), ...(words ? { detail: words } : {}) };
}

export class TimelineLog {
  private logs = new Map<string, TimelineEvent[]>();
  private dirty = new Set<string>();
  private readonly writes = new Serial();
  private pending: Promise<void> = Promise.resolve();
  private listeners = new Set<(origin: string, events: readonly TimelineEvent[]) => void>();

  constructor(
    private readonly area: StorageArea,
    private readonly limit = TIMELINE_LIMIT,
  ) {}

  /** Reads the logs of the watched origins (a restarted worker keeps its timeline). */
  async load(origins: readonly string[]): Promise<void> {
    if (!origins.length) return;
    const stored = await this.area.get(origins.map((o) => TIMELINE_KEY_PREFIX + o));
    for (const origin of origins) {
      const value = stored[TIMELINE_KEY_PREFIX + origin];
      if (Array.isArray(value))
        this.logs.set(
          origin,
          value
            .map(readTimelineEvent)
            .filter((e) => e !== null)
            .slice(-this.limit),
        );
    }
  }

  events(origin: string): TimelineEvent[] {
    return [...(this.logs.get(origin) ?? [])];
  }

  onChange(listener: (origin: string, events: readonly TimelineEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds entries in memory at once (so pages see them) and writes each changed origin once per batch. */
  append(origin: string, entries: readonly TimelineEvent[]): Promise<void> {
    if (!entries.length) return this.pending;
    const before = this.logs.get(origin) ?? [];
    const after = appendEntries(before, entries, this.limit);
    if (after.length === before.length && after.at(-1) === before.at(-1)) return this.pending;
    this.logs.set(origin, after);
    for (const listener of this.listeners) listener(origin, after);
    return this.schedule(origin);
  }

  /** Resolves when every change so far is on storage. */
  flushed(): Promise<void> {
    return this.pending;
  }

  /** Forgets an origin's timeline (it is no longer watched). */
  clear(origin: string): Promise<void> {
    if (!this.logs.has(origin)) return this.pending;
    this.logs.delete(origin);
    for (const listener of this.listeners) listener(origin, []);
    return this.schedule(origin);
  }

  private schedule(origin: string): Promise<void> {
    const first = this.dirty.size === 0;
    this.dirty.add(origin);
    if (first) {
      // One write per batch: every origin changed until it runs goes in it.
      this.pending = this.writes.run(async () => {
        const items: Record<string, unknown> = {};
        for (const o of this.dirty) items[TIMELINE_KEY_PREFIX + o] = this.logs.get(o) ?? [];
        this.dirty.clear();
        // The timeline is a record for the user, kept in memory for the pages: a failed write loses nothing they see.
        await this.area.set(items).catch(() => undefined);
      });
    }
    return this.pending;
  }
}
