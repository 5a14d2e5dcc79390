// The encrypted credential vault as the background keeps it: the blob in IndexedDB, the
// unlocked key (raw bytes) and the decrypted credentials in storage.session for this browser
// session only, so the passphrase is asked once and never stored.
import { createVaultKey, openVault, sealVault, VaultError, type CryptoDeps, type Credential, type UnlockedVault } from '../owa/credentials';
import { fromBase64, toBase64 } from '../shared/base64';
import type { State, Store } from './store';

export function vaultStatus(state: Readonly<State>): 'none' | 'locked' | 'unlocked' {
  if (!state.vault) return 'none';
  return state.secrets.vaultKey ? 'unlocked' : 'locked';
}

/**
 * An origin's remembered credentials were forgotten (or the site unwatched) while the vault is
 * locked: the blob cannot be rewritten now, so the forgetting is recorded and applied at unlock.
 */
export function forgetWhileLocked(draft: State, origin: string): void {
  if (vaultStatus(draft) === 'locked' && !draft.forgotten.includes(origin)) draft.forgotten.push(origin);
}

/** The unlocked key kept for this browser session; a damaged one counts as none (locked). */
function currentKey(state: Readonly<State>): UnlockedVault | null {
  const key = state.secrets.vaultKey;
  const keyBytes = key && fromBase64(key.keyBytes);
  const salt = key && fromBase64(key.salt);
  return key && keyBytes && salt ? { keyBytes, salt, iterations: key.iterations } : null;
}

function keepKey(draft: State, key: UnlockedVault, credentials: Record<string, Credential>, override: boolean): void {
  draft.secrets.vaultKey = { keyBytes: toBase64(key.keyBytes), salt: toBase64(key.salt), iterations: key.iterations };
  for (const [origin, cred] of Object.entries(credentials)) {
    // Credentials of origins no longer watched, or forgotten while the vault was locked, stay
    // in the blob only until it is next rewritten (at once after an unlock, for the latter).
    if (!draft.watched.includes(origin) || draft.forgotten.includes(origin)) continue;
    if (draft.secrets.credentials[origin] && !override) continue;
    draft.secrets.credentials[origin] = cred;
    if (!draft.secrets.remembered.includes(origin)) draft.secrets.remembered.push(origin);
  }
}

/** "Unlock": the passphrase opens the vault; its credentials become usable for this browser session. */
export async function unlockVault(store: Store, crypto: CryptoDeps, passphrase: string): Promise<void> {
  const { key, credentials } = await openVault(crypto.subtle, store.current.vault, passphrase);
  await store.update((draft) => keepKey(draft, key, credentials, true));
  if (store.current.forgotten.length) await rewriteVault(store, crypto);
}

/** Before remembering credentials: the vault must be open, or be created with this passphrase. */
export async function unlockOrCreateVault(store: Store, crypto: CryptoDeps, passphrase: string | undefined): Promise<void> {
  if (currentKey(store.current)) return;
  if (!passphrase) throw new VaultError('weak-passphrase', 'a passphrase is needed to remember credentials on this device');
  if (store.current.vault) {
    const { key, credentials } = await openVault(crypto.subtle, store.current.vault, passphrase);
    await store.update((draft) => keepKey(draft, key, credentials, false));
  } else {
    const key = await createVaultKey(crypto, passphrase);
    await store.update((draft) => keepKey(draft, key, {}, false));
  }
}

/** Re-encrypts the remembered credentials (or deletes the vault when none are left). */
export async function rewriteVault(store: Store, crypto: CryptoDeps): Promise<void> {
  const key = currentKey(store.current);
  if (!key) return;
  const { secrets } = store.current;
  const remembered: Record<string, Credential> = {};
  for (const origin of secrets.remembered) {
    const cred = secrets.credentials[origin];
    if (cred) remembered[origin] = cred;
  }
  const blob = Object.keys(remembered).length ? await sealVault(crypto, key, remembered) : null;
  await store.update((draft) => {
    draft.vault = blob;
    // Written without them: what was forgotten while locked is gone for real now.
    draft.forgotten = [];
    if (!blob) draft.secrets.vaultKey = null;
  });
}
