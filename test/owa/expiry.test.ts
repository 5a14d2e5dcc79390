import { describe, expect, it } from 'vitest';
import { describeWindow, expiryPhase, expiryWindow, formatMinutesLeft, formatTimeLeft, minutesUntil } from '../../src/owa/expiry';

const MIN = 60_000;

describe('expiryWindow', () => {
  it('spans T to 1.5 T after the last counted activity', () => {
    expect(expiryWindow(1_000_000, 15)).toEqual({ earliest: 1_000_000 + 15 * MIN, latest: 1_000_000 + 22.5 * MIN });
  });

  it('narrows the end to the cookie lifetime when the last issue is known', () => {
    // Issued at 0, activity at 5 min (before T/2: no renewal), T = 15: ends at 22.5 min, not 27.5.
    expect(expiryWindow(5 * MIN, 15, 0)).toEqual({ earliest: 20 * MIN, latest: 22.5 * MIN });
  });

  it('keeps the wide window when the known issue cannot explain the activity (a missed renewal)', () => {
    expect(expiryWindow(20 * MIN, 10, 0)).toEqual({ earliest: 30 * MIN, latest: 35 * MIN });
  });
});

describe('phases and text', () => {
  const w = { earliest: 100 * MIN, latest: 150 * MIN };
  it.each([
    [90 * MIN, 'safe'],
    [98.5 * MIN, 'warn'],
    [100 * MIN, 'window'],
    [149 * MIN, 'window'],
    [150 * MIN, 'past'],
  ] as const)('at %d ms is %s', (now, phase) => {
    expect(expiryPhase(w, now, 2)).toBe(phase);
  });

  it('never warns with warnMinutes 0', () => {
    expect(expiryPhase(w, 99.9 * MIN, 0)).toBe('safe');
  });

  it('counts whole minutes down and never below zero', () => {
    expect(minutesUntil(10 * MIN, 0)).toBe(10);
    expect(minutesUntil(10 * MIN, 0.5 * MIN)).toBe(9);
    expect(minutesUntil(0, 5 * MIN)).toBe(0);
  });

  it('fits the badge', () => {
    expect(formatTimeLeft(45_000, 0)).toBe('45s');
    expect(formatTimeLeft(59_001, 0)).toBe('60s');
    expect(formatTimeLeft(60_000, 0)).toBe('1');
    expect(formatTimeLeft(0, 5_000)).toBe('0s');
    expect(formatMinutesLeft(7)).toBe('7');
    expect(formatMinutesLeft(59)).toBe('59');
    expect(formatMinutesLeft(480)).toBe('8h');
    expect(formatMinutesLeft(2 * 1440 + 5)).toBe('2d');
  });

  it('describes the honest range', () => {
    expect(describeWindow({ earliest: 15 * MIN, latest: 22.5 * MIN }, 0)).toBe('15–22 min');
    expect(describeWindow({ earliest: 480 * MIN, latest: 720 * MIN }, 0)).toBe('8–12 h');
    expect(describeWindow({ earliest: 0, latest: 0 }, 1)).toBe('expired (estimated)');
  });
});
