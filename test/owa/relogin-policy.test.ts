import { describe, expect, it } from 'vitest';
import { decideRelogin, finishRelogin, initialRecord, POLICY, readRecord, resetRecord, takeLateTabs, type ReloginRecord } from '../../src/owa/relogin-policy';

const ctx = { enabled: true, haveCredentials: true, formsAvailable: true, sessionAlive: true };

function start(record: ReloginRecord, now: number, tabId: number | null = null): ReloginRecord {
  const d = decideRelogin(record, { ...ctx, now, tabId });
  if (d.action !== 'start') throw new Error(`expected start, got ${d.action} ${'why' in d ? d.why : ''}`);
  return d.record;
}

describe('relogin policy', () => {
  it('starts one sign-in and records it in flight; a burst of timeouts adds tabs, not sign-ins', () => {
    let record = start(initialRecord(), 1000, 1);
    expect(record.inFlight).toEqual({ since: 1000, attempt: 1 });
    for (let tab = 2; tab <= 10; tab++) {
      const d = decideRelogin(record, { ...ctx, now: 1000 + tab, tabId: tab });
      expect(d).toMatchObject({ action: 'skip', why: 'in-flight' });
      record = d.record;
    }
    expect(record.tabs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(record.attempts).toBe(1);
  });

  it.each([
    [{ enabled: false }, 'disabled'],
    [{ haveCredentials: false }, 'no-credentials'],
    [{ formsAvailable: false }, 'forms-unavailable'],
  ] as const)('skips when %o', (over, why) => {
    expect(decideRelogin(initialRecord(), { ...ctx, ...over, now: 0 })).toMatchObject({ action: 'skip', why });
  });

  it('a rejected password stops every later attempt until reset', () => {
    const { record, final } = finishRelogin(start(initialRecord(), 0), 'rejected', 10);
    expect(final).toBe(true);
    expect(decideRelogin(record, { ...ctx, now: 10 ** 9 })).toMatchObject({ action: 'skip', why: 'rejected' });
    expect(decideRelogin(resetRecord(record), { ...ctx, now: 10 ** 9 }).action).toBe('start');
  });

  it('backs off after errors and gives up after the last attempt', () => {
    let record = start(initialRecord(), 0);
    let result = finishRelogin(record, 'error', 100);
    expect(result.final).toBe(false);
    expect(result.record.notBefore).toBe(100 + POLICY.backoffMs[0]!);
    expect(decideRelogin(result.record, { ...ctx, now: 200 })).toMatchObject({ action: 'wait', until: 100 + POLICY.backoffMs[0]! });
    record = start(result.record, 100 + POLICY.backoffMs[0]!);
    expect(record.inFlight?.attempt).toBe(2);
    result = finishRelogin(record, 'error', 40_000);
    record = start(result.record, result.record.notBefore);
    result = finishRelogin(record, 'error', 10 ** 6);
    expect(result.final).toBe(true);
    expect(decideRelogin(result.record, { ...ctx, now: 10 ** 8 })).toMatchObject({ action: 'skip', why: 'gave-up' });
  });

  it('ignores timeouts that arrive just after a success (requests sent before it)', () => {
    const { record } = finishRelogin(start(initialRecord(), 0, 3), 'success', 1000);
    expect(record.tabs).toEqual([]);
    expect(decideRelogin(record, { ...ctx, now: 1000 + POLICY.graceAfterSuccessMs - 1 })).toMatchObject({ action: 'skip', why: 'just-succeeded' });
    expect(decideRelogin(record, { ...ctx, now: 1000 + POLICY.graceAfterSuccessMs }).action).toBe('start');
    // A late 440 that cleared the fresh cookies ended the session: sign in again.
    expect(decideRelogin(record, { ...ctx, now: 1001, sessionAlive: false }).action).toBe('start');
  });

  it('late timeouts bring their tab back once, and never a tab already brought back', () => {
    let record = finishRelogin(start(initialRecord(), 0, 1), 'success', 1000).record;
    expect(record.returned).toEqual([1]);
    for (const tab of [1, 2, 2]) {
      const d = decideRelogin(record, { ...ctx, now: 1001, tabId: tab });
      expect(d).toMatchObject({ action: 'skip', why: 'just-succeeded' });
      const late = takeLateTabs(d.record);
      expect(late.tabs).toEqual(tab === 2 && !record.returned.includes(2) ? [2] : []);
      record = late.record;
    }
  });

  it('no endless loop: sign-ins that do not hold (a timeout soon after each success) use up attempts', () => {
    let record = initialRecord();
    let now = 0;
    let started = 0;
    for (let i = 0; i < 20; i++) {
      now += POLICY.graceAfterSuccessMs;
      const d = decideRelogin(record, { ...ctx, now });
      record = d.record;
      if (d.action === 'start') {
        started++;
        record = finishRelogin(record, 'success', now).record;
      }
    }
    expect(started).toBe(POLICY.maxAttempts);
  });

  it('only failures count: timeouts of sessions that held each get a sign-in, however many in a day', () => {
    let record = initialRecord();
    let now = 0;
    for (let i = 1; i <= 10; i++) {
      now += POLICY.heldAfterMs + 60_000;
      const d = decideRelogin(record, { ...ctx, now });
      expect(d).toMatchObject({ action: 'start', attempt: 1 });
      record = finishRelogin(d.record, 'success', now + 1_000).record;
      expect(record.attempts).toBe(0);
    }
  });

  it('a success after failures starts the count again', () => {
    let record = start(initialRecord(), 0);
    record = finishRelogin(record, 'error', 1_000).record;
    expect(record.attempts).toBe(1);
    const second = decideRelogin(record, { ...ctx, now: record.notBefore });
    expect(second).toMatchObject({ action: 'start', attempt: 2 });
    record = finishRelogin(second.record, 'success', record.notBefore + 1_000).record;
    expect(record.attempts).toBe(0);
  });

  it('a session that lasted starts a fresh episode', () => {
    let record = finishRelogin(start(initialRecord(), 0), 'success', 0).record;
    record = { ...record, attempts: POLICY.maxAttempts };
    expect(decideRelogin(record, { ...ctx, now: POLICY.episodeResetMs })).toMatchObject({ action: 'start', attempt: 1 });
  });

  it('a sign-in cut off by a stopped worker is not repeated at once: it counts as an attempt', () => {
    const record = start(initialRecord(), 0);
    expect(decideRelogin(record, { ...ctx, now: POLICY.staleInFlightMs - 1 })).toMatchObject({ action: 'skip', why: 'in-flight' });
    // Stale: the next attempt is number 2, never a repeat of attempt 1.
    const d = decideRelogin(record, { ...ctx, now: POLICY.staleInFlightMs });
    expect(d).toMatchObject({ action: 'start', attempt: 2 });
    // A cut-off second attempt waits out its longer pause, counted from when it began.
    const second = { ...record, attempts: 2, inFlight: { since: 0, attempt: 2 } };
    const w = decideRelogin(second, { ...ctx, now: POLICY.staleInFlightMs });
    expect(w).toMatchObject({ action: 'wait', until: POLICY.backoffMs[1] });
    expect(w.record.inFlight).toBeNull();
  });

  it('reads stored records defensively', () => {
    expect(readRecord(null)).toEqual(initialRecord());
    expect(readRecord({ attempts: 'x', rejected: 'yes', tabs: [1, 'a'] })).toEqual({ ...initialRecord(), tabs: [1] });
  });
});
