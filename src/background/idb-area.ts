// A storage area in the extension origin's IndexedDB: where settings, the watched origins, the
// encrypted vault and ActiveSync policy keys live. Unlike storage.local, content scripts cannot
// reach it (they run in the page's origin), so a compromised page renderer on a watched site can
// neither copy the vault for offline guessing nor turn automatic sign-in on.
import type { RemovableArea } from './storage';

const DB_NAME = 'owa-inspector';
const STORE = 'kv';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openDb(factory: IDBFactory, name: string, version?: number): Promise<IDBDatabase> {
  const open = factory.open(name, version);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  return request(open);
}

/** Opens (creating on first use) the extension's key-value store. */
export async function openIdbArea(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<RemovableArea> {
  let db = await openDb(factory, name);
  // A database made without the store (opened elsewhere first, e.g. by a test reading it): add it.
  if (!db.objectStoreNames.contains(STORE)) {
    const version = db.version + 1;
    db.close();
    db = await openDb(factory, name, version);
  }
  return {
    async get(keys) {
      const tx = db.transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const values = await Promise.all(keys.map((key) => request(store.get(key))));
      const out: Record<string, unknown> = {};
      keys.forEach((key, i) => {
        if (values[i] !== undefined) out[key] = values[i];
      });
      return out;
    },
    async set(items) {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      // Values go through the structured clone: plain data only, as with storage.local.
      for (const [key, value] of Object.entries(items)) store.put(value, key);
      await done(tx);
    },
    async remove(keys) {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const key of keys) store.delete(key);
      await done(tx);
    },
  };
}
