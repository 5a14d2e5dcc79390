// The session cookies our last sign-in got, per origin, while late 440s may still clear them.
// Memory only, on purpose: they are as good as a password, and a restarted worker just does
// without (the tabs then meet the logon page, and the next timeout starts a sign-in).
import { POLICY } from '../owa/relogin-policy';
import type { CaughtCookie } from '../owa/sign-in-result';
import type { SignInDeps } from './sign-in';

interface Entry {
  cookies: readonly CaughtCookie[];
  until: number;
  left: number;
}

export class FreshCookies {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly restore: SignInDeps['restoreCookies'],
    private readonly log: (message: string) => void,
  ) {}

  keep(origin: string, cookies: readonly CaughtCookie[], now: number): void {
    this.entries.set(origin, { cookies, until: now + POLICY.graceAfterSuccessMs, left: POLICY.maxRestores });
  }

  /** A sign-out by hand, or an origin no longer watched: its cookies are never put back. */
  drop(origin: string): void {
    this.entries.delete(origin);
  }

  /** Whether fresh cookies of our sign-in are still being put back (within the grace and the bound). */
  holds(origin: string, at: number): boolean {
    const entry = this.entries.get(origin);
    return entry !== undefined && at < entry.until && entry.left > 0 && this.restore !== undefined;
  }

  /**
   * Within the grace after our sign-in, a clearing of its cookies comes from a 440 answering a
   * request sent before it (Exchange clears the cookies with every 440): put them back, a
   * bounded number of times. Says whether the clearing was handled so.
   */
  async putBack(origin: string, at: number): Promise<boolean> {
    const entry = this.entries.get(origin);
    if (!entry || !this.restore || !this.holds(origin, at)) {
      this.entries.delete(origin);
      return false;
    }
    const restored = await this.restore(origin, entry.cookies).catch(() => 0);
    if (restored > 0) {
      entry.left--;
      this.log(`relogin ${origin}: put back ${restored} session cookie(s) a late 440 cleared`);
    }
    return true;
  }
}
