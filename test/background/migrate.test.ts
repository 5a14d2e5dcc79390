import { describe, expect, it } from 'vitest';
import { moveToPrivateStorage, MOVED_KEYS, MOVED_MARK } from '../../src/background/migrate';
import type { RemovableArea } from '../../src/background/storage';

class Area implements RemovableArea {
  constructor(public data: Record<string, unknown> = {}) {}
  async get(keys: string[]) {
    return Object.fromEntries(keys.filter((k) => k in this.data).map((k) => [k, structuredClone(this.data[k])]));
  }
  async set(items: Record<string, unknown>) {
    Object.assign(this.data, structuredClone(items));
  }
  async remove(keys: string[]) {
    for (const k of keys) delete this.data[k];
  }
}

describe('moving storage.local into the private store', () => {
  it('moves every key an earlier version wrote, and leaves nothing of them in storage.local', async () => {
    const old = Object.fromEntries(MOVED_KEYS.map((k) => [k, { was: k }]));
    const local = new Area({ ...old, unrelated: 1 });
    const idb = new Area();
    expect((await moveToPrivateStorage(local, idb)).sort()).toEqual([...MOVED_KEYS].sort());
    expect(idb.data).toEqual({ ...old, [MOVED_MARK]: true });
    expect(local.data).toEqual({ unrelated: 1 });
  });

  it('keeps what the private store already holds (a newer write) and still clears the old copy', async () => {
    const local = new Area({ vault: 'old', watched: ['https://a.example'] });
    const idb = new Area({ vault: 'new' });
    await moveToPrivateStorage(local, idb);
    expect(idb.data).toEqual({ vault: 'new', watched: ['https://a.example'], [MOVED_MARK]: true });
    expect(local.data).toEqual({});
  });

  it('moves once: what a content script plants in storage.local later is deleted unread', async () => {
    const idb = new Area();
    await moveToPrivateStorage(new Area({ watched: ['https://a.example'] }), idb);
    // A compromised page renderer writes a vault that would hang every unlock, and turns a site on.
    const planted = new Area({ vault: { v: 1, iterations: 2 ** 31 }, settings: { 'https://evil.example': { autoRelogin: true } }, watched: ['https://evil.example'] });
    expect(await moveToPrivateStorage(planted, idb)).toEqual([]);
    expect(idb.data).toEqual({ watched: ['https://a.example'], [MOVED_MARK]: true });
    expect(planted.data).toEqual({});
  });

  it('a first start with nothing to move still marks the move as made', async () => {
    const idb = new Area();
    expect(await moveToPrivateStorage(new Area(), idb)).toEqual([]);
    expect(idb.data).toEqual({ [MOVED_MARK]: true });
  });
});
