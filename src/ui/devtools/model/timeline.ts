// The OWA session timeline beside the traffic: a list of typed events from two sources, merged
// by time. The panel reads the inspected tab's own traffic (440s, logon redirects, session
// cookies set and cleared, sign-in POSTs); the background's session watcher adds what happens
// outside the tab (its own sign-ins) once it reports events.
import { header, type HarEntry } from './har';

export type TimelineKind =
  | 'login-timeout'
  | 'logon-redirect'
  | 'cookie-set'
  | 'cookie-cleared'
  | 'sign-in-started'
  | 'sign-in-succeeded'
  | 'sign-in-failed';

export interface TimelineEvent {
  /** ms since the epoch. */
  at: number;
  kind: TimelineKind;
  /** Plain words: the URL path, the cookie names, the reason. */
  detail: string;
  /** OWA's `reason=` of a logon redirect or a failed sign-in. */
  reason?: number;
  /** Seen in the tab's traffic, or reported by the extension's session watcher. */
  source: 'page' | 'extension';
  /** The OWA origin the event belongs to. */
  origin: string;
}

/** OWA's logon pages (2010+ and 2003). */
const LOGON_PAGES = ['/owa/auth/logon.aspx', '/exchweb/bin/auth/owalogon.asp'];
/** Where OWA's logon forms post. */
const LOGON_POSTS = ['/owa/auth.owa', '/owa/auth/owaauth.dll', '/exchweb/bin/auth/owaauth.dll'];
/** Cookies that make up an OWA session (forms logon 2003 to SE). */
const SESSION_COOKIE = /^(cadata\w*|sessionid|x-owa-canary)$/i;

function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

function reasonOf(url: URL): number | undefined {
  const raw = url.searchParams.get('reason');
  return raw !== null && /^\d{1,3}$/.test(raw) ? Number(raw) : undefined;
}

interface CookieChange {
  name: string;
  cleared: boolean;
}

/** Session cookies set or cleared by a response's Set-Cookie headers. */
export function sessionCookieChanges(entry: HarEntry, now: number): CookieChange[] {
  const changes: CookieChange[] = [];
  for (const h of entry.response.headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    for (const line of h.value.split('\n')) {
      const [pair, ...attributes] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq < 0) continue;
      const name = pair!.slice(0, eq).trim();
      if (!SESSION_COOKIE.test(name)) continue;
      const value = pair!.slice(eq + 1).trim();
      let cleared = value === '' || value === '""';
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.split('=');
        const attributeValue = rest.join('=').trim();
        if (/^\s*max-age\s*$/i.test(key ?? '') && Number(attributeValue) <= 0) cleared = true;
        if (/^\s*expires\s*$/i.test(key ?? '')) {
          const expires = Date.parse(attributeValue);
          if (!Number.isNaN(expires) && expires <= now) cleared = true;
        }
      }
      changes.push({ name, cleared });
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
  const path = url.pathname.toLowerCase();
  const status = entry.response.status;
  const location = header(entry.response.headers, 'location') ?? entry.response.redirectURL;
  const target = location ? parseUrl(location, url.href) : undefined;
  const toLogon = target !== undefined && LOGON_PAGES.includes(target.pathname.toLowerCase());
  const events: TimelineEvent[] = [];

  if (entry.request.method === 'POST' && LOGON_POSTS.includes(path)) {
    events.push({ at, kind: 'sign-in-started', detail: url.pathname, source: 'page', origin });
    if (status >= 300 && status < 400 && toLogon) {
      const reason = reasonOf(target);
      events.push({ at: finished, kind: 'sign-in-failed', detail: target.pathname + target.search, source: 'page', origin, ...(reason !== undefined ? { reason } : {}) });
    } else if (status >= 300 && status < 400) {
      events.push({ at: finished, kind: 'sign-in-succeeded', detail: target ? target.pathname : '', source: 'page', origin });
    } else if (status >= 400) {
      events.push({ at: finished, kind: 'sign-in-failed', detail: `HTTP ${status}`, source: 'page', origin });
    }
  } else if (status === 440) {
    events.push({ at: finished, kind: 'login-timeout', detail: `${entry.request.method} ${url.pathname}`, source: 'page', origin });
  } else if (status >= 300 && status < 400 && toLogon) {
    const reason = reasonOf(target);
    events.push({ at: finished, kind: 'logon-redirect', detail: url.pathname, source: 'page', origin, ...(reason !== undefined ? { reason } : {}) });
  }

  const changes = sessionCookieChanges(entry, finished);
  const set = changes.filter((c) => !c.cleared).map((c) => c.name);
  const cleared = changes.filter((c) => c.cleared).map((c) => c.name);
  if (set.length > 0) events.push({ at: finished, kind: 'cookie-set', detail: set.join(', '), source: 'page', origin });
  if (cleared.length > 0) events.push({ at: finished, kind: 'cookie-cleared', detail: cleared.join(', '), source: 'page', origin });
  return events;
}

/** Two event lists as one, in time order, without repeats. */
export function mergeTimeline(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): TimelineEvent[] {
  const seen = new Set<string>();
  const out: TimelineEvent[] = [];
  for (const event of [...a, ...b].sort((x, y) => x.at - y.at)) {
    const key = `${event.at}|${event.kind}|${event.detail}|${event.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(event);
  }
  return out;
}

/** Whether an event is bad news for the session (shown in the warning colour). */
export function isAlarming(event: TimelineEvent): boolean {
  return event.kind === 'login-timeout' || event.kind === 'sign-in-failed' || event.kind === 'cookie-cleared' || (event.kind === 'logon-redirect' && event.reason !== 0);
}
