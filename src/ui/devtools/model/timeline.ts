// The OWA session timeline beside the traffic: a list of typed events from two sources, merged
// by time. The panel reads the inspected tab's own traffic (440s, logon redirects, session
// cookies set and cleared, sign-in POSTs) with the URL and cookie readings of src/owa; the
// background's session watcher adds what happens outside the tab, such as its own sign-ins
// (session-events.ts).
import { classifyUrl, isSessionCookie, parseSetCookie } from '../../../owa/detection';
import type { SignInFailure } from '../../../owa/session-model';
import { header, type HarEntry } from './har';

export type TimelineKind =
  | 'login-timeout'
  | 'logon-redirect'
  | 'cookie-set'
  | 'cookie-cleared'
  | 'sign-in-started'
  | 'sign-in-succeeded'
  | 'sign-in-failed'
  /** The watcher found the session over (by a 440, a logon redirect, its cookies or its estimate). */
  | 'session-expired';

export interface TimelineEvent {
  /** ms since the epoch. */
  at: number;
  kind: TimelineKind;
  /** Plain words: the URL path, the cookie names, the reason. */
  detail: string;
  /** OWA's `reason=` of a logon redirect or a failed sign-in. */
  reason?: number;
  /** Why the watcher's own sign-in failed. */
  failure?: SignInFailure;
  /** Seen in the tab's traffic, or reported by the extension's session watcher. */
  source: 'page' | 'extension';
  /** The OWA origin the event belongs to. */
  origin: string;
}

function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

interface CookieChange {
  name: string;
  cleared: boolean;
}

/** OWA session cookies set or cleared by a response's Set-Cookie headers. */
export function sessionCookieChanges(entry: HarEntry): CookieChange[] {
  const changes: CookieChange[] = [];
  for (const h of entry.response.headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    for (const line of h.value.split('\n')) {
      const parsed = parseSetCookie(line);
      if (parsed && isSessionCookie(parsed.name)) changes.push(parsed);
    }
  }
  return changes;
}

/** What a reason code on OWA's logon page means. */
export function reasonKey(reason: number | undefined): string {
  switch (reason) {
    case 0:
      return 'panel_reason_0';
    case 1:
      return 'panel_reason_1';
    case 2:
      return 'panel_reason_2';
    case 3:
      return 'panel_reason_3';
    case 4:
      return 'panel_reason_4';
    case 5:
    case 6:
      return 'panel_reason_5';
    default:
      return 'panel_reason_unknown';
  }
}

/** Session events in one HAR entry of the inspected tab (of the entry's own origin). */
export function timelineFromEntry(entry: HarEntry): TimelineEvent[] {
  const url = parseUrl(entry.request.url);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return [];
  const origin = url.origin;
  const started = Date.parse(entry.startedDateTime);
  const at = Number.isNaN(started) ? 0 : started;
  const finished = at + Math.max(0, entry.time);
  const status = entry.response.status;
  const location = header(entry.response.headers, 'location') || entry.response.redirectURL;
  const target = location ? parseUrl(location, url.href) : undefined;
  const meaning = classifyUrl(url.href);
  const targetMeaning = target ? classifyUrl(target.href) : undefined;
  // A redirect to a sign-in page: OWA's logon page, or AD FS, Entra ID, TMG.
  const toSignIn = targetMeaning !== undefined && (targetMeaning.kind === 'logon-page' || targetMeaning.kind === 'forms-unavailable');
  const reason = targetMeaning?.kind === 'logon-page' && targetMeaning.reason !== null ? { reason: targetMeaning.reason } : {};
  const events: TimelineEvent[] = [];

  if (entry.request.method === 'POST' && meaning.kind === 'logon-post') {
    events.push({ at, kind: 'sign-in-started', detail: url.pathname, source: 'page', origin });
    if (status >= 300 && status < 400 && toSignIn && target) {
      events.push({ at: finished, kind: 'sign-in-failed', detail: target.pathname + target.search, source: 'page', origin, ...reason });
    } else if (status >= 300 && status < 400) {
      events.push({ at: finished, kind: 'sign-in-succeeded', detail: target ? target.pathname : '', source: 'page', origin });
    } else if (status >= 400) {
      events.push({ at: finished, kind: 'sign-in-failed', detail: `HTTP ${status}`, source: 'page', origin });
    }
  } else if (status === 440) {
    events.push({ at: finished, kind: 'login-timeout', detail: `${entry.request.method} ${url.pathname}`, source: 'page', origin });
  } else if (status >= 300 && status < 400 && toSignIn) {
    events.push({ at: finished, kind: 'logon-redirect', detail: url.pathname, source: 'page', origin, ...reason });
  }

  const changes = sessionCookieChanges(entry);
  const set = changes.filter((c) => !c.cleared).map((c) => c.name);
  const cleared = changes.filter((c) => c.cleared).map((c) => c.name);
  if (set.length > 0) events.push({ at: finished, kind: 'cookie-set', detail: set.join(', '), source: 'page', origin });
  if (cleared.length > 0) events.push({ at: finished, kind: 'cookie-cleared', detail: cleared.join(', '), source: 'page', origin });
  return events;
}

/** Page events that say what a watcher event says, so the watcher's is not shown twice. */
const SAME_NEWS: Partial<Record<TimelineKind, readonly TimelineKind[]>> = {
  'cookie-set': ['cookie-set'],
  'cookie-cleared': ['cookie-cleared'],
  'session-expired': ['login-timeout', 'logon-redirect'],
};
/** How far apart (ms) the two sources may see the same change. */
const SAME_TIME = 3000;

/**
 * Two event lists as one, in time order, without repeats. A watcher event is left out when the
 * page's traffic showed the same change at about the same time.
 */
export function mergeTimeline(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): TimelineEvent[] {
  const seen = new Set<string>();
  const all = [...a, ...b].sort((x, y) => x.at - y.at);
  const pageEvents = all.filter((e) => e.source === 'page');
  const out: TimelineEvent[] = [];
  for (const event of all) {
    const key = `${event.at}|${event.kind}|${event.detail}|${event.source}|${event.reason ?? ''}|${event.failure ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const same = SAME_NEWS[event.kind];
    if (event.source === 'extension' && same && pageEvents.some((p) => p.origin === event.origin && same.includes(p.kind) && Math.abs(p.at - event.at) <= SAME_TIME)) {
      continue;
    }
    out.push(event);
  }
  return out;
}

/** Whether an event is bad news for the session (shown in the warning colour). */
export function isAlarming(event: TimelineEvent): boolean {
  if (event.kind === 'logon-redirect') return event.reason !== 0 && event.reason !== undefined;
  return event.kind === 'login-timeout' || event.kind === 'sign-in-failed' || event.kind === 'cookie-cleared' || event.kind === 'session-expired';
}
