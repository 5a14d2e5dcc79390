// Learning a server's session timeout T from what it showed. The extension assumes Exchange's
// defaults (15 min public, 8 h private) unless told; a server set otherwise ends sessions while
// the badge still counts. Each end the server announces (a 440 or reason=3 ending a live
// session) bounds T: the session ends between a + T and a + 1.5 T after the last activity a
// (see expiry.ts), and it ended after the last request that was still answered (alive) and no
// later than the moment the end was seen. Only ends seen promptly bound T from below: OWA's
// own polling answers every few seconds while a tab is open, so an end seen long after the
// last answered request (a laptop asleep) says only that T was not longer.
import type { Generation } from './generation';
import { defaultTimeoutMinutes, timeoutField, type ComputerKind, type OriginSettings } from './settings';

const MINUTE = 60_000;
/** An end seen within this of the last answered request was seen promptly. */
const PROMPT_MS = 90_000;

export interface LearnedTimeout {
  computer: ComputerKind;
  /** T is more than this (ms). */
  lowMs: number;
  /** T is at most this (ms). */
  highMs: number;
  /** Ends seen that agree with these bounds. */
  observations: number;
}

export interface EndSeen {
  computer: ComputerKind;
  /** The last request that counted as user activity. */
  lastActivity: number;
  /** When the last request of the origin answered normally before the end was sent (null: unknown). */
  lastAlive: number | null;
  /** When the end was seen (the 440 or the redirect). */
  end: number;
}

/** A stored value read back, or null when it is not a well-formed LearnedTimeout. */
export function readLearned(stored: unknown): LearnedTimeout | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const { computer, lowMs, highMs, observations } = stored as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if ((computer !== 'public' && computer !== 'private') || !finite(lowMs) || !finite(highMs) || lowMs >= highMs) return null;
  if (!finite(observations) || !Number.isInteger(observations) || observations < 1) return null;
  return { computer, lowMs, highMs, observations };
}

/** The bounds on T one end gives, or null when it says nothing useful. */
export function boundsOf(seen: EndSeen): { lowMs: number; highMs: number } | null {
  const highMs = seen.end - seen.lastActivity;
  if (highMs <= 0 || seen.lastAlive === null || seen.end - seen.lastAlive > PROMPT_MS) return null;
  const lowMs = Math.max(0, (seen.lastAlive - seen.lastActivity) / 1.5);
  return lowMs < highMs ? { lowMs, highMs } : null;
}

/**
 * What is known after one more end: the bounds narrowed by it, or, when it contradicts what was
 * learned (the admin changed T, or the computer kind changed), started again from it.
 */
export function learn(known: LearnedTimeout | null | undefined, seen: EndSeen): LearnedTimeout | null {
  const bounds = boundsOf(seen);
  if (!bounds) return known ?? null;
  if (known && known.computer === seen.computer) {
    const lowMs = Math.max(known.lowMs, bounds.lowMs);
    const highMs = Math.min(known.highMs, bounds.highMs);
    if (wholeMinutesIn(lowMs, highMs) !== null) return { computer: seen.computer, lowMs, highMs, observations: known.observations + 1 };
  }
  return { computer: seen.computer, ...bounds, observations: 1 };
}

/** The smallest whole number of minutes in (lowMs, highMs]: Exchange's timeouts are whole minutes. */
function wholeMinutesIn(lowMs: number, highMs: number): number | null {
  const minutes = Math.max(1, Math.floor(lowMs / MINUTE) + 1);
  return minutes * MINUTE <= highMs ? minutes : null;
}

/** The timeout the learned bounds point to, in whole minutes (the smallest: warn early rather than late). */
export function learnedMinutes(learned: LearnedTimeout): number | null {
  return wholeMinutesIn(learned.lowMs, learned.highMs);
}

/** Whether `minutes` agrees with what was learned. */
export function agrees(learned: LearnedTimeout, minutes: number): boolean {
  return minutes * MINUTE > learned.lowMs && minutes * MINUTE <= learned.highMs;
}

/** Where the timeout in effect comes from. */
export type TimeoutSource = 'default' | 'set' | 'learned';

export interface TimeoutInEffect {
  minutes: number;
  source: TimeoutSource;
  /** Ends seen that agree with what was learned (for this computer kind). */
  observations: number;
  /** What the server's ends point to, when it disagrees with the timeout in effect. */
  suggestion: number | null;
}

/**
 * The timeout the estimate uses: yours where you set one; else what was learned, once two ends
 * agree on it (unless you turned learning off); else Exchange's default. Where what was learned
 * disagrees with the timeout in effect, it is offered as a suggestion (one click uses it).
 * `computer` is the kind of the session held (a private session lasts 8 hours by default even
 * where the setting says public); the setting's kind where nothing says otherwise.
 */
export function timeoutInEffect(settings: OriginSettings, generation: Generation, learned: LearnedTimeout | null | undefined, computer: ComputerKind = settings.computer): TimeoutInEffect {
  const mine = learned && learned.computer === computer ? learned : null;
  const pointed = mine ? learnedMinutes(mine) : null;
  const observations = mine?.observations ?? 0;
  const suggest = (minutes: number) => (mine && pointed !== null && !agrees(mine, minutes) ? pointed : null);
  const configured = settings[timeoutField(computer)];
  if (configured !== null) return { minutes: configured, source: 'set', observations, suggestion: suggest(configured) };
  if (pointed !== null && settings.learnTimeout && observations >= 2) return { minutes: pointed, source: 'learned', observations, suggestion: null };
  const minutes = defaultTimeoutMinutes(computer, generation);
  return { minutes, source: 'default', observations, suggestion: suggest(minutes) };
}
