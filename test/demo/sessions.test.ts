import { describe, expect, it } from 'vitest';
import { accountName, Accounts } from './accounts';
import { SessionStore } from './sessions';

describe('SessionStore: the sliding rule', () => {
  const T = 60_000;

  it('always expires between T and 1.5 T after the last user activity', () => {
    // A deterministic walk of activity times; whatever the pattern, the rule must hold.
    let clock = 0;
    const store = new SessionStore(() => clock, { publicMs: T, privateMs: 10 * T });
    const session = store.issue('alice', false, []);
    let seed = 7;
    let lastActivity = 0;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      clock = lastActivity + (seed % 50_000);
      expect(store.check(session.id, new Map()).state).toBe('valid');
      store.touch(session, true);
      lastActivity = clock;
      expect(session.expiresAt - lastActivity).toBeGreaterThanOrEqual(T);
      expect(session.expiresAt - lastActivity).toBeLessThanOrEqual(1.5 * T);
    }
    clock = session.expiresAt;
    expect(store.check(session.id, new Map()).state).toBe('expired');
  });

  it('tells a forged token from a valid one, and a missing id from a forgotten one', () => {
    const store = new SessionStore(() => 0, { publicMs: T, privateMs: T });
    const session = store.issue('alice', false, ['cadataKey']);
    expect(store.check(session.id, new Map([['cadataKey', session.tokens.cadataKey ?? '']])).state).toBe('valid');
    expect(store.check(session.id, new Map([['cadataKey', 'forged']])).state).toBe('expired');
    expect(store.check(undefined, new Map()).state).toBe('unknown');
    expect(store.check('forgotten', new Map()).state).toBe('expired');
  });
});

describe('accounts', () => {
  it.each([
    ['alice', 'alice'],
    ['CONTOSO\\Alice', 'alice'],
    ['alice@contoso.com', 'alice'],
    [' ALICE ', 'alice'],
  ])('reads %s as the account %s', (logonName, account) => {
    expect(accountName(logonName)).toBe(account);
  });

  it('checks passwords exactly', () => {
    const accounts = new Accounts({ 'CONTOSO\\alice': 'Secret' });
    expect(accounts.verify('alice@contoso.com', 'Secret')).toBe('alice');
    expect(accounts.verify('alice', 'secret')).toBeUndefined();
    expect(accounts.verify('bob', 'Secret')).toBeUndefined();
  });
});
