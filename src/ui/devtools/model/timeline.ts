// The OWA session timeline beside the traffic. For an origin OWA Inspector watches, the
// background keeps the timeline (src/background/timeline.ts, TIMELINE_PORT) and the panel shows
// it: it holds what DevTools never sees (the extension's own sign-ins, made from its worker;
// cookies seen through the cookies API; the expiry estimate) and what happened before DevTools
// was opened. The tab's own traffic is read too, in the same vocabulary (the protocol's
// TimelineKind, the words of src/owa/labels.ts): it is the whole timeline of an origin the
// extension does not watch, and for a watched one it adds only what the background did not
// record (traffic from before the site was watched, or while its host permission was taken back).
import type { TimelineEvent, TimelineKind } from '../../../messages/protocol';
import { classifyUrl, isSessionCookie, parseSetCookie } from '../../../owa/detection';
import { cookieWords, formsUnavailableWords, reasonWords, TIMELINE_WORDS } from '../../../owa/labels';
import { normalizeOrigin } from '../../../owa/origin';
import { msg, sameWords, type Words } from '../../../shared/words';
import { COOKIE_KINDS } from '../../shared/timeline-rows';
import { header, type HarEntry } from './har';

/** A session event read from the inspected tab's traffic, of the origin of its request. */
export interface PageEvent extends TimelineEvent {
  origin: string;
}

/** A row of the panel's timeline, with where it came from. */
export interface ShownEvent extends TimelineEvent {
  /** The background's timeline of a watched origin, or only this tab's traffic. */
  source: 'extension' | 'page';
}

function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/** OWA session cookies set or cleared by a response's Set-Cookie headers. */
function sessionCookieChanges(entry: HarEntry): Array<{ name: string; cleared: boolean }> {
  const changes: Array<{ name: string; cleared: boolean }> = [];
  for (const h of entry.response.headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    // Chrome's HAR may join several Set-Cookie headers with newlines.
    for (const line of h.value.split('\n')) {
      const parsed = parseSetCookie(line);
      if (parsed && isSessionCookie(parsed.name)) changes.push(parsed);
    }
  }
  return changes;
}

/**
 * Session events in one HAR entry of the inspected tab, read as the background reads the same
 * request (src/background/observations.ts): a logon POST, a logoff, a 440, a redirect to the
 * logon page (with its reason) or to a sign-in the extension cannot do, session cookies by name.
 */
export function timelineFromEntry(entry: HarEntry): PageEvent[] {
  const origin = normalizeOrigin(entry.request.url);
  if (!origin) return [];
  const url = entry.request.url;
  const started = Date.parse(entry.startedDateTime);
  const at = Number.isNaN(started) ? 0 : started;
  const finished = at + Math.max(0, entry.time);
  const status = entry.response.status;
  const meaning = classifyUrl(url);
  const events: PageEvent[] = [];
  const add = (when: number, kind: TimelineKind, detail: Words, extra: { reason?: number } = {}): void => {
    events.push({ at: when, kind, detail, url, origin, ...extra });
  };

  if (entry.request.method === 'POST' && meaning.kind === 'logon-post') {
    add(at, 'logon-post', status >= 400 ? msg('bg_timeline_logon_post_status', status) : TIMELINE_WORDS.logonPost);
  }
  if (meaning.kind === 'logoff') add(at, 'logoff', TIMELINE_WORDS.logoff);
  if (status === 440) add(finished, '440', TIMELINE_WORDS.loginTimeout);
  const location = status >= 300 && status < 400 ? header(entry.response.headers, 'location') || entry.response.redirectURL : '';
  const target = location ? parseUrl(location, url) : undefined;
  if (target) {
    const to = classifyUrl(target.href);
    if (to.kind === 'logon-page' && target.origin === origin) {
      add(finished, 'logon-redirect', reasonWords(to.reason), to.reason !== null ? { reason: to.reason } : {});
    } else if (to.kind === 'forms-unavailable') {
      add(finished, 'forms-unavailable', formsUnavailableWords(to.why));
    }
  }
  // Names only, in lower case, as the background words them: a cookie's value is a secret.
  for (const change of sessionCookieChanges(entry)) add(finished, change.cleared ? 'cookie-cleared' : 'cookie-set', cookieWords(change.name));
  return events;
}

/** How many of the tab's events the panel keeps (the background keeps its own, bounded). */
export const PAGE_EVENT_LIMIT = 500;

/** The tab's events with new ones added, in time order, without exact repeats (the HAR log is read again). */
export function addPageEvents(old: readonly PageEvent[], fresh: readonly PageEvent[]): PageEvent[] {
  const key = (e: PageEvent): string => `${e.at}|${e.kind}|${JSON.stringify(e.detail ?? null)}|${e.url ?? ''}`;
  const seen = new Set(old.map(key));
  const added = fresh.filter((e) => {
    const k = key(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (added.length === 0) return old as PageEvent[];
  const all = [...old, ...added].sort((a, b) => a.at - b.at);
  return all.length > PAGE_EVENT_LIMIT ? all.slice(all.length - PAGE_EVENT_LIMIT) : all;
}

/**
 * How far apart (ms) the background and the tab's traffic may see the same thing: the worker
 * stamps a response when its headers arrive, DevTools when the entry finishes.
 */
export const SAME_TIME_MS = 3000;

function sameNews(page: TimelineEvent, background: TimelineEvent): boolean {
  if (page.kind !== background.kind || Math.abs(page.at - background.at) > SAME_TIME_MS) return false;
  // One event per cookie on both sides: the same cookie, not any cookie.
  return !COOKIE_KINDS.has(page.kind) || sameWords(page.detail, background.detail);
}

/**
 * One origin's timeline, in time order: the background's events, and those of the tab's that
 * the background has no event for (same kind, within SAME_TIME_MS; each background event
 * stands for one of the tab's at most, so two 440s a second apart stay two).
 */
export function originTimeline(background: readonly TimelineEvent[], page: readonly TimelineEvent[]): ShownEvent[] {
  const used = new Set<number>();
  const shown: ShownEvent[] = background.map((e) => ({ ...e, source: 'extension' }));
  for (const event of page) {
    const match = background.findIndex((b, i) => !used.has(i) && sameNews(event, b));
    if (match >= 0) used.add(match);
    else
      shown.push({
        at: event.at,
        kind: event.kind,
        detail: event.detail,
        ...(event.url ? { url: event.url } : {}),
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        source: 'page',
      });
  }
  // Stable: at the same moment the background's event comes first.
  return shown.sort((a, b) => a.at - b.at);
}

/** Whether an event is bad news for the session (shown in the warning colour). */
export function isAlarming(event: TimelineEvent): boolean {
  switch (event.kind) {
    case '440':
    case 'sign-in-failed':
    case 'cookie-cleared':
    case 'expired-estimate':
    case 'forms-unavailable':
      return true;
    case 'logon-redirect':
      // reason=0 is OWA's plain "please sign in"; without a reason nothing is known.
      return event.reason !== undefined && event.reason !== 0;
    default:
      return false;
  }
}
