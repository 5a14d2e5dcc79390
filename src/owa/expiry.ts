// The estimated end of an OWA session. The real expiry is encrypted in `cadataTTL`, so we can
// only bound it: the cookie lives 1.5 T and is renewed only by user activity that comes more
// than T/2 after it was issued, so after the last counted activity at `a` the session ends
// somewhere in [a + T, a + 1.5 T]. We show that window and count down to its start.

export interface ExpiryWindow {
  /** Earliest moment the session can end (ms since the epoch). */
  earliest: number;
  /** Latest moment the session can end. */
  latest: number;
}

const MINUTE = 60_000;

/**
 * @param lastActivity last request that counted as user activity (ms)
 * @param timeoutMinutes the server's timeout T
 * @param lastIssued when the session cookies were last (re)issued, if seen: the cookie dies at
 *   issued + 1.5 T at the latest, which can narrow the window.
 */
export function expiryWindow(lastActivity: number, timeoutMinutes: number, lastIssued: number | null = null): ExpiryWindow {
  const t = timeoutMinutes * MINUTE;
  const earliest = lastActivity + t;
  let latest = lastActivity + 1.5 * t;
  if (lastIssued !== null && lastIssued <= lastActivity) {
    const cookieEnd = lastIssued + 1.5 * t;
    // A cookie end before `earliest` would mean we missed a renewal: keep the wide window then.
    if (cookieEnd >= earliest) latest = Math.min(latest, cookieEnd);
  }
  return { earliest, latest };
}

/** Whole minutes left until a moment, rounded down, never negative. */
export function minutesUntil(moment: number, now: number): number {
  return Math.max(0, Math.floor((moment - now) / MINUTE));
}

export type ExpiryPhase = 'safe' | 'warn' | 'window' | 'past';

/** Where `now` lies: before the warning, in the warning lead, inside the window, or after it. */
export function expiryPhase(window: ExpiryWindow, now: number, warnMinutes: number): ExpiryPhase {
  if (now >= window.latest) return 'past';
  if (now >= window.earliest) return 'window';
  if (warnMinutes > 0 && now >= window.earliest - warnMinutes * MINUTE) return 'warn';
  return 'safe';
}

/** Badge text for minutes left: at most 4 characters ("59", "8h", "2d"). */
/**
 * The badge's text for the time left until `moment`: seconds under a minute (with a 1-minute
 * timeout, minutes would read "0" the whole time), then minutes, hours, days.
 */
export function formatTimeLeft(moment: number, now: number): string {
  const ms = Math.max(0, moment - now);
  if (ms < MINUTE) return `${Math.ceil(ms / 1000)}s`;
  return formatMinutesLeft(minutesUntil(moment, now));
}

export function formatMinutesLeft(minutes: number): string {
  if (minutes < 60) return String(minutes);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h`;
  return `${Math.floor(minutes / (24 * 60))}d`;
}

/** "12–18 min" / "8–12 h" for a person: the honest range of what is left. */
export function describeWindow(window: ExpiryWindow, now: number): string {
  const low = minutesUntil(window.earliest, now);
  const high = minutesUntil(window.latest, now);
  if (high === 0) return 'expired (estimated)';
  if (high < 120) return `${low}–${high} min`;
  return `${Math.floor(low / 60)}–${Math.floor(high / 60)} h`;
}
