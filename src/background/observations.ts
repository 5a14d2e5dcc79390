// Turns webRequest and cookies events into session events. Pure: the details objects are
// plain data, so the mapping is unit-tested without a browser.
import { classifyUrl, countsAsActivity, isSessionCookie, parseSetCookie } from '../owa/detection';
import { generationFromUrl } from '../owa/generation';
import { normalizeOrigin } from '../owa/origin';
import { computerChoiceOfPost, type ComputerChoice } from '../owa/logon-form';
import type { Observation } from './deps';

export interface RequestDetails {
  requestId: string;
  url: string;
  method: string;
  type: string;
  tabId: number;
  timeStamp: number;
  initiator?: string;
  originUrl?: string;
  statusCode?: number;
  redirectUrl?: string;
  responseHeaders?: Array<{ name: string; value?: string }>;
  requestHeaders?: Array<{ name: string; value?: string }>;
}

/** Our own sign-in requests: handled by the sign-in code, not observed as the user's. */
export function isOwnRequest(details: RequestDetails, extensionOrigin: string): boolean {
  if (details.tabId !== -1) return false;
  const from = details.initiator ?? details.originUrl ?? '';
  return from.startsWith(extensionOrigin);
}

/**
 * Whether a request chain was started by the watched origin itself (its pages, their scripts,
 * their frames) or by the user (typed, a bookmark, a reload), and not by another site. Only
 * such chains may say that the session timed out or that forms logon is unavailable: any site
 * can navigate a tab to `…/logon.aspx?reason=3`, frame `…/adfs/…`, or send a request without
 * the session's (SameSite) cookies that the server answers with 440. `initiator` (Chromium)
 * and `originUrl` (Firefox) stay those of the chain's first request across redirects, as does
 * `Sec-Fetch-Site`, which says cross-site once any hop was.
 */
export function startedByOriginOrUser(details: Pick<RequestDetails, 'initiator' | 'originUrl'>, origin: string, secFetchSite: string | undefined): boolean {
  const site = secFetchSite?.toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return false;
  const from = details.initiator ?? details.originUrl;
  // No initiator: the browser itself started it (address bar, bookmark, reload, session restore).
  if (from === undefined) return true;
  return normalizeOrigin(from) === origin;
}

/** The request's `Sec-Fetch-Site` header, if the browser showed it. */
export function secFetchSiteOf(details: Pick<RequestDetails, 'requestHeaders'>): string | undefined {
  return details.requestHeaders?.find((h) => h.name.toLowerCase() === 'sec-fetch-site')?.value;
}

/** Each Set-Cookie line of a response as webRequest shows it (Firefox joins several with newlines). */
export function setCookieLines(headers: ReadonlyArray<{ name: string; value?: string }>): string[] {
  return headers.filter((h) => h.name.toLowerCase() === 'set-cookie' && h.value).flatMap((h) => h.value!.split('\n'));
}

function setCookieObservations(origin: string, details: RequestDetails, at: number): Observation[] {
  const out: Observation[] = [];
  for (const line of setCookieLines(details.responseHeaders ?? [])) {
    const cookie = parseSetCookie(line);
    if (!cookie || !isSessionCookie(cookie.name)) continue;
    out.push({
      origin,
      tabId: details.tabId,
      url: details.url,
      event: cookie.cleared ? { type: 'cookie-cleared', name: cookie.name, expired: true, at } : { type: 'cookie-set', name: cookie.name, at },
    });
  }
  return out;
}

/**
 * onHeadersReceived: 440 Login Timeout, and the session cookies a response sets or clears.
 * `trusted`: see startedByOriginOrUser; a 440 to another site's request is not a timeout.
 */
export function fromHeadersReceived(details: RequestDetails, at: number, trusted: boolean): Observation[] {
  const origin = normalizeOrigin(details.url);
  if (!origin) return [];
  const out = setCookieObservations(origin, details, at);
  if (details.statusCode === 440 && trusted) out.push({ origin, tabId: details.tabId, url: details.url, event: { type: 'login-timeout', at } });
  return out;
}

/**
 * onBeforeRedirect: to the logon page (with its reason), to AD FS / Entra ID, away from a logon
 * POST. `computer`: the public/private choice that POST carried (read in onBeforeRequest), kept
 * only where the site's own page or the user sent it: another site's form must not set it.
 */
export function fromRedirect(details: RequestDetails, at: number, trusted: boolean, computer: ComputerChoice | null = null): Observation[] {
  const origin = normalizeOrigin(details.url);
  if (!origin || !details.redirectUrl) return [];
  const out = setCookieObservations(origin, details, at);
  const target = classifyUrl(details.redirectUrl);
  const source = classifyUrl(details.url);
  if (source.kind === 'logon-post') {
    const chosen = trusted && computer ? { computer } : {};
    out.push({ origin, tabId: details.tabId, url: details.url, event: { type: 'logon-post', generation: source.generation, at, ...chosen } });
  }
  if (!trusted) return out;
  if (target.kind === 'logon-page' && normalizeOrigin(details.redirectUrl) === origin) {
    const generation = target.generation !== 'unknown' ? target.generation : generationFromUrl(details.url);
    out.push({ origin, tabId: details.tabId, url: details.url, event: { type: 'logon-redirect', reason: target.reason, generation, logonUrl: details.redirectUrl, at } });
  } else if (target.kind === 'forms-unavailable') {
    out.push({ origin, tabId: details.tabId, url: details.url, event: { type: 'forms-unavailable', why: target.why, at } });
  }
  return out;
}

/** onCompleted: user activity, logoff, a logon page opened directly, a TMG or plain-HTTP logon page. */
export function fromCompleted(details: RequestDetails, counted: boolean, at: number, trusted: boolean): Observation[] {
  const origin = normalizeOrigin(details.url);
  if (!origin) return [];
  const meaning = classifyUrl(details.url);
  const status = details.statusCode ?? 0;
  if (!trusted && (meaning.kind === 'forms-unavailable' || meaning.kind === 'logon-page')) return [];
  if (meaning.kind === 'forms-unavailable' && (details.type === 'main_frame' || details.type === 'sub_frame')) {
    return [{ origin, tabId: details.tabId, url: details.url, event: { type: 'forms-unavailable', why: meaning.why, at } }];
  }
  if (meaning.kind === 'logoff') return [{ origin, tabId: details.tabId, url: details.url, event: { type: 'logoff', at } }];
  if (meaning.kind === 'logon-page' && details.type === 'main_frame' && status === 200) {
    return [{ origin, tabId: details.tabId, url: details.url, event: { type: 'logon-redirect', reason: meaning.reason, generation: meaning.generation, logonUrl: details.url, at } }];
  }
  if (counted && status >= 200 && status < 400 && meaning.kind === 'other') {
    return [{ origin, tabId: details.tabId, url: details.url, event: { type: 'activity', generation: meaning.generation, at } }];
  }
  return [];
}

/**
 * onSendHeaders: a logoff is known before its answer clears the cookies, so the clearing is
 * not mistaken for the server ending the session (which would start a sign-in).
 */
export function fromSend(details: RequestDetails, at: number): Observation[] {
  const origin = normalizeOrigin(details.url);
  if (!origin || classifyUrl(details.url).kind !== 'logoff') return [];
  return [{ origin, tabId: details.tabId, url: details.url, event: { type: 'logoff', at } }];
}

/**
 * onBeforeRequest: the public/private choice of a logon POST's form (the user's, if the chain
 * turns out trusted). Only `trusted` and `flags` are read; the password in the same form is
 * neither kept nor passed on.
 */
export function computerChoiceOfRequest(
  details: Pick<RequestDetails, 'url' | 'method'> & { requestBody?: { formData?: Readonly<Record<string, unknown>> | null } | null },
): ComputerChoice | null {
  if (details.method !== 'POST' || classifyUrl(details.url).kind !== 'logon-post') return null;
  const form = details.requestBody?.formData;
  return form ? computerChoiceOfPost(form) : null;
}

/** onSendHeaders: whether the request will count as user activity if it succeeds. */
export function countsOnSend(details: RequestDetails): boolean {
  return countsAsActivity(details.url, details.requestHeaders ?? []);
}

export interface CookieChange {
  removed: boolean;
  cause: string;
  cookie: { name: string; domain: string; path: string; secure: boolean; hostOnly?: boolean };
}

/** The watched origins a cookie belongs to (host-only cookies: exact host; domain cookies: suffix). */
export function originsForCookie(cookie: CookieChange['cookie'], watched: readonly string[]): string[] {
  const domain = cookie.domain.replace(/^\./, '').toLowerCase();
  return watched.filter((origin) => {
    const url = new URL(origin);
    if (cookie.secure && url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return false;
    const host = url.hostname.toLowerCase();
    return cookie.hostOnly === false ? host === domain || host.endsWith(`.${domain}`) : host === domain;
  });
}

export function fromCookieChange(change: CookieChange, watched: readonly string[], at: number): Observation[] {
  if (!isSessionCookie(change.cookie.name)) return [];
  // "overwrite" removals are followed by the new cookie being set: not a clearing.
  if (change.removed && change.cause === 'overwrite') return [];
  return originsForCookie(change.cookie, watched).map((origin) => ({
    origin,
    tabId: -1,
    event: change.removed
      ? { type: 'cookie-cleared', name: change.cookie.name, expired: change.cause === 'expired' || change.cause === 'expired_overwrite', at }
      : { type: 'cookie-set', name: change.cookie.name, at },
  }));
}
