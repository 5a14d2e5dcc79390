// Reading what a URL means for an OWA session: a forms logon page (and its reason code), a
// logon POST, a logoff, or a sign-in that forms logon cannot do (AD FS, Entra ID, ISA/TMG,
// a logon page over plain HTTP). Pure: works on URL strings only.
import { generationFromLogonAction, generationFromUrl, type Generation } from './generation';
import { isSafeForCredentials } from './origin';

/** Why forms logon is not available for an origin. */
export type FormsUnavailableKind = 'adfs' | 'entra' | 'tmg' | 'insecure-http';

/** OWA 2013+ reason codes on the logon page's URL (`reason=`). */
export const REASON = {
  none: 0,
  logoff: 1,
  invalidCredentials: 2,
  timeout: 3,
  passwordChanged: 4,
  blockedByRules: 5,
  blockedByRules2: 6,
} as const;

export type UrlMeaning =
  | { kind: 'logon-page'; generation: Generation; reason: number | null; returnUrl: string | null }
  | { kind: 'forms-unavailable'; why: FormsUnavailableKind }
  | { kind: 'logon-post'; generation: Generation }
  | { kind: 'logoff' }
  | { kind: 'keepalive' }
  | { kind: 'other'; generation: Generation };

const ENTRA_HOSTS = new Set(['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'login.live.com', 'login.microsoftonline.us', 'login.partner.microsoftonline.cn']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function reasonOf(url: URL): number | null {
  const raw = url.searchParams.get('reason');
  if (raw === null || !/^\d{1,3}$/.test(raw)) return null;
  return Number(raw);
}

/** Path checks are case-insensitive: IIS serves `/OWA/auth/logon.aspx` as well. */
export function classifyUrl(url: string): UrlMeaning {
  const parsed = parse(url);
  if (!parsed) return { kind: 'other', generation: 'unknown' };
  const path = parsed.pathname.toLowerCase();
  if (ENTRA_HOSTS.has(parsed.hostname.toLowerCase())) return { kind: 'forms-unavailable', why: 'entra' };
  if (path.startsWith('/adfs/')) return { kind: 'forms-unavailable', why: 'adfs' };
  if (path.includes('/cookieauth.dll')) return { kind: 'forms-unavailable', why: 'tmg' };
  if (path === '/owa/auth/logon.aspx' || path === '/exchweb/bin/auth/owalogon.asp') {
    if (!isSafeForCredentials(url)) return { kind: 'forms-unavailable', why: 'insecure-http' };
    return {
      kind: 'logon-page',
      generation: path.startsWith('/exchweb/') ? '2003' : 'unknown',
      reason: reasonOf(parsed),
      returnUrl: parsed.searchParams.get('url'),
    };
  }
  const action = generationFromLogonAction(url);
  if (action !== 'unknown') return { kind: 'logon-post', generation: action };
  if (path === '/owa/logoff.owa' || (path === '/owa/auth/logoff.aspx' && /logoff/i.test(parsed.search))) {
    return { kind: 'logoff' };
  }
  if (path === '/exchweb/bin/auth/owalogoff.asp' || path.endsWith('/logoff.asp')) return { kind: 'logoff' };
  // Polling requests that OWA itself marks as not user activity (they do not extend a session).
  if (path === '/owa/ping.owa' || path.endsWith('/keepalive.owa')) return { kind: 'keepalive' };
  return { kind: 'other', generation: generationFromUrl(url) };
}

/** Whether a logon page URL says the session timed out (2003 says reason=0 where later ones say 3). */
export function isTimeoutRedirect(meaning: UrlMeaning, hadSession: boolean): boolean {
  if (meaning.kind !== 'logon-page') return false;
  if (meaning.reason === REASON.timeout) return true;
  return meaning.generation === '2003' && hadSession && (meaning.reason === 0 || meaning.reason === null);
}

/** Names of the cookies an OWA forms session is made of, lower case. */
export const SESSION_COOKIES: ReadonlySet<string> = new Set(['sessionid', 'cadata', 'cadatakey', 'cadataiv', 'cadatasig', 'cadatattl', 'usercontext', 'uc', 'x-owa-canary']);

/** The cookies whose presence means "signed in" (the rest come and go with them). */
export const AUTH_COOKIES: ReadonlySet<string> = new Set(['cadata', 'sessionid']);

export function isSessionCookie(name: string): boolean {
  return SESSION_COOKIES.has(name.toLowerCase());
}

export function isAuthCookie(name: string): boolean {
  return AUTH_COOKIES.has(name.toLowerCase());
}

/** Files OWA's pages load: fetching them renews nothing on the server. */
const STATIC_FILE = /\.(?:js|css|png|gif|jpe?g|svg|ico|woff2?|ttf|eot|htm|html|map|json|manifest|appcache|mp3|wav)$/i;

/**
 * Whether a request should count as user activity (what renews an OWA session). Exchange does
 * not renew for requests OWA marks as not the user's: `UA=0` in the query (the notification
 * long-poll `ev.owa2?…&UA=0`, always open), `X-UserActivity: 0`, ping.owa / keepalive.owa, and
 * static files.
 */
export function countsAsActivity(url: string, requestHeaders: ReadonlyArray<{ name: string; value?: string }>): boolean {
  const meaning = classifyUrl(url);
  if (meaning.kind !== 'other') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (STATIC_FILE.test(parsed.pathname)) return false;
  for (const [name, value] of parsed.searchParams) {
    if (name.toLowerCase() === 'ua' && value.trim() === '0') return false;
  }
  for (const header of requestHeaders) {
    if (header.name.toLowerCase() === 'x-useractivity' && header.value?.trim() === '0') return false;
  }
  return true;
}

/** Names and values of `Set-Cookie` headers (value-free: we only need the names and whether they clear). */
export function parseSetCookie(header: string): { name: string; cleared: boolean } | null {
  const eq = header.indexOf('=');
  if (eq <= 0) return null;
  const name = header.slice(0, eq).trim();
  const rest = header.slice(eq + 1);
  const value = rest.split(';', 1)[0]?.trim() ?? '';
  const expires = /;\s*expires=([^;]+)/i.exec(rest)?.[1];
  const maxAge = /;\s*max-age=(-?\d+)/i.exec(rest)?.[1];
  const expired = (expires !== undefined && Date.parse(expires) < Date.parse('2000-01-01T00:00:00Z')) || (maxAge !== undefined && Number(maxAge) <= 0);
  return { name, cleared: expired || value === '' };
}

/** The session cookies that `Set-Cookie` lines set with a value (not those they clear). */
export function sessionCookiesSet(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    const cookie = parseSetCookie(line);
    if (cookie && !cookie.cleared && isSessionCookie(cookie.name)) names.push(cookie.name);
  }
  return names;
}
