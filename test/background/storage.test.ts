import { describe, expect, it } from 'vitest';
import { Serial, Slice } from '../../src/background/storage';
import { MemoryArea } from './fakes';

describe('storage: one write at a time, typed slices', () => {
  it('runs tasks in order, each after the one before; a failure fails its caller only', async () => {
    const serial = new Serial();
    const order: string[] = [];
    const slow = serial.run(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('slow');
    });
    const failing = serial.run(async () => {
      order.push('failing');
      throw new Error('disk full');
    });
    const last = serial.run(async () => {
      order.push('last');
      return 3;
    });
    await slow;
    await expect(failing).rejects.toThrow('disk full');
    expect(await last).toBe(3);
    expect(order).toEqual(['slow', 'failing', 'last']);
  });

  it('reads a key through its validator and loses no concurrent change', async () => {
    const area = new MemoryArea();
    area.data.hosts = 'not a list';
    const hosts = new Slice(area, 'hosts', (v) => (Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string') : []));
    expect(await hosts.get()).toEqual([]);
    await Promise.all(['a', 'b', 'c'].map((h) => hosts.change((list) => [...list, h])));
    expect(await hosts.get()).toEqual(['a', 'b', 'c']);
    await hosts.change((list) => void list.pop());
    expect(area.data.hosts).toEqual(['a', 'b']);
    await hosts.set(['z']);
    expect(await hosts.get()).toEqual(['z']);
  });
});
