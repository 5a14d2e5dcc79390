import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/owa/settings';
import { boundsOf, learn, learnedMinutes, readLearned, timeoutInEffect, type EndSeen } from '../../src/owa/timeout-learning';

const MIN = 60_000;
/** An end seen promptly: the page's poll 5 s before was still answered. */
const endAfter = (idleMs: number, start = 0): EndSeen => ({ computer: 'public', lastActivity: start, lastAlive: start + idleMs - 5_000, end: start + idleMs });

describe('learning the server timeout from its own ends', () => {
  it('one prompt end bounds T: more than (alive − activity)/1.5, at most end − activity', () => {
    expect(boundsOf(endAfter(90_000))).toEqual({ lowMs: 85_000 / 1.5, highMs: 90_000 });
    // Seen long after the last answered request (a laptop asleep): no bound from below, not used.
    expect(boundsOf({ computer: 'public', lastActivity: 0, lastAlive: 60_000, end: 10 * MIN })).toBeNull();
    expect(boundsOf({ computer: 'public', lastActivity: 0, lastAlive: null, end: MIN })).toBeNull();
  });

  it('a 1-minute server: after one end T looks like 1 min; two that agree narrow it', () => {
    const first = learn(null, endAfter(80_000))!;
    expect(learnedMinutes(first)).toBe(1);
    expect(first.observations).toBe(1);
    const second = learn(first, endAfter(70_000, 10 * MIN))!;
    expect(second.observations).toBe(2);
    expect(learnedMinutes(second)).toBe(1);
  });

  it('an end that contradicts what was learned starts again (the admin changed T)', () => {
    const oneMinute = learn(learn(null, endAfter(80_000)), endAfter(70_000))!;
    const tenMinutes = learn(oneMinute, endAfter(12 * MIN))!;
    expect(tenMinutes.observations).toBe(1);
    expect(learnedMinutes(tenMinutes)).toBeGreaterThanOrEqual(8);
  });

  it('in effect: yours if set; learned after two agreeing ends (unless off); else the default, with a suggestion', () => {
    const once = learn(null, endAfter(80_000))!;
    const twice = learn(once, endAfter(70_000))!;
    expect(timeoutInEffect(DEFAULT_SETTINGS, '2010+', null)).toEqual({ minutes: 15, source: 'default', observations: 0, suggestion: null });
    expect(timeoutInEffect(DEFAULT_SETTINGS, '2010+', once)).toEqual({ minutes: 15, source: 'default', observations: 1, suggestion: 1 });
    expect(timeoutInEffect(DEFAULT_SETTINGS, '2010+', twice)).toEqual({ minutes: 1, source: 'learned', observations: 2, suggestion: null });
    expect(timeoutInEffect({ ...DEFAULT_SETTINGS, learnTimeout: false }, '2010+', twice)).toMatchObject({ minutes: 15, source: 'default', suggestion: 1 });
    expect(timeoutInEffect({ ...DEFAULT_SETTINGS, publicTimeoutMinutes: 20 }, '2010+', twice)).toMatchObject({ minutes: 20, source: 'set', suggestion: 1 });
    expect(timeoutInEffect({ ...DEFAULT_SETTINGS, publicTimeoutMinutes: 1 }, '2010+', twice)).toMatchObject({ minutes: 1, source: 'set', suggestion: null });
    // Learned for public computers says nothing about private sessions.
    expect(timeoutInEffect({ ...DEFAULT_SETTINGS, computer: 'private' }, '2010+', twice)).toMatchObject({ minutes: 480, source: 'default', suggestion: null });
    // The session held is what counts: a private session (hidden flags=4) under a public setting
    // has the private default and what was learned for private sessions, and the private field.
    expect(timeoutInEffect(DEFAULT_SETTINGS, '2010+', null, 'private')).toMatchObject({ minutes: 480, source: 'default' });
    const privateTwice = learn(learn(null, { ...endAfter(80_000), computer: 'private' }), { ...endAfter(70_000), computer: 'private' });
    expect(timeoutInEffect(DEFAULT_SETTINGS, '2010+', privateTwice, 'private')).toMatchObject({ minutes: 1, source: 'learned', observations: 2 });
    expect(timeoutInEffect(DEFAULT_SETTINGS, '2010+', privateTwice)).toMatchObject({ minutes: 15, source: 'default', observations: 0 });
    expect(timeoutInEffect({ ...DEFAULT_SETTINGS, privateTimeoutMinutes: 30 }, '2010+', null, 'private')).toMatchObject({ minutes: 30, source: 'set' });
  });

  it('reads stored values defensively', () => {
    expect(readLearned({ computer: 'public', lowMs: 40_000, highMs: 80_000, observations: 2 })).toEqual({ computer: 'public', lowMs: 40_000, highMs: 80_000, observations: 2 });
    for (const bad of [
      null,
      'x',
      { computer: 'x', lowMs: 1, highMs: 2, observations: 1 },
      { computer: 'public', lowMs: 5, highMs: 2, observations: 1 },
      { computer: 'public', lowMs: 1, highMs: 2, observations: 0 },
    ]) {
      expect(readLearned(bad)).toBeNull();
    }
  });
});
