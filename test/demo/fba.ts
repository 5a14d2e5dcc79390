// What both OWA generations do with a request that needs a session: find it, apply the sliding
// rule, or answer as Exchange does when there is none (440 for scripts, the logon page for
// navigations).
import type { ServerResponse } from 'node:http';
import type { ExchangeContext } from './context';
import { clearCookie, formOf, header, isPlainGet, redirect, sendError, type DemoRequest } from './http';
import type { Session } from './sessions';

export interface FbaCookies {
  /** The cookie whose value names the session. */
  session: string;
  /** Cookies that must come back unchanged. */
  tokens: readonly string[];
  /** Cookies that must merely be present (their value changes on renewal). */
  present: readonly string[];
  /** Everything a timeout or logoff clears. */
  cleared: readonly string[];
  /**
   * Cleared too, but only when the request carried them, as 2013+ does (its
   * DeleteFbaAuthCookies: the routing cookies X-DFPOWA-Vdir, TargetServer, ExchClientVer).
   */
  clearedIfSent?: readonly string[];
}

export interface FbaFlavor {
  cookies: FbaCookies;
  /** Where the mailbox lives: '/owa/' or '/exchange/'. */
  home: string;
  /** Fields a logon POST must carry, else 400. */
  requiredFields: readonly string[];
  /** The logon page URL that brings the user back to `returnTo`. */
  logonUrl(req: DemoRequest, returnTo: string, reason: number): string;
  /** The reason a navigation after a timeout is sent back with: 3 on 2010+, 0 on 2003. */
  timeoutReason: number;
  /** Set-Cookie values to send when the sliding rule re-issues a session. */
  renewalCookies(session: Session): string[];
  /** Which requests renew the session; default isUserActivity. */
  isUserActivity?(req: DemoRequest): boolean;
}

/** Requests OWA does not count as the user doing something: keep-alive pings and marked background calls. */
export function isUserActivity(req: DemoRequest): boolean {
  if (req.url.pathname.toLowerCase().endsWith('/ping.owa')) return false;
  return header(req, 'x-useractivity') !== '0';
}

/**
 * Exchange 2013+'s own rule (IsOwaUserActivityRequest): besides ping.owa and X-UserActivity: 0,
 * a query parameter UA=0, keepalive.owa and static files never count as the user doing something.
 */
export function isUserActivity2013(req: DemoRequest): boolean {
  const path = req.url.pathname.toLowerCase();
  if (path.endsWith('/keepalive.owa')) return false;
  if (STATIC_EXTENSIONS.some((ext) => path.endsWith(ext))) return false;
  if (req.url.searchParams.get('UA') === '0') return false;
  return isUserActivity(req);
}

/** The file types Exchange 2013+ treats as static resources (never user activity). */
const STATIC_EXTENSIONS = ['.gif', '.jpg', '.css', '.xap', '.js', '.wav', '.htm', '.html', '.png', '.msi', '.ico', '.mp3', '.axd', '.eot', '.ttf', '.svg', '.woff'];

/** Set-Cookie values that drop a flavour's auth cookies for this request. */
export function clearingCookies(flavor: FbaFlavor, req: DemoRequest): string[] {
  const { cleared, clearedIfSent = [] } = flavor.cookies;
  return [...cleared, ...clearedIfSent.filter((name) => req.cookies.has(name))].map((c) => clearCookie(c));
}

/** The live session of a request, or undefined after having answered it. */
export function requireSession(ctx: ExchangeContext, flavor: FbaFlavor, req: DemoRequest, res: ServerResponse): Session | undefined {
  const { cookies } = flavor;
  const presented = cookies.present.every((name) => req.cookies.has(name));
  const check = presented ? ctx.sessions.check(req.cookies.get(cookies.session), req.cookies) : { state: 'unknown' as const };
  if (check.state === 'valid') {
    const activity = (flavor.isUserActivity ?? isUserActivity)(req);
    if (ctx.sessions.touch(check.session, activity)) appendSetCookie(res, flavor.renewalCookies(check.session));
    return check.session;
  }
  const sentAuthCookies = req.cookies.has(cookies.session);
  if (!isPlainGet(req)) {
    const send = () => loginTimeout(res, sentAuthCookies ? clearingCookies(flavor, req) : []);
    if (ctx.heldTimeouts.toHold > 0) {
      ctx.heldTimeouts.toHold--;
      ctx.heldTimeouts.held.push(send);
    } else {
      send();
    }
  } else {
    const reason = sentAuthCookies ? flavor.timeoutReason : 0;
    redirect(res, flavor.logonUrl(req, req.selfOrigin + req.rawUrl, reason), sentAuthCookies ? { 'Set-Cookie': clearingCookies(flavor, req) } : {});
  }
  return undefined;
}

export interface LogonAttempt {
  form: URLSearchParams;
  destination: URL;
  user: string;
}

/**
 * The checks every forms logon POST goes through: 400 for a foreign Origin (with checkOrigin),
 * a missing field or a destination on another host; reason=2 for wrong credentials. Returns
 * the signed-in account, or undefined once the request has been answered.
 */
export function checkLogonPost(ctx: ExchangeContext, flavor: FbaFlavor, req: DemoRequest, res: ServerResponse): LogonAttempt | undefined {
  if (req.method !== 'POST') {
    redirect(res, flavor.logonUrl(req, req.selfOrigin + flavor.home, 0));
    return undefined;
  }
  const form = formOf(req);
  const destination = form && sameHostDestination(req, form.get('destination') ?? '');
  if (originRejected(ctx, req) || !form || flavor.requiredFields.some((field) => !form.has(field)) || !destination) {
    sendError(res, 400);
    return undefined;
  }
  const user = ctx.accounts.verify(form.get('username') ?? '', form.get('password') ?? '');
  if (!user) {
    redirect(res, flavor.logonUrl(req, destination.href, 2));
    return undefined;
  }
  return { form, destination, user };
}

/** Sign-out: the session is forgotten, its cookies cleared, and the logon page says so (reason=1). */
export function logoff(ctx: ExchangeContext, flavor: FbaFlavor, req: DemoRequest, res: ServerResponse): true {
  const id = req.cookies.get(flavor.cookies.session);
  if (id) ctx.sessions.remove(id);
  redirect(res, flavor.logonUrl(req, req.selfOrigin + flavor.home, 1), {
    'Set-Cookie': clearingCookies(flavor, req),
  });
  return true;
}

/** `HTTP/1.1 440 Login Timeout`: the answer OWA gives a script whose session is gone. */
export function loginTimeout(res: ServerResponse, clearing: readonly string[]): void {
  const body = '440 Login Timeout';
  res.writeHead(440, 'Login Timeout', {
    ...(clearing.length ? { 'Set-Cookie': [...clearing] } : {}),
    Connection: 'close',
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function appendSetCookie(res: ServerResponse, cookies: readonly string[]): void {
  const existing = res.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...list, ...cookies]);
}

/** Checks a logon POST's destination: same host as the request, else undefined (Exchange answers 400). */
function sameHostDestination(req: DemoRequest, destination: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(destination, req.selfOrigin);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.host.toLowerCase() === new URL(req.selfOrigin).host.toLowerCase() ? url : undefined;
}

/** With checkOrigin on, a logon POST from another origin is refused, as some servers and proxies do. */
function originRejected(ctx: ExchangeContext, req: DemoRequest): boolean {
  if (!ctx.checkOrigin) return false;
  const origin = header(req, 'origin');
  return origin !== undefined && origin !== req.selfOrigin;
}

export function humanTimeout(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** What the demo's logon pages say about its time-outs, so that a first run is not a surprise. */
export function timeoutsNote(ctx: ExchangeContext, exchangeDefaults: string): string {
  return (
    `Idle time-out on this demo: public ${humanTimeout(ctx.publicTimeoutSeconds)}, private ${humanTimeout(ctx.privateTimeoutSeconds)}. ` +
    `OWA Inspector assumes Exchange's defaults (${exchangeDefaults}) until you set this site's time-outs in its options.`
  );
}
