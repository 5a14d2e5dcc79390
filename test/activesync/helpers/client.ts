// A client against a fake server, and timers a test fires by hand: shared by the tests of the
// modules the client is made of.
import { ActiveSyncClient } from '../../../src/activesync/client';
import type { ClientConfig } from '../../../src/activesync/connection';
import type { FetchLike, Timers } from '../../../src/activesync/http';
import { MemoryKeyStore } from '../../../src/activesync/key-store';

export const PASSWORD = 's3cret';
export const PASSWORD_BASE64 = btoa(`alice:${PASSWORD}`);

export function client(fetch: FetchLike, extra: Partial<ClientConfig> = {}) {
  const keyStore = new MemoryKeyStore();
  const c = new ActiveSyncClient({
    url: 'https://mail.example.com',
    user: 'alice',
    password: PASSWORD,
    deviceId: 'DEV1',
    fetch,
    keyStore,
    ...extra,
  });
  return { c, keyStore };
}

/** Timers the test fires by hand. */
export function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  const timers: Timers = {
    setTimeout(callback, ms) {
      pending.set(next, { callback, ms });
      return next++;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending,
    fireAll(): void {
      for (const [id, timer] of [...pending]) {
        pending.delete(id);
        timer.callback();
      }
    },
  };
}
