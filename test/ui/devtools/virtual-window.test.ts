import { describe, expect, it } from 'vitest';
import { pageSize, rowWindow, scrollToRow } from '../../../src/ui/devtools/model/virtual-window';

describe('virtual window maths', () => {
  it('renders the rows in view plus overscan', () => {
    expect(rowWindow(0, 100, 20, 1000, 2)).toEqual({ start: 0, end: 8 });
    expect(rowWindow(400, 100, 20, 1000, 2)).toEqual({ start: 18, end: 28 });
    expect(rowWindow(19_990, 100, 20, 1000, 2)).toEqual({ start: 997, end: 1000 });
  });

  it('handles empty lists, scrolling past the end and negative overscroll', () => {
    expect(rowWindow(0, 100, 20, 0)).toEqual({ start: 0, end: 0 });
    expect(rowWindow(1e9, 100, 20, 10, 2)).toEqual({ start: 7, end: 10 });
    expect(rowWindow(-50, 100, 20, 10, 0)).toEqual({ start: 0, end: 6 });
  });

  it('never renders more than the viewport holds plus overscan, however long the list', () => {
    for (const count of [10, 1_000, 1_000_000]) {
      for (const top of [0, 5_000, 1e6, 2e7]) {
        const { start, end } = rowWindow(top, 700, 20, count, 8);
        expect(end - start).toBeLessThanOrEqual(Math.ceil(700 / 20) + 1 + 16);
      }
    }
  });

  it('scrolls as little as possible to show a row', () => {
    expect(scrollToRow(5, 0, 100, 20)).toBe(20);
    expect(scrollToRow(2, 0, 100, 20)).toBe(0);
    expect(scrollToRow(1, 60, 100, 20)).toBe(20);
    expect(pageSize(100, 20)).toBe(4);
  });
});
