// The tabs' requests still waiting for an answer, per origin. Before our logon POST we let
// those sent with the old cookies finish: each will come back 440 and clear the cookies, and
// better before the new ones are set than after. Memory only: a restarted worker knows none
// and simply does not wait.

const MAX_TRACKED = 2_000;

export class InFlightRequests {
  private requests = new Map<string, { origin: string; since: number }>();

  start(requestId: string, origin: string, at: number): void {
    // Events can be missed (a worker stopped mid-request): never grow without bound.
    if (this.requests.size >= MAX_TRACKED) {
      const oldest = this.requests.keys().next();
      if (!oldest.done) this.requests.delete(oldest.value);
    }
    this.requests.set(requestId, { origin, since: at });
  }

  end(requestId: string): void {
    this.requests.delete(requestId);
  }

  /** How many requests to `origin` sent at or before `at` are still unanswered. */
  pending(origin: string, at: number): number {
    let n = 0;
    for (const r of this.requests.values()) if (r.origin === origin && r.since <= at) n++;
    return n;
  }

  /**
   * Resolves once no request to `origin` sent up to now is unanswered, or after `maxMs`
   * (a long poll never answers soon); says whether they all finished.
   */
  async settle(origin: string, now: () => number, sleep: (ms: number) => Promise<void>, maxMs: number): Promise<boolean> {
    const from = now();
    while (this.pending(origin, from) > 0) {
      if (now() - from >= maxMs) return false;
      await sleep(25);
    }
    return true;
  }
}
