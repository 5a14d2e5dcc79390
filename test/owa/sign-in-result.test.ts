import { describe, expect, it } from 'vitest';
import { failureOf, isFinalResult, reloginOutcomeOf, signInDetail, type SignInResult } from '../../src/owa/sign-in-result';
import { msg } from '../../src/shared/words';
import { english } from '../shared/english';
import { cutOffSignInWorked, initialRecord, isLateTimeout, POLICY } from '../../src/owa/relogin-policy';

const endings: Array<[SignInResult, 'success' | 'rejected' | 'error', boolean, string]> = [
  [{ outcome: 'success', generation: '2010+', posted: true }, 'success', false, 'signed in again'],
  [{ outcome: 'success', generation: '2010+', posted: false }, 'success', false, 'already signed in (in another tab)'],
  [{ outcome: 'rejected' }, 'rejected', false, 'password was refused'],
  [{ outcome: 'blocked', reason: 4 }, 'error', true, '(reason=4)'],
  [{ outcome: 'forms-unavailable', why: 'adfs' }, 'error', true, 'AD FS'],
  [{ outcome: 'unsafe-redirect', status: 307, location: 'http://evil.example/' }, 'rejected', true, 'HTTP 307 to http://evil.example/'],
  [{ outcome: 'error', detail: msg('bg_error_logon_unreachable', 'HTTP 503') }, 'error', false, 'logon page unreachable: HTTP 503'],
];

describe('how a sign-in ended', () => {
  it.each(endings)('%o: policy outcome, finality and words', (result, outcome, finalByItself, words) => {
    expect(reloginOutcomeOf(result)).toBe(outcome);
    expect(isFinalResult(result, false)).toBe(finalByItself);
    expect(isFinalResult(result, true)).toBe(true);
    expect(english(signInDetail(result)).toLowerCase()).toContain(words.toLowerCase());
  });

  it('names the failure the session model records', () => {
    expect(failureOf({ outcome: 'rejected' })).toBe('rejected');
    expect(failureOf({ outcome: 'blocked', reason: 4 })).toBe('blocked');
    expect(failureOf({ outcome: 'unsafe-redirect', status: 308, location: 'https://other.example/' })).toBe('unsafe-redirect');
    expect(failureOf({ outcome: 'error', detail: msg('bg_error_no_fresh_cookies') })).toBe('error');
  });
});

describe('late timeouts and cut-off sign-ins', () => {
  const succeeded = { ...initialRecord(), lastSuccess: 1_000 };

  it('a timeout just after our success, cookies held, is a late answer; otherwise it is a timeout', () => {
    const at = 1_000 + POLICY.graceAfterSuccessMs - 1;
    expect(isLateTimeout(succeeded, { at, live: true, cookiesHeld: true })).toBe(true);
    expect(isLateTimeout(succeeded, { at: 1_000 + POLICY.graceAfterSuccessMs, live: true, cookiesHeld: true })).toBe(false);
    expect(isLateTimeout(succeeded, { at, live: false, cookiesHeld: true })).toBe(false);
    expect(isLateTimeout(succeeded, { at, live: true, cookiesHeld: false })).toBe(false);
    expect(isLateTimeout(initialRecord(), { at, live: true, cookiesHeld: true })).toBe(false);
    expect(isLateTimeout(undefined, { at, live: true, cookiesHeld: true })).toBe(false);
  });

  it('a cut-off sign-in worked only if auth cookies are held and were issued since it began', () => {
    expect(cutOffSignInWorked(5_000, true, 5_000)).toBe(true);
    expect(cutOffSignInWorked(5_000, true, 4_999)).toBe(false);
    expect(cutOffSignInWorked(5_000, false, 6_000)).toBe(false);
    expect(cutOffSignInWorked(5_000, true, null)).toBe(false);
    expect(cutOffSignInWorked(5_000, true, undefined)).toBe(false);
  });
});
