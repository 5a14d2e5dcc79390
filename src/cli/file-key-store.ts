// The CLI's policy-key store: one JSON file under $XDG_STATE_HOME/owa-inspector/ (or
// ~/.local/state/owa-inspector/), or the file given with --state. It holds policy keys only.
import { accessSync, constants, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * What stops `path` from serving as the policy-key file, in words that name it, or undefined
 * when it can: a directory (Node says only "EISDIR: illegal operation on a directory, read"), a
 * file that cannot be read and replaced, or a directory on the way that is a file or cannot be
 * written. Checked before anything is sent, so that a key the server hands out is not lost
 * because it cannot be stored. `what` names the path as the user gave it ("--state /tmp").
 */
export function stateFileProblem(path: string, what = path): string | undefined {
  const expected = 'a file to keep policy keys in (it is created if missing)';
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return `${what}: cannot be read (${code}); expected ${expected}`;
  }
  if (stat?.isDirectory()) return `${what} is a directory; expected ${expected}, e.g. ${join(path, 'policy-keys.json')}`;
  if (stat !== undefined) {
    if (!stat.isFile()) return `${what} is not a regular file; expected ${expected}`;
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
      accessSync(dirname(path), constants.W_OK);
    } catch (error) {
      return `${what} cannot be read and replaced (${(error as NodeJS.ErrnoException).code}); expected ${expected}, in a directory you can write to`;
    }
    return undefined;
  }
  // Missing: the nearest directory that exists must be one, and writable (mkdir -p, then the file).
  for (let parent = dirname(path); ; parent = dirname(parent)) {
    let parentStat;
    try {
      parentStat = statSync(parent);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        if (dirname(parent) === parent) return `${what}: no directory on its way exists; expected ${expected}`;
        continue;
      }
      return `${what}: cannot read ${parent} (${code}); expected ${expected}`;
    }
    if (!parentStat.isDirectory()) return `${what}: ${parent} is a file, not a directory; expected ${expected}`;
    try {
      accessSync(parent, constants.W_OK);
    } catch {
      return `${what}: cannot create it, ${parent} is not writable; expected ${expected}, in a directory you can write to`;
    }
    return undefined;
  }
}

export class FileKeyStore implements PolicyKeyStore {
  constructor(readonly path: string) {}

  #read(): StateFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} };
      throw new Error(stateFileProblem(this.path) ?? `cannot read ${this.path}: ${(error as Error).message}`, { cause: error });
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
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      // Write then rename, so an interrupted run never leaves half a file.
      const temporary = `${this.path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, this.path);
    } catch (error) {
      throw new Error(stateFileProblem(this.path) ?? `cannot write ${this.path}: ${(error as Error).message}`, { cause: error });
    }
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
