// Where final policy keys live between runs. The caller supplies the storage (a JSON file for the
// CLI, extension storage for the background); the core only sees this interface. It holds policy
// keys and nothing else: never a password.

/** An account: the server's ActiveSync URL, the user name as typed, and the device id. */
export interface AccountId {
  url: string;
  user: string;
  deviceId: string;
}

export interface StoredPolicyKey {
  policyKey: string;
  protocolVersion: string;
  /** ISO time the server accepted the acknowledgement. */
  storedAt: string;
}

export interface PolicyKeyStore {
  get(account: AccountId): Promise<StoredPolicyKey | undefined>;
  set(account: AccountId, value: StoredPolicyKey): Promise<void>;
  delete(account: AccountId): Promise<void>;
}

/**
 * One string per account. URL and device id keep their case (servers differ); the user name is
 * lower-cased, as Windows and Exchange treat DOMAIN\user case-insensitively.
 */
export function accountKey(account: AccountId): string {
  return `${account.url} ${account.user.toLowerCase()} ${account.deviceId}`;
}

/** A store in memory, for tests and for one-off runs that should leave nothing behind. */
export class MemoryKeyStore implements PolicyKeyStore {
  readonly entries = new Map<string, StoredPolicyKey>();

  async get(account: AccountId): Promise<StoredPolicyKey | undefined> {
    return this.entries.get(accountKey(account));
  }

  async set(account: AccountId, value: StoredPolicyKey): Promise<void> {
    this.entries.set(accountKey(account), { ...value });
  }

  async delete(account: AccountId): Promise<void> {
    this.entries.delete(accountKey(account));
  }
}
