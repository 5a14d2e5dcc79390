import { describe, expect, it } from 'vitest';
import { StartUp, within } from '../../src/background/start-up';

describe('worker start-up', () => {
  it('runs once while it works, and every caller gets the same services', async () => {
    let starts = 0;
    const startUp = new StartUp(
      async () => ++starts,
      () => undefined,
    );
    expect(await Promise.all([startUp.get(), startUp.get()])).toEqual([1, 1]);
    expect(await startUp.get()).toBe(1);
    expect(starts).toBe(1);
  });

  it('a failed start is run again by a later event, not before the gap, and reports each failure', async () => {
    let now = 0;
    let starts = 0;
    const failures: string[] = [];
    const startUp = new StartUp(
      async () => {
        starts++;
        if (starts === 1) throw new Error('IndexedDB blocked');
        return 'services';
      },
      (error) => failures.push(String(error)),
      () => now,
      5_000,
    );
    await expect(startUp.get()).rejects.toThrow('IndexedDB blocked');
    expect(failures).toEqual(['Error: IndexedDB blocked']);
    now = 1_000;
    await expect(startUp.get()).rejects.toThrow(/tried again shortly/);
    expect(starts).toBe(1);
    now = 6_000;
    expect(await startUp.get()).toBe('services');
    expect(starts).toBe(2);
  });

  it('bounds a wait that never settles, saying what did not finish', async () => {
    await expect(within(new Promise(() => undefined), 20, 'opening IndexedDB')).rejects.toThrow('opening IndexedDB did not finish within 0.02 s');
    expect(await within(Promise.resolve(7), 20, 'x')).toBe(7);
  });
});
