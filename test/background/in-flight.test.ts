import { describe, expect, it } from 'vitest';
import { InFlightRequests } from '../../src/background/in-flight';

describe('InFlightRequests', () => {
  it('counts the unanswered requests of an origin sent up to a moment', () => {
    const r = new InFlightRequests();
    r.start('1', 'https://a.example', 100);
    r.start('2', 'https://a.example', 200);
    r.start('3', 'https://b.example', 100);
    expect(r.pending('https://a.example', 150)).toBe(1);
    expect(r.pending('https://a.example', 200)).toBe(2);
    r.end('1');
    r.end('unknown');
    expect(r.pending('https://a.example', 200)).toBe(1);
    expect(r.pending('https://b.example', 200)).toBe(1);
  });

  it('settles when they are answered, and gives up after the bound (a long poll)', async () => {
    let clock = 0;
    const now = () => clock;
    const r = new InFlightRequests();
    r.start('1', 'https://a.example', 0);
    const sleeps: number[] = [];
    const answered = r.settle(
      'https://a.example',
      now,
      async (ms) => {
        sleeps.push(ms);
        clock += ms;
        if (clock >= 100) r.end('1');
      },
      3_000,
    );
    expect(await answered).toBe(true);
    expect(clock).toBe(100);

    r.start('2', 'https://a.example', clock);
    const start = clock;
    expect(await r.settle('https://a.example', now, async (ms) => void (clock += ms), 3_000)).toBe(false);
    expect(clock - start).toBe(3_000);
    // Requests sent after the wait began do not hold it.
    r.end('2');
    const late = r.settle(
      'https://a.example',
      now,
      async (ms) => {
        clock += ms;
        r.start(`new${clock}`, 'https://a.example', clock);
      },
      3_000,
    );
    expect(await late).toBe(true);
  });

  it('never tracks more than a bounded number (missed answers do not pile up)', () => {
    const r = new InFlightRequests();
    for (let i = 0; i < 5_000; i++) r.start(String(i), 'https://a.example', 0);
    expect(r.pending('https://a.example', 0)).toBe(2_000);
  });
});
