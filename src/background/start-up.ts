// The worker's start-up, run again when it failed: a start that threw (storage unreadable for a
// moment, IndexedDB blocked) must not leave every later event failing until the browser
// restarts. As uBlock Origin Lite does, the next event (or a retry alarm) starts it again, no
// more often than once per `minGapMs` so a start that fails every time cannot spin.

export class StartUp<T> {
  private current: Promise<T> | null = null;
  private failedAt = -Infinity;

  constructor(
    private readonly start: () => Promise<T>,
    private readonly onFailure: (error: unknown) => void,
    private readonly now: () => number = Date.now,
    private readonly minGapMs = 5_000,
  ) {}

  /** The started services; starts (again) when there are none and the last failure is old enough. */
  get(): Promise<T> {
    if (this.current) return this.current;
    if (this.now() - this.failedAt < this.minGapMs) return Promise.reject(new Error('start-up failed a moment ago; it is tried again shortly'));
    const attempt = this.start();
    this.current = attempt;
    attempt.catch((error: unknown) => {
      if (this.current === attempt) this.current = null;
      this.failedAt = this.now();
      this.onFailure(error);
    });
    return attempt;
  }
}

/** Rejects with `what` when `promise` has not settled within `ms` (an IndexedDB open can block forever). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
