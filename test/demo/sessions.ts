// Server-side OWA sessions with Exchange's sliding rule. A session issued at t lives until
// t + 1.5 T; a request that counts as user activity re-issues it, but only once more than T/2
// has passed since it was issued. So the idle expiry lands between T and 1.5 T after the last
// activity, and a client that only sees cookies can merely estimate it.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SessionInfo } from './types';

export interface Session extends SessionInfo {
  /** The value of the cookie that names the session (cadata on 2010+, sessionid on 2003). */
  id: string;
  /** T in ms. */
  timeoutMs: number;
  /** The other auth cookie values a request must present unchanged. */
  tokens: Record<string, string>;
  canary: string;
}

export type SessionCheck = { state: 'valid'; session: Session } | { state: 'expired' } | { state: 'unknown' };

export interface Timeouts {
  publicMs: number;
  privateMs: number;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number,
    private readonly timeouts: Timeouts,
  ) {}

  issue(user: string, isPrivate: boolean, tokenNames: readonly string[]): Session {
    const issuedAt = this.now();
    const timeoutMs = isPrivate ? this.timeouts.privateMs : this.timeouts.publicMs;
    const session: Session = {
      id: token(),
      user,
      private: isPrivate,
      issuedAt,
      expiresAt: issuedAt + 1.5 * timeoutMs,
      timeoutMs,
      tokens: Object.fromEntries(tokenNames.map((name) => [name, token()])),
      canary: canary(),
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** Finds the session a request names; an id that matches nothing counts as expired (the server forgot it). */
  check(id: string | undefined, tokens: ReadonlyMap<string, string>): SessionCheck {
    if (!id) return { state: 'unknown' };
    const session = this.#sessions.get(id);
    if (!session) return { state: 'expired' };
    for (const [name, value] of Object.entries(session.tokens)) {
      if (tokens.get(name) !== value) return { state: 'expired' };
    }
    if (this.now() >= session.expiresAt) {
      this.#sessions.delete(id);
      return { state: 'expired' };
    }
    return { state: 'valid', session };
  }

  /** Applies the sliding rule; true when the session was re-issued (new expiry, new TTL cookie). */
  touch(session: Session, isUserActivity: boolean): boolean {
    const now = this.now();
    if (!isUserActivity || now - session.issuedAt <= session.timeoutMs / 2) return false;
    session.issuedAt = now;
    session.expiresAt = now + 1.5 * session.timeoutMs;
    return true;
  }

  remove(id: string): void {
    this.#sessions.delete(id);
  }

  expireAll(): void {
    const now = this.now();
    for (const session of this.#sessions.values()) session.expiresAt = Math.min(session.expiresAt, now);
  }

  live(): SessionInfo[] {
    const now = this.now();
    return [...this.#sessions.values()].filter((s) => now < s.expiresAt).map(({ user, private: isPrivate, issuedAt, expiresAt }) => ({ user, private: isPrivate, issuedAt, expiresAt }));
  }
}

function token(): string {
  return randomBytes(24).toString('base64').replace(/=+$/, '');
}

/** OWA's canary: a GUID without dashes followed by a timestamp-like tail. */
function canary(): string {
  return `${randomUUID().replace(/-/g, '')}${Date.now().toString(16).toUpperCase()}`;
}
