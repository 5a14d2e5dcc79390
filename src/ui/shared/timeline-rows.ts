// Rows of a session timeline as the popup and the DevTools panel show them, both in time order:
// one moment's cookies on one row, and a burst of the same event (a refused password retried
// by the page every few seconds) on one row with its count.
import type { TimelineEvent, TimelineKind } from '../../messages/protocol';
import { cookieWords } from '../../owa/labels';
import { sameWords, type Words } from '../../shared/words';

export const COOKIE_KINDS: ReadonlySet<TimelineKind> = new Set(['cookie-set', 'cookie-cleared']);

/** How close (ms) to the first of them cookie events must be to share a row. */
const ONE_RESPONSE_MS = 1000;

/**
 * The background records one event per cookie (five to seven for one OWA sign-in, some through
 * Set-Cookie and some through the cookies API, with the sign-in's own event between them); the
 * timelines (the panel's narrow column, the popup's card) show the cookies set (or cleared) within a second on one row, at the
 * time of the first: "cadata, cadatakey, …". Cookies cleared in between start a new row.
 */
export function groupCookies<T extends TimelineEvent & { source?: string }>(events: readonly T[]): T[] {
  const rows: T[] = [];
  for (const event of events) {
    if (COOKIE_KINDS.has(event.kind)) {
      // The latest cookie row of the same source: a clearing ends a row of settings, and back.
      const i = rows.findLastIndex((r) => COOKIE_KINDS.has(r.kind) && r.source === event.source);
      if (i >= 0 && rows[i]!.kind === event.kind && event.at - rows[i]!.at <= ONE_RESPONSE_MS) {
        const names = cookieNames(rows[i]!.detail);
        const name = cookieNames(event.detail)?.[0];
        if (names && name !== undefined) {
          if (!names.includes(name)) rows[i] = { ...rows[i]!, detail: cookieWords([...names, name].join(', ')) };
          continue;
        }
      }
    }
    rows.push(event);
  }
  return rows;
}

/** The cookie names of a plain cookie entry ("cadata, uc"); undefined for other words (a cookie put back). */
function cookieNames(detail: Words | undefined): string[] | undefined {
  const name = detail?.key === 'bg_cookie' ? detail.subs?.[0] : undefined;
  return typeof name === 'string' ? name.split(', ') : undefined;
}

/** How long a burst of the same event may last to share one row. */
const REPEAT_WINDOW_MS = 60_000;

/** A row standing for several events: how many, and when the last was. */
export interface Repeat {
  count: number;
  lastAt: number;
}

/**
 * The same event again and again (same kind, words, path and source, one after the other,
 * within a minute of the row's first) is one row with its count: "… ×12 in 1 min" instead of a
 * screenful of rows. An event of another kind in between starts a new row.
 */
export function collapseRepeats<T extends TimelineEvent & { source?: string }>(events: readonly T[]): Array<T & { repeat?: Repeat }> {
  const rows: Array<T & { repeat?: Repeat }> = [];
  for (const event of events) {
    const last = rows.at(-1);
    if (
      last &&
      last.kind === event.kind &&
      last.source === event.source &&
      sameWords(last.detail, event.detail) &&
      pathOrNone(last.url) === pathOrNone(event.url) &&
      event.at - last.at <= REPEAT_WINDOW_MS
    ) {
      last.repeat = { count: (last.repeat?.count ?? 1) + 1, lastAt: event.at };
      continue;
    }
    rows.push({ ...event });
  }
  return rows;
}

const pathOrNone = (url: string | undefined) => (url === undefined ? undefined : pathOf(url));

/** A timeline URL as the rows show it: its path (the whole text when it is not a URL). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
