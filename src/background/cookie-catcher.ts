// Collects the session cookies a sign-in's answer sets, as the browser reports them. Browsers
// report cookies (cookies.onChanged) and answers (webRequest) as events that may come after
// the fetch that caused them has settled, so the collector can wait, bounded, for those the
// answer named. Pure: the browser wiring is in browser-deps.ts, a fake feeds it in tests.
import type { CaughtCookie } from '../owa/sign-in-result';

type Timer = (run: () => void, ms: number) => unknown;

// Not `setTimeout` itself: called as a method of another object it throws "Illegal invocation" in browsers.
const defaultTimer: Timer = (run, ms) => setTimeout(run, ms);

/** Resolves when `wake` is called or after `ms`, whichever comes first. */
function wakeOrTimeout(timer: Timer, ms: number, setWake: (wake: (() => void) | null) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    setWake(resolve);
    timer(resolve, ms);
  }).finally(() => setWake(null));
}

export class CookieCatcher {
  private readonly caught = new Map<string, CaughtCookie>();
  private expected: readonly string[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly timer: Timer = defaultTimer) {}

  /** A cookie set (the last of each name counts). */
  add(cookie: CaughtCookie): void {
    this.caught.set(cookie.name, cookie);
    if (this.complete()) this.wake?.();
  }

  /** What was caught, once each of `expected` has been, or after `maxWaitMs`. */
  async settle(expected: readonly string[], maxWaitMs: number): Promise<CaughtCookie[]> {
    this.expected = expected;
    if (!this.complete()) await wakeOrTimeout(this.timer, maxWaitMs, (wake) => (this.wake = wake));
    return [...this.caught.values()];
  }

  private complete(): boolean {
    return this.expected.every((name) => this.caught.has(name));
  }
}

/** Resolves with what `seen()` gives once it gives something (checked when poked), or null after `maxWaitMs`. */
export class EventWait<T> {
  private value: T | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly timer: Timer = defaultTimer) {}

  set(value: T): void {
    this.value = value;
    this.wake?.();
  }

  async settle(maxWaitMs: number): Promise<T | null> {
    if (this.value === null) await wakeOrTimeout(this.timer, maxWaitMs, (wake) => (this.wake = wake));
    return this.value;
  }
}
