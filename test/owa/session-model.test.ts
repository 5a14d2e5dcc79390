import { describe, expect, it } from 'vitest';
import { initialSession, reduceSession, type SessionEvent, type SessionState } from '../../src/owa/session-model';

const O = 'https://mail.example.com';

function run(events: SessionEvent[], start: SessionState = initialSession(O, 0)): SessionState {
  return events.reduce(reduceSession, start);
}

const signedIn = (at = 10): SessionState => run([{ type: 'cookie-set', name: 'cadata', at }]);

describe('session model', () => {
  it('starts signed out and signs in when the auth cookie is set', () => {
    expect(initialSession(O, 0).status).toBe('signed-out');
    const s = signedIn(10);
    expect(s).toMatchObject({ status: 'signed-in', cookies: ['cadata'], lastActivity: 10, lastIssued: 10, updatedAt: 10 });
  });

  it('guesses 2010+ from cadataTTL and X-OWA-CANARY', () => {
    expect(run([{ type: 'cookie-set', name: 'cadataTTL', at: 1 }]).generation).toBe('2010+');
    expect(run([{ type: 'cookie-set', name: 'X-OWA-CANARY', at: 1 }]).generation).toBe('2010+');
  });

  it('ignores cookies that are not OWA session cookies', () => {
    const s = initialSession(O, 0);
    expect(reduceSession(s, { type: 'cookie-set', name: 'tracking', at: 5 })).toBe(s);
  });

  it('moves the window with counted activity only while live', () => {
    expect(run([{ type: 'activity', generation: 'unknown', at: 50 }], signedIn()).lastActivity).toBe(50);
    expect(run([{ type: 'activity', generation: 'unknown', at: 50 }]).lastActivity).toBeNull();
  });

  it('a 440 expires the session (server)', () => {
    expect(run([{ type: 'login-timeout', at: 20 }], signedIn())).toMatchObject({ status: 'expired', expiredBy: 'server' });
  });

  it('a reason=3 redirect expires; reason=1 signs out; reason=2 from the user signs out', () => {
    const redirect = (reason: number): SessionEvent => ({ type: 'logon-redirect', reason, generation: 'unknown', logonUrl: `${O}/owa/auth/logon.aspx?reason=${reason}`, at: 30 });
    expect(run([redirect(3)], signedIn())).toMatchObject({ status: 'expired', lastReason: 3 });
    expect(run([redirect(1)], signedIn())).toMatchObject({ status: 'signed-out', lastReason: 1 });
    expect(run([redirect(2)])).toMatchObject({ status: 'signed-out', lastReason: 2 });
  });

  it('after a sign-out (or before any session was seen) a 440 or reason=3 is no timeout: nothing to sign back in', () => {
    const logoff: SessionEvent = { type: 'logoff', at: 20 };
    const reason3: SessionEvent = { type: 'logon-redirect', reason: 3, generation: 'unknown', logonUrl: `${O}/owa/auth/logon.aspx?reason=3`, at: 30 };
    expect(run([logoff, { type: 'login-timeout', at: 30 }], signedIn())).toMatchObject({ status: 'signed-out', expiredBy: null });
    expect(run([logoff, reason3], signedIn())).toMatchObject({ status: 'signed-out', expiredBy: null });
    expect(run([{ type: 'login-timeout', at: 30 }]).status).toBe('signed-out');
    expect(run([reason3]).status).toBe('signed-out');
    // Signed out in another tab (OWA shows its logon page with reason=1): just as binding.
    const reason1: SessionEvent = { type: 'logon-redirect', reason: 1, generation: 'unknown', logonUrl: `${O}/owa/auth/logon.aspx?reason=1`, at: 20 };
    expect(run([reason1], signedIn())).toMatchObject({ status: 'signed-out', loggedOff: true });
    expect(run([reason1, { type: 'login-timeout', at: 30 }], signedIn())).toMatchObject({ status: 'signed-out', expiredBy: null });
    expect(run([reason1, reason3], signedIn())).toMatchObject({ status: 'signed-out', expiredBy: null });
    // A sign-in by hand after the sign-out makes the session live again, and its timeouts count.
    expect(run([logoff, { type: 'cookie-set', name: 'cadata', at: 40 }, { type: 'login-timeout', at: 50 }], signedIn()).status).toBe('expired');
    // Already expired (by our estimate, or by a 440 while a sign-in waits): a reason=3 still counts.
    expect(run([{ type: 'login-timeout', at: 20 }, reason3], signedIn())).toMatchObject({ status: 'expired', expiredBy: 'server' });
  });

  it("the server's own clearing just before its 440 (Firefox reports it as a plain removal) still lets the 440 count", () => {
    const removed: SessionEvent = { type: 'cookie-cleared', name: 'cadata', expired: false, at: 20 };
    const afterRemoval = run([removed], signedIn());
    expect(afterRemoval.status).toBe('signed-out');
    expect(run([{ type: 'login-timeout', at: 21 }], afterRemoval)).toMatchObject({ status: 'expired', expiredBy: 'server' });
    const reason3: SessionEvent = { type: 'logon-redirect', reason: 3, generation: 'unknown', logonUrl: `${O}/owa/auth/logon.aspx?reason=3`, at: 21 };
    expect(run([reason3], afterRemoval)).toMatchObject({ status: 'expired', expiredBy: 'server' });
    // The user's sign-out is remembered until the next sign-in, not beyond it.
    const loggedOff = run([{ type: 'logoff', at: 20 }], signedIn());
    expect(loggedOff.loggedOff).toBe(true);
    expect(run([{ type: 'cookie-set', name: 'cadata', at: 30 }], loggedOff).loggedOff).toBeUndefined();
    expect(run([{ type: 'relogin-succeeded', generation: '2010+', at: 30 }], loggedOff).loggedOff).toBeUndefined();
  });

  it('2003 says reason=0 on a timeout: expired only when a session was live', () => {
    const r0: SessionEvent = { type: 'logon-redirect', reason: 0, generation: '2003', logonUrl: `${O}/exchweb/bin/auth/owalogon.asp?reason=0`, at: 30 };
    expect(run([r0], signedIn()).status).toBe('expired');
    expect(run([r0]).status).toBe('signed-out');
  });

  it('the server clearing the auth cookies of a live session means expired; by hand, signed out', () => {
    expect(run([{ type: 'cookie-cleared', name: 'cadata', expired: true, at: 40 }], signedIn())).toMatchObject({ status: 'expired', expiredBy: 'cookies', cookies: [] });
    expect(run([{ type: 'cookie-cleared', name: 'cadata', expired: false, at: 40 }], signedIn()).status).toBe('signed-out');
  });

  it('the auth cookie during our own sign-in moves the window, the relogin decides the status', () => {
    const s = run(
      [
        { type: 'login-timeout', at: 20 },
        { type: 'relogin-started', at: 21 },
        { type: 'cookie-set', name: 'cadata', at: 22 },
      ],
      signedIn(),
    );
    expect(s).toMatchObject({ status: 'signing-in', lastIssued: 22 });
    expect(reduceSession(s, { type: 'relogin-succeeded', generation: '2010+', at: 23 })).toMatchObject({ status: 'signed-in', generation: '2010+', lastActivity: 23, failure: null });
  });

  it('a rejected password is final and survives a later 440', () => {
    const s = run(
      [
        { type: 'login-timeout', at: 20 },
        { type: 'relogin-started', at: 21 },
        { type: 'relogin-failed', failure: 'rejected', final: true, at: 22 },
        { type: 'login-timeout', at: 23 },
      ],
      signedIn(),
    );
    expect(s).toMatchObject({ status: 'sign-in-failed', failure: 'rejected' });
  });

  it('a passing error waits in expired; the last attempt fails for good', () => {
    const base = run(
      [
        { type: 'login-timeout', at: 20 },
        { type: 'relogin-started', at: 21 },
      ],
      signedIn(),
    );
    expect(reduceSession(base, { type: 'relogin-failed', failure: 'error', final: false, at: 22 }).status).toBe('expired');
    expect(reduceSession(base, { type: 'relogin-failed', failure: 'error', final: true, at: 22 }).status).toBe('sign-in-failed');
  });

  it('forms-unavailable sticks: no sign-in starts, 440s do not change it', () => {
    const s = run([
      { type: 'forms-unavailable', why: 'adfs', at: 5 },
      { type: 'login-timeout', at: 6 },
      { type: 'relogin-started', at: 7 },
      { type: 'logoff', at: 8 },
    ]);
    expect(s).toMatchObject({ status: 'forms-unavailable', formsUnavailable: 'adfs' });
  });

  it('ticks move a live session through expiring to expired (estimate) and back on proof of life', () => {
    let s = reduceSession(signedIn(), { type: 'tick', phase: 'warn', at: 100 });
    expect(s.status).toBe('expiring');
    s = reduceSession(s, { type: 'tick', phase: 'past', at: 200 });
    expect(s).toMatchObject({ status: 'expired', expiredBy: 'estimate' });
    s = reduceSession(s, { type: 'activity', generation: 'unknown', at: 210 });
    expect(s).toMatchObject({ status: 'signed-in', lastActivity: 210 });
  });

  it('does not revive a server-confirmed expiry on activity', () => {
    const s = run(
      [
        { type: 'login-timeout', at: 20 },
        { type: 'activity', generation: 'unknown', at: 21 },
      ],
      signedIn(),
    );
    expect(s.status).toBe('expired');
  });

  it('returns the same object when nothing changes', () => {
    const s = initialSession(O, 0);
    expect(reduceSession(s, { type: 'cookie-cleared', name: 'cadata', expired: true, at: 9 })).toBe(s);
  });
});
