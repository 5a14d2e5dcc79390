// The CLI's policy-key store: one JSON file under $XDG_STATE_HOME/owa-inspector/ (or
// ~/.local/state/owa-inspector/), or the file given with --state. It holds policy keys only.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { accountKey, type AccountId, type PolicyKeyStore, type StoredPolicyKey } from '../activesync/key-store';

interface StateFile {
  version: 1;
  keys: Record<string, AccountId & StoredPolicyKey>;
}

export function defaultStateFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'owa-inspector', 'policy-keys.json');
}

export class FileKeyStore implements PolicyKeyStore {
  constructor(readonly path: string) {}

  #read(): StateFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as StateFile;
      if (parsed?.version === 1 && typeof parsed.keys === 'object' && parsed.keys !== null) return parsed;
    } catch {
      // Reported below.
    }
    throw new Error(`${this.path} is not an owa-inspector state file; move it away or pass --state`);
  }

  #write(state: StateFile): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    // Write then rename, so an interrupted run never leaves half a file.
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }

  async get(account: AccountId): Promise<StoredPolicyKey | undefined> {
    const entry = this.#read().keys[accountKey(account)];
    return entry ? { policyKey: entry.policyKey, protocolVersion: entry.protocolVersion, storedAt: entry.storedAt } : undefined;
  }

  async set(account: AccountId, value: StoredPolicyKey): Promise<void> {
    const state = this.#read();
    state.keys[accountKey(account)] = { url: account.url, user: account.user, deviceId: account.deviceId, ...value };
    this.#write(state);
  }

  async delete(account: AccountId): Promise<void> {
    const state = this.#read();
    const key = accountKey(account);
    if (!(key in state.keys)) return;
    delete state.keys[key];
    this.#write(state);
  }
}
