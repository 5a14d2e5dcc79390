// When an automatic sign-in may run. One in flight per origin, a bounded number of attempts
// with growing pauses, a rejected password stops everything until new credentials are set,
// and 440s that arrive just after a success (requests sent before it) do not start another.
// The record is stored (storage.session) before any POST, so a restarted worker sees it.

export interface ReloginRecord {
  /** A sign-in that was started and has not finished: since when, which attempt. */
  inFlight: { since: number; attempt: number } | null;
  /** Failed attempts since the last success (a success starts the count again). */
  attempts: number;
  /**
   * Successes in a row that did not hold: the next timeout came within `POLICY.heldAfterMs`.
   * A server that takes the password but ends every session at once would otherwise be signed
   * in to for ever; these count toward the same limit as failures.
   */
  unheld: number;
  /** No new attempt before this moment (ms). */
  notBefore: number;
  /** The stored credentials were refused (reason=2): never use them again. */
  rejected: boolean;
  lastSuccess: number | null;
  /** Tabs that hit the timeout in this episode, to bring back after the sign-in. */
  tabs: number[];
  /**
   * Tabs already brought back after the last success. A tab whose request failed just before
   * the sign-in finished is brought back once, never again until the next sign-in: no reload loop.
   */
  returned: number[];
}

export const POLICY = {
  maxAttempts: 3,
  /** Pause after attempt n (1-based) failed: 30 s, 2 min, then give up. */
  backoffMs: [30_000, 120_000, 600_000] as readonly number[],
  /** A sign-in still "in flight" after this long was cut off (the worker stopped mid-way). */
  staleInFlightMs: 60_000,
  /** 440s within this long after a success, with the session cookies intact, come from requests sent before it. */
  graceAfterSuccessMs: 10_000,
  /** How many times, within that grace, the fresh cookies a late 440 cleared are put back. */
  maxRestores: 20,
  /** A session that lived this long starts a fresh episode of attempts. */
  episodeResetMs: 5 * 60_000,
  /** A sign-in whose session lived at least this long held (a timeout sooner says it did not). */
  heldAfterMs: 30_000,
};

export function initialRecord(): ReloginRecord {
  return { inFlight: null, attempts: 0, unheld: 0, notBefore: 0, rejected: false, lastSuccess: null, tabs: [], returned: [] };
}

export type ReloginDecision =
  | { action: 'start'; attempt: number; record: ReloginRecord }
  | { action: 'wait'; until: number; record: ReloginRecord }
  | { action: 'skip'; why: 'disabled' | 'no-credentials' | 'rejected' | 'in-flight' | 'just-succeeded' | 'gave-up' | 'forms-unavailable'; record: ReloginRecord };

export interface ReloginContext {
  now: number;
  enabled: boolean;
  haveCredentials: boolean;
  formsAvailable: boolean;
  /** The tab whose request timed out, if any. */
  tabId?: number | null;
  /** A retry alarm or the user's "sign in now", not a timeout the server answered. */
  retry?: boolean;
  /**
   * Whether the browser still holds the session's auth cookies. A late 440 that came with
   * no clearing leaves the fresh session intact; one that cleared the cookies ended it.
   */
  sessionAlive?: boolean;
}

function withTab(record: ReloginRecord, tabId: number | null | undefined): ReloginRecord {
  if (tabId === null || tabId === undefined || tabId < 0 || record.tabs.includes(tabId)) return record;
  return { ...record, tabs: [...record.tabs, tabId].slice(-50) };
}

/** Decides what a timeout (440 / reason=3) or a "try again" alarm should do. */
export function decideRelogin(recordIn: ReloginRecord, ctx: ReloginContext): ReloginDecision {
  let record = withTab(recordIn, ctx.tabId);
  if (!ctx.formsAvailable) return { action: 'skip', why: 'forms-unavailable', record };
  if (!ctx.enabled) return { action: 'skip', why: 'disabled', record };
  if (record.rejected) return { action: 'skip', why: 'rejected', record };
  if (!ctx.haveCredentials) return { action: 'skip', why: 'no-credentials', record };
  if (record.inFlight) {
    if (ctx.now - record.inFlight.since < POLICY.staleInFlightMs) return { action: 'skip', why: 'in-flight', record };
    // Cut off mid-way (the worker was stopped): count it as a failed attempt, do not repeat
    // it at once; the caller first checks whether it in fact succeeded.
    record = { ...record, inFlight: null, notBefore: Math.max(record.notBefore, backoffEnd(record.inFlight.since, record.inFlight.attempt)) };
  }
  if (ctx.sessionAlive && record.lastSuccess !== null && ctx.now - record.lastSuccess < POLICY.graceAfterSuccessMs) {
    return { action: 'skip', why: 'just-succeeded', record };
  }
  if (record.returned.length) record = { ...record, returned: [] };
  if (record.lastSuccess !== null && ctx.now - record.lastSuccess >= POLICY.episodeResetMs && (record.attempts > 0 || record.unheld > 0)) {
    record = { ...record, attempts: 0, unheld: 0, notBefore: 0 };
  }
  // A timeout after our last success (no failure since): did that session hold?
  if (record.lastSuccess !== null && record.attempts === 0 && !ctx.retry && record.unheld < POLICY.maxAttempts) {
    record = { ...record, unheld: ctx.now - record.lastSuccess >= POLICY.heldAfterMs ? 0 : record.unheld + 1 };
  }
  if (record.attempts >= POLICY.maxAttempts || record.unheld >= POLICY.maxAttempts) return { action: 'skip', why: 'gave-up', record };
  if (ctx.now < record.notBefore) return { action: 'wait', until: record.notBefore, record };
  const attempt = record.attempts + 1;
  return { action: 'start', attempt, record: { ...record, attempts: attempt, inFlight: { since: ctx.now, attempt } } };
}

function backoffEnd(from: number, attempt: number): number {
  const pause = POLICY.backoffMs[Math.min(attempt, POLICY.backoffMs.length) - 1] ?? 0;
  return from + pause;
}

export type ReloginOutcome = 'success' | 'rejected' | 'error';

/** The record after a sign-in finished. `final` says no more attempts will be made. */
export function finishRelogin(record: ReloginRecord, outcome: ReloginOutcome, now: number): { record: ReloginRecord; final: boolean } {
  const attempt = record.inFlight?.attempt ?? record.attempts;
  const done = { ...record, inFlight: null };
  // Only failures count toward the limit: a success starts the count again.
  if (outcome === 'success') return { record: { ...done, attempts: 0, lastSuccess: now, notBefore: 0, tabs: [], returned: [...record.tabs] }, final: true };
  if (outcome === 'rejected') return { record: { ...done, rejected: true, tabs: [] }, final: true };
  const final = attempt >= POLICY.maxAttempts;
  return { record: { ...done, notBefore: backoffEnd(now, attempt) }, final };
}

/**
 * After a timeout that came just after a success: the tabs still to bring back (each once),
 * and the record with them marked as returned.
 */
export function takeLateTabs(record: ReloginRecord): { tabs: number[]; record: ReloginRecord } {
  const tabs = record.tabs.filter((t) => !record.returned.includes(t));
  return { tabs, record: { ...record, tabs: [], returned: [...record.returned, ...tabs].slice(-50) } };
}

/** New credentials (or the user's "try again") clear the refusal and the attempt count. */
export function resetRecord(record: ReloginRecord): ReloginRecord {
  return { ...record, rejected: false, attempts: 0, unheld: 0, notBefore: 0 };
}

export function readRecord(stored: unknown): ReloginRecord {
  if (typeof stored !== 'object' || stored === null) return initialRecord();
  const r = stored as Partial<ReloginRecord>;
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const inFlight = r.inFlight && typeof r.inFlight === 'object' ? { since: num(r.inFlight.since, 0), attempt: num(r.inFlight.attempt, 1) } : null;
  return {
    inFlight,
    attempts: num(r.attempts, 0),
    unheld: num(r.unheld, 0),
    notBefore: num(r.notBefore, 0),
    rejected: r.rejected === true,
    lastSuccess: typeof r.lastSuccess === 'number' ? r.lastSuccess : null,
    tabs: Array.isArray(r.tabs) ? r.tabs.filter((t): t is number => typeof t === 'number') : [],
    returned: Array.isArray(r.returned) ? r.returned.filter((t): t is number => typeof t === 'number') : [],
  };
}

export interface LateTimeoutContext {
  at: number;
  /** Whether the session was live before this answer. */
  live: boolean;
  /** Whether the browser still holds auth cookies, or ours are being put back. */
  cookiesHeld: boolean;
}

/**
 * A timeout answer to a request sent before our sign-in finished, with the fresh cookies still
 * in the jar: the session is fine; only that tab needs bringing back.
 */
export function isLateTimeout(record: ReloginRecord | undefined, ctx: LateTimeoutContext): boolean {
  return ctx.live && ctx.cookiesHeld && record?.lastSuccess != null && ctx.at - record.lastSuccess < POLICY.graceAfterSuccessMs;
}

/**
 * Whether a sign-in the worker did not finish in fact worked: auth cookies are in the jar and
 * the session was issued (a cookie set) since the attempt began.
 */
export function cutOffSignInWorked(inFlightSince: number, authCookieHeld: boolean, lastIssued: number | null | undefined): boolean {
  return authCookieHeld && lastIssued != null && lastIssued >= inFlightSince;
}
