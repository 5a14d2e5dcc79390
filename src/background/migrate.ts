// Moves what earlier versions kept in storage.local (readable by content scripts) into the
// extension's IndexedDB, once: a key already in IndexedDB wins, and the storage.local copy is
// removed either way, so the vault does not linger where a page renderer could read it. Once
// only, for real: after it, whatever shows up under those keys in storage.local was written by
// a content script (a compromised page), and is deleted unread.
import type { RemovableArea } from './storage';

/** Every key an earlier version wrote to storage.local. */
export const MOVED_KEYS = ['watched', 'settings', 'vault', 'device', 'prefs', 'pending', 'forgotten', 'easPolicyKeys', 'easKeptHosts'] as const;

/** Set in IndexedDB once the move has been made. */
export const MOVED_MARK = 'movedFromStorageLocal';

/** Resolves the keys moved (those that were in storage.local at the one move). */
export async function moveToPrivateStorage(from: RemovableArea, to: RemovableArea): Promise<string[]> {
  if ((await to.get([MOVED_MARK]))[MOVED_MARK] !== undefined) {
    await from.remove([...MOVED_KEYS]);
    return [];
  }
  const old = await from.get([...MOVED_KEYS]);
  const keys = Object.keys(old);
  const present = await to.get(keys);
  const copy: Record<string, unknown> = { [MOVED_MARK]: true };
  for (const key of keys) if (!(key in present)) copy[key] = old[key];
  await to.set(copy);
  await from.remove([...MOVED_KEYS]);
  return keys;
}
