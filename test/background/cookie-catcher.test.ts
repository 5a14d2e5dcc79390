import { describe, expect, it } from 'vitest';
import { CookieCatcher, EventWait } from '../../src/background/cookie-catcher';

const cookie = (name: string) => ({ name, value: `v-${name}`, domain: 'mail.example.com', path: '/', hostOnly: true, secure: true, httpOnly: true });

describe('CookieCatcher', () => {
  it('settles at once when every expected cookie is already caught', async () => {
    const catcher = new CookieCatcher(() => {
      throw new Error('no wait expected');
    });
    catcher.add(cookie('cadata'));
    expect((await catcher.settle(['cadata'], 1_000)).map((c) => c.name)).toEqual(['cadata']);
  });

  it('waits for the expected ones that come later, and no longer', async () => {
    const catcher = new CookieCatcher();
    catcher.add(cookie('cadata'));
    setTimeout(() => catcher.add(cookie('cadataKey')), 10);
    const started = Date.now();
    const caught = await catcher.settle(['cadata', 'cadataKey'], 5_000);
    expect(caught.map((c) => c.name)).toEqual(['cadata', 'cadataKey']);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('gives what it has when the wait is over (a cookie the browser refused never comes)', async () => {
    let fire: (() => void) | null = null;
    const catcher = new CookieCatcher((run) => void (fire = run));
    catcher.add(cookie('cadata'));
    const pending = catcher.settle(['cadata', 'UC'], 2_000);
    expect(fire).not.toBeNull();
    fire!();
    expect((await pending).map((c) => c.name)).toEqual(['cadata']);
  });

  it('keeps the last value of each name', async () => {
    const catcher = new CookieCatcher();
    catcher.add(cookie('cadata'));
    catcher.add({ ...cookie('cadata'), value: 'newer' });
    expect(await catcher.settle([], 0)).toEqual([{ ...cookie('cadata'), value: 'newer' }]);
  });
});

describe('EventWait', () => {
  it('resolves with a value set later', async () => {
    const wait = new EventWait<number>();
    setTimeout(() => wait.set(7), 10);
    expect(await wait.settle(5_000)).toBe(7);
  });

  it('resolves null when nothing came in time', async () => {
    let fire: (() => void) | null = null;
    const wait = new EventWait<number>((run) => void (fire = run));
    const pending = wait.settle(2_000);
    fire!();
    expect(await pending).toBeNull();
  });
});
