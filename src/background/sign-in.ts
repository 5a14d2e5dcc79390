// One automatic sign-in, the way a browser would do it: load the logon page (following the
// server's redirect to it), read the real form, post it with the session's cookies jar,
// and judge the outcome by where the server sends us and whether fresh session cookies
// arrived. No browser API here but what is passed in, so it runs against fakes in tests.
//
// "Arrived" is judged from the cookies set while the POST ran, not from the jar afterwards:
// a 440 answering a tab's request sent earlier with the old cookies may come in just after
// our POST and clear the fresh cookies (Exchange clears them with every 440). The cookies
// caught during the POST are then put back, so the tabs brought back find the new session.
//
// The POST never follows a redirect: a 307/308 would make the browser send the body, password
// included, wherever the answer points (another host, plain HTTP). The outcome is read from the
// redirect's Location instead, and a redirect anywhere but the origin itself is a final failure.
import { classifyUrl, isAuthCookie, REASON, sessionCookiesSet } from '../owa/detection';
import { ENTRY_PATHS, type Generation } from '../owa/generation';
import { buildLogonBody, fallbackLogonForm, isFormReadError, readLogonForm, signInAsPrivate, type ComputerChoice, type LogonForm } from '../owa/logon-form';
import { isSafeForCredentials, sameOrigin } from '../owa/origin';
import type { Credential } from '../owa/credentials';
import type { CaughtCookie, SignInResult } from '../owa/sign-in-result';
import { msg } from '../shared/words';

export interface SignInDeps {
  fetch: typeof fetch;
  /** The cookies the browser holds for the origin (values stay in the worker's memory). */
  cookies(origin: string): Promise<Array<{ name: string; value: string }>>;
  /**
   * Makes the logon POST look like it came from the logon page (Origin and Referer), as a
   * server that checks them expects; returns the undo. Optional: absent where unsupported.
   */
  spoofFormOrigin?(action: string, origin: string, referer: string): Promise<() => Promise<void>>;
  /**
   * Starts catching the origin's session cookies (the cadata family, sessionid, UserContext,
   * X-OWA-CANARY…) being set; the returned stop gives the last one set of each name, once
   * those named (the ones the POST's answer set) have been seen or a bounded wait is over:
   * browsers report cookies as events that may trail the fetch.
   * Optional: without it the outcome is judged from the jar alone.
   */
  catchSessionCookies?(origin: string): (expected: readonly string[]) => Promise<CaughtCookie[]>;
  /**
   * Waits (bounded) for the tabs' requests to the origin sent so far to be answered: those
   * sent with the old cookies come back 440 and clear the jar, better before our POST than after.
   */
  waitForTabRequests?(origin: string): Promise<void>;
  /** Puts back those of `cookies` the jar no longer holds with the same value; resolves how many. */
  restoreCookies?(origin: string, cookies: readonly CaughtCookie[]): Promise<number>;
  /**
   * Starts watching the answer to our POST to `action`; the returned stop gives its status,
   * Location and the cookies it set, waiting (bounded) for the browser to show them. Needed
   * where `redirect: 'manual'` hands back an opaque redirect (browsers): its status and headers
   * are hidden from the fetch caller. Optional: Node's fetch shows them.
   */
  watchAnswer?(action: string): () => Promise<AnswerSeen | null>;
}

/** What the browser saw of the logon POST's answer. */
export interface AnswerSeen {
  status: number;
  location: string | null;
  /** Names of the session cookies it set with a value. */
  cookies: readonly string[];
}

export interface SignInRequest {
  origin: string;
  generation: Generation;
  /** The last logon page URL seen for this origin, if any. */
  logonUrl: string | null;
  credential: Credential;
  /** The extension's setting for this site. */
  privateComputer: boolean;
  /** Public or private as the user chose it on the last sign-in by hand, if ever (see signInAsPrivate). */
  chosenByHand?: ComputerChoice | null;
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

/** Where a redirect answering the POST points, when it is the origin itself (same scheme, host and port). */
function safeTarget(location: string, action: string, origin: string): URL | null {
  let target: URL;
  try {
    target = new URL(location, action);
  } catch {
    return null;
  }
  return sameOrigin(target.href, origin) && isSafeForCredentials(target.href) ? target : null;
}

function startUrl(req: SignInRequest): string {
  if (req.logonUrl && sameOrigin(req.logonUrl, req.origin) && classifyUrl(req.logonUrl).kind === 'logon-page') return req.logonUrl;
  return new URL(ENTRY_PATHS[req.generation], req.origin).href;
}

function destinationFor(req: SignInRequest, logonPage: string): string {
  const meaning = classifyUrl(logonPage);
  const back = meaning.kind === 'logon-page' ? meaning.returnUrl : null;
  if (back && sameOrigin(back, req.origin)) return back;
  return new URL(ENTRY_PATHS[req.generation], req.origin).href;
}

/** The auth cookies as one string, to tell "fresh cookies arrived" from "old ones still there". */
async function authCookieStamp(deps: SignInDeps, origin: string): Promise<string> {
  const auth = (await deps.cookies(origin)).filter((c) => isAuthCookie(c.name) && c.value !== '');
  return auth
    .map((c) => `${c.name.toLowerCase()}=${c.value}`)
    .sort()
    .join('; ');
}

export async function signIn(deps: SignInDeps, req: SignInRequest): Promise<SignInResult> {
  if (!isSafeForCredentials(req.origin)) return { outcome: 'forms-unavailable', why: 'insecure-http' };
  let page: Response;
  try {
    page = await deps.fetch(startUrl(req), { credentials: 'include', redirect: 'follow', cache: 'no-store' });
  } catch (error) {
    return { outcome: 'error', detail: msg('bg_error_logon_unreachable', (error as Error).message) };
  }
  const pageUrl = page.url || startUrl(req);
  const meaning = classifyUrl(pageUrl);
  if (meaning.kind === 'forms-unavailable') return { outcome: 'forms-unavailable', why: meaning.why };
  if (!sameOrigin(pageUrl, req.origin)) return { outcome: 'error', detail: msg('bg_error_logon_elsewhere') };
  const html = await page.text();
  if (meaning.kind !== 'logon-page') {
    // Not sent to a logon page: someone (the user, another tab) signed in already.
    if (page.ok && (await authCookieStamp(deps, req.origin)) !== '') return { outcome: 'success', generation: req.generation, posted: false };
    return { outcome: 'error', detail: msg('bg_error_no_logon_page', page.status, new URL(pageUrl).pathname) };
  }
  let form: LogonForm;
  let privateComputer = req.privateComputer;
  const read = readLogonForm(html, pageUrl);
  if (!isFormReadError(read)) {
    form = read;
    privateComputer = signInAsPrivate(read, req.privateComputer, req.chosenByHand ?? null);
  } else if (read.error === 'insecure-action') {
    return { outcome: 'forms-unavailable', why: 'insecure-http' };
  } else if (read.error === 'no-form' && (meaning.generation !== 'unknown' || req.generation !== 'unknown')) {
    // The page is a known logon page we could not read: use the documented form.
    const generation = meaning.generation !== 'unknown' ? meaning.generation : req.generation;
    form = fallbackLogonForm(req.origin, generation as Exclude<Generation, 'unknown'>, destinationFor(req, pageUrl));
    // The documented forms offer the choice: the user's own, where made, fills it in.
    if (req.chosenByHand) privateComputer = req.chosenByHand === 'private';
  } else {
    return { outcome: 'error', detail: msg('bg_error_form_refused', read.error) };
  }
  const body = buildLogonBody(form, {
    username: req.credential.username,
    password: req.credential.password,
    privateComputer,
    destination: destinationFor(req, pageUrl),
  });
  await deps.waitForTabRequests?.(req.origin).catch(() => undefined);
  const before = await authCookieStamp(deps, req.origin);
  const undo = deps.spoofFormOrigin ? await deps.spoofFormOrigin(form.action, req.origin, pageUrl) : null;
  const stopCatching = deps.catchSessionCookies?.(req.origin);
  const stopWatching = deps.watchAnswer?.(form.action);
  let caught: CaughtCookie[];
  let answer: Response | undefined;
  let seen: AnswerSeen | null;
  try {
    answer = await deps.fetch(form.action, {
      method: 'POST',
      credentials: 'include',
      redirect: 'manual',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    // Drain the body so the connection is reused; its content is not needed.
    await answer.arrayBuffer().catch(() => undefined);
  } catch (error) {
    return { outcome: 'error', detail: msg('bg_error_post_failed', (error as Error).message) };
  } finally {
    // What the browser reports of the answer and its cookies may trail the fetch: the stops wait for it (bounded).
    seen = (await stopWatching?.().catch(() => null)) ?? null;
    const named = seen?.cookies ?? (answer ? sessionCookiesSet(answer.headers.getSetCookie()) : []);
    caught = ((await stopCatching?.(named).catch(() => [])) ?? []).filter((c) => c.value !== '');
    await undo?.().catch(() => undefined);
  }
  const opaque = answer.type === 'opaqueredirect';
  const status = opaque ? (seen?.status ?? 0) : answer.status;
  const location = opaque ? (seen?.location ?? null) : answer.headers.get('location');
  const caughtAuth = caught.some((c) => isAuthCookie(c.name));
  if (opaque || REDIRECT_STATUS.has(status)) {
    if (location === null) {
      // A redirect whose target the browser did not show us: only the cookies can tell.
      if (!caughtAuth) return { outcome: 'error', detail: msg('bg_error_redirect_unknown', status || 'redirect') };
    } else {
      const target = safeTarget(location, form.action, req.origin);
      if (!target) return { outcome: 'unsafe-redirect', status, location: describeLocation(location, form.action) };
      const after = classifyUrl(target.href);
      if (after.kind === 'logon-page') {
        if (after.reason === REASON.invalidCredentials) return { outcome: 'rejected' };
        if (after.reason === REASON.blockedByRules || after.reason === REASON.blockedByRules2) return { outcome: 'blocked', reason: after.reason };
        return { outcome: 'error', detail: msg('bg_error_back_on_logon_page', after.reason ?? 'none') };
      }
      if (after.kind === 'forms-unavailable') return { outcome: 'forms-unavailable', why: after.why };
    }
  } else if (!answer.ok) {
    return { outcome: 'error', detail: msg('bg_error_post_status', status) };
  }
  const generation = form.generation !== 'unknown' ? form.generation : req.generation;
  if (caughtAuth) {
    // A late 440 may have cleared them already: put them back before anyone is reloaded.
    await deps.restoreCookies?.(req.origin, caught).catch(() => 0);
    return { outcome: 'success', generation, posted: true, cookies: caught, computer: privateComputer ? 'private' : 'public' };
  }
  const fresh = await authCookieStamp(deps, req.origin);
  if (fresh === '' || fresh === before) return { outcome: 'error', detail: msg('bg_error_no_fresh_cookies') };
  return { outcome: 'success', generation, posted: true, computer: privateComputer ? 'private' : 'public' };
}

/** The Location as the user should see it: absolute, without its query (it may carry the user name). */
function describeLocation(location: string, action: string): string {
  try {
    const url = new URL(location, action);
    return `${url.origin}${url.pathname}`;
  } catch {
    return location.slice(0, 200);
  }
}
