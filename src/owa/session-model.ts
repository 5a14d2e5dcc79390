// The session of one watched origin as a reducer: state + event -> new state. Browser events
// are mapped to these events in the background; nothing here reads a clock (events carry `at`).
import { isAuthCookie, isSessionCookie, type FormsUnavailableKind, REASON } from './detection';
import { generationFromCookie, mergeGeneration, type Generation } from './generation';
import type { ComputerChoice } from './logon-form';

export type SessionStatus = 'signed-out' | 'signed-in' | 'expiring' | 'expired' | 'signing-in' | 'sign-in-failed' | 'forms-unavailable';

/** Why the last sign-in (ours) failed; `rejected` is final until new credentials are set. */
export type SignInFailure = 'rejected' | 'blocked' | 'error' | 'no-form' | 'gave-up' | 'unsafe-redirect';

export interface SessionState {
  origin: string;
  status: SessionStatus;
  generation: Generation;
  /** Session cookie names currently present (lower case). */
  cookies: string[];
  /** Last request that counted as user activity (ms), the start of the expiry window. */
  lastActivity: number | null;
  /** When the auth cookie was last set (a fresh sign-in or a renewal). */
  lastIssued: number | null;
  /** The last `reason=` seen on a redirect to the logon page. */
  lastReason: number | null;
  /** The last logon page URL seen, where a relogin starts. */
  logonUrl: string | null;
  formsUnavailable: FormsUnavailableKind | null;
  failure: SignInFailure | null;
  /** How the session was found expired: by the server (440 / reason=3) or by our estimate. */
  expiredBy: 'server' | 'estimate' | 'cookies' | null;
  /**
   * Set by the user's own sign-out (OWA's logoff), until the next sign-in: a 440 or reason=3
   * after it is another tab polling, not a session to bring back. Absent otherwise.
   */
  loggedOff?: true;
  updatedAt: number;
}

export type SessionEvent =
  | { type: 'cookie-set'; name: string; at: number }
  | { type: 'cookie-cleared'; name: string; expired: boolean; at: number }
  | { type: 'login-timeout'; at: number }
  | { type: 'logon-redirect'; reason: number | null; generation: Generation; logonUrl: string; at: number }
  /** `computer`: the public/private choice the POST carried, given only for a POST by the site's own page or the user. */
  | { type: 'logon-post'; generation: Generation; at: number; computer?: ComputerChoice }
  | { type: 'logoff'; at: number }
  | { type: 'activity'; generation: Generation; at: number }
  | { type: 'forms-unavailable'; why: FormsUnavailableKind; at: number }
  | { type: 'relogin-started'; at: number }
  | { type: 'relogin-succeeded'; generation: Generation; at: number }
  | { type: 'relogin-failed'; failure: SignInFailure; final: boolean; at: number }
  | { type: 'tick'; phase: 'safe' | 'warn' | 'window' | 'past'; at: number };

export function initialSession(origin: string, at: number): SessionState {
  return {
    origin,
    status: 'signed-out',
    generation: 'unknown',
    cookies: [],
    lastActivity: null,
    lastIssued: null,
    lastReason: null,
    logonUrl: null,
    formsUnavailable: null,
    failure: null,
    expiredBy: null,
    updatedAt: at,
  };
}

const LIVE: ReadonlySet<SessionStatus> = new Set(['signed-in', 'expiring']);

export function isLive(state: SessionState): boolean {
  return LIVE.has(state.status);
}

function hasAuthCookie(cookies: readonly string[]): boolean {
  return cookies.some(isAuthCookie);
}

/**
 * No session that could time out: signed out by the user, or never seen signed in. (Signed out
 * only because the cookies vanished is not enough: Firefox reports the server's own clearing,
 * which comes just before its 440, as a plain removal.)
 */
function noSessionToTimeOut(s: SessionState): boolean {
  return s.status === 'signed-out' && (s.loggedOff === true || s.lastIssued === null);
}

function withoutLogoff(s: SessionState): SessionState {
  if (!s.loggedOff) return s;
  const { loggedOff: _dropped, ...rest } = s;
  return rest;
}

export function reduceSession(state: SessionState, event: SessionEvent): SessionState {
  const next = reduce(state, event);
  return next === state ? state : { ...next, updatedAt: event.at };
}

function reduce(s: SessionState, e: SessionEvent): SessionState {
  switch (e.type) {
    case 'cookie-set': {
      const name = e.name.toLowerCase();
      if (!isSessionCookie(name)) return s;
      const cookies = s.cookies.includes(name) ? s.cookies : [...s.cookies, name].sort();
      const generation = mergeGeneration(s.generation, generationFromCookie(name));
      if (!isAuthCookie(name)) return { ...s, cookies, generation };
      // A fresh or renewed auth cookie: the session is alive from now on. During our own
      // sign-in the relogin decides the outcome; the cookie only moves the window.
      const base = { ...withoutLogoff(s), cookies, generation, lastIssued: e.at, lastActivity: e.at };
      if (s.status === 'signing-in' || s.status === 'forms-unavailable') return base;
      // A sign-in the user made by hand does not clear "rejected": the stored credentials
      // are still the wrong ones.
      return {
        ...base,
        status: 'signed-in',
        expiredBy: null,
        failure: s.failure === 'rejected' ? 'rejected' : null,
      };
    }
    case 'cookie-cleared': {
      const name = e.name.toLowerCase();
      if (!s.cookies.includes(name)) return s;
      const cookies = s.cookies.filter((c) => c !== name);
      if (!isAuthCookie(name) || hasAuthCookie(cookies) || !isLive(s)) return { ...s, cookies };
      // All auth cookies gone while we thought the session alive: the server cleared them
      // (timeout) or they ran out; removed by hand counts as signed out.
      return e.expired ? { ...s, cookies, status: 'expired', expiredBy: 'cookies' } : { ...s, cookies, status: 'signed-out', expiredBy: null };
    }
    case 'login-timeout':
      // Signed out by the user, or never seen signed in: there is no session to time out, and a
      // 440 then (another tab polling after a sign-out) must not lead to a sign-in.
      if (s.status === 'forms-unavailable' || s.status === 'signing-in' || s.status === 'sign-in-failed' || noSessionToTimeOut(s)) return s;
      return { ...s, status: 'expired', expiredBy: 'server' };
    case 'logon-redirect': {
      const generation = mergeGeneration(s.generation, e.generation);
      const base = { ...s, generation, lastReason: e.reason, logonUrl: e.logonUrl };
      if (s.status === 'forms-unavailable') return { ...base, status: 'signed-out', formsUnavailable: null };
      if (s.status === 'signing-in') return base;
      // reason=1: the user signed out (in this tab or another): as binding as the logoff itself.
      if (e.reason === REASON.logoff) return { ...base, status: 'signed-out', expiredBy: null, lastActivity: null, loggedOff: true };
      const timedOut = !noSessionToTimeOut(s) && (e.reason === REASON.timeout || (generation === '2003' && isLive(s) && (e.reason === 0 || e.reason === null)));
      if (timedOut) return { ...base, status: 'expired', expiredBy: 'server' };
      if (s.status === 'sign-in-failed') return base;
      if (s.status === 'expired' && (e.reason === 0 || e.reason === null)) return base;
      return { ...base, status: 'signed-out', expiredBy: null };
    }
    case 'logon-post':
      return { ...s, generation: mergeGeneration(s.generation, e.generation, true) };
    case 'logoff':
      if (s.status === 'forms-unavailable') return s;
      return { ...s, status: 'signed-out', expiredBy: null, lastActivity: null, loggedOff: true };
    case 'activity': {
      const generation = mergeGeneration(s.generation, e.generation);
      // A request that succeeded after our estimate said "expired" proves the estimate wrong
      // (the admin's timeout is longer than configured here).
      const estimateWrong = s.status === 'expired' && s.expiredBy === 'estimate' && hasAuthCookie(s.cookies);
      if (!isLive(s) && !estimateWrong) return generation === s.generation ? s : { ...s, generation };
      return { ...s, generation, status: 'signed-in', expiredBy: null, lastActivity: e.at };
    }
    case 'forms-unavailable':
      return { ...s, status: 'forms-unavailable', formsUnavailable: e.why, failure: null };
    case 'relogin-started':
      if (s.status === 'forms-unavailable') return s;
      return { ...s, status: 'signing-in', failure: null };
    case 'relogin-succeeded':
      return {
        ...withoutLogoff(s),
        status: 'signed-in',
        generation: mergeGeneration(s.generation, e.generation, true),
        failure: null,
        expiredBy: null,
        lastActivity: e.at,
        lastIssued: e.at,
        lastReason: null,
      };
    case 'relogin-failed':
      if (s.status === 'forms-unavailable') return s;
      // A rejected password or the last allowed attempt is final; otherwise we wait and retry.
      return { ...s, status: e.final || e.failure === 'rejected' ? 'sign-in-failed' : 'expired', failure: e.failure };
    case 'tick':
      if (!isLive(s)) return s;
      if (e.phase === 'past') return { ...s, status: 'expired', expiredBy: 'estimate' };
      if (e.phase === 'warn' || e.phase === 'window') return s.status === 'expiring' ? s : { ...s, status: 'expiring' };
      return s.status === 'signed-in' ? s : { ...s, status: 'signed-in' };
  }
}
