// All the background's state, loaded once at start-up and written back through one promise
// chain. Working state (sessions, relogin records, secrets) lives in storage.session: memory
// only, survives a worker restart, gone with the browser session, closed to content scripts.
// Settings, the watched origins and the encrypted vault live in the extension's IndexedDB
// (idb-area.ts), which content scripts cannot reach either; the store calls it 'local'.
import { initialSession, type SessionState } from '../owa/session-model';
import type { ReloginRecord } from '../owa/relogin-policy';
import { readRecord } from '../owa/relogin-policy';
import type { CredentialMap, VaultBlobV1 } from '../owa/credentials';
import { isIterationCount, isVaultBlob } from '../owa/credentials';
import { DEFAULT_SETTINGS, readSettings, type ComputerKind, type OriginSettings } from '../owa/settings';
import { normalizeOrigin } from '../owa/origin';
import { defaultIdentity, readIdentity, type DeviceIdentity } from '../activesync/device-identity';
import type { LastSignIn, Prefs } from '../messages/protocol';
import { isRecord } from '../shared/is-record';
import { literal, readWords } from '../shared/words';
import { Serial, type StorageArea } from './storage';
import { readLearned, type LearnedTimeout } from '../owa/timeout-learning';
import type { ComputerChoice } from '../owa/logon-form';

export interface Secrets {
  /** Credentials usable now, by origin. */
  credentials: CredentialMap;
  /** Origins whose credentials are also in the encrypted vault. */
  remembered: string[];
  /** The vault key for this browser session (base64 raw key, salt, iterations) once unlocked. */
  vaultKey: { keyBytes: string; salt: string; iterations: number } | null;
}

export interface State {
  sessions: Record<string, SessionState>;
  relogin: Record<string, ReloginRecord>;
  secrets: Secrets;
  watched: string[];
  settings: Record<string, OriginSettings>;
  vault: VaultBlobV1 | null;
  /** Origins already warned about for a given lastActivity (no repeated notifications). */
  warned: Record<string, number>;
  /** Per origin: the server's last timeout answer and our last automatic sign-in. */
  marks: Record<string, Marks>;
  /** The ActiveSync device identity; null only until start-up makes one. */
  device: DeviceIdentity | null;
  prefs: Prefs;
  /** Imported settings of origins whose host permission is not granted yet, applied when they are watched. */
  pending: Record<string, OriginSettings>;
  /**
   * Origins whose remembered credentials were forgotten while the vault was locked (the blob
   * cannot be rewritten then): skipped at the next unlock, which rewrites the vault without them.
   */
  forgotten: string[];
  /** Per origin: what the server's own ends taught about its timeout (timeout-learning.ts). */
  learned: Record<string, LearnedTimeout>;
}

export interface Marks {
  last440: number | null;
  lastSignIn: LastSignIn | null;
  /**
   * Public or private as the user chose it on the last sign-in by hand, for pages that offer the
   * choice. In storage.session on purpose: OWA's cookies end with the browser session, so the
   * first sign-in of a new one is by hand and says it again.
   */
  computerByHand: ComputerChoice | null;
  /**
   * The kind of the session held now, as the last sign-in (by hand or automatic) posted it: the
   * server's timeout depends on it, whatever the site's setting says. storage.session, as above.
   */
  sessionComputer: ComputerChoice | null;
}

/** An origin's session, or a fresh signed-out one for an origin not seen yet. */
export function sessionOf(state: Readonly<State>, origin: string, now: number): SessionState {
  return state.sessions[origin] ?? initialSession(origin, now);
}

/** The kind of the session held: as the last sign-in posted it, else the site's setting. */
export function sessionComputerOf(state: Readonly<State>, origin: string): ComputerKind {
  return state.marks[origin]?.sessionComputer ?? (state.settings[origin] ?? DEFAULT_SETTINGS).computer;
}

/** An origin's marks in a draft, created on first use. */
export function marksOf(draft: State, origin: string): Marks {
  return (draft.marks[origin] ??= { last440: null, lastSignIn: null, computerByHand: null, sessionComputer: null });
}

/** The device identity; start-up makes and stores one (a random DeviceId) the first time. */
export function deviceOf(state: Readonly<State>, randomBytes: (n: number) => Uint8Array): DeviceIdentity {
  return state.device ?? defaultIdentity(randomBytes);
}

export const DEFAULT_PREFS: Readonly<Prefs> = { credentialStorage: 'memory' };

const SESSION_KEYS = ['sessions', 'relogin', 'secrets', 'warned', 'marks'] as const;
const LOCAL_KEYS = ['watched', 'settings', 'vault', 'device', 'prefs', 'pending', 'forgotten', 'learned'] as const;

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function emptyState(): State {
  return {
    sessions: {},
    relogin: {},
    secrets: { credentials: {}, remembered: [], vaultKey: null },
    watched: [],
    settings: {},
    vault: null,
    warned: {},
    marks: {},
    device: null,
    prefs: { ...DEFAULT_PREFS },
    pending: {},
    forgotten: [],
    learned: {},
  };
}

export function readPrefs(stored: unknown): Prefs {
  const value = record(stored);
  return { credentialStorage: value.credentialStorage === 'encrypted' ? 'encrypted' : 'memory' };
}

function readMarks(value: unknown): Marks {
  const v = record(value);
  const sign = record(v.lastSignIn);
  const lastSignIn =
    typeof sign.at === 'number' && typeof sign.outcome === 'string' && (typeof sign.detail === 'string' || readWords(sign.detail))
      ? // An earlier version stored the detail in English: it shows as is.
        ({ at: sign.at, outcome: sign.outcome, detail: typeof sign.detail === 'string' ? literal(sign.detail) : readWords(sign.detail) } as LastSignIn)
      : null;
  const computerByHand = v.computerByHand === 'private' || v.computerByHand === 'public' ? v.computerByHand : null;
  const sessionComputer = v.sessionComputer === 'private' || v.sessionComputer === 'public' ? v.sessionComputer : null;
  return { last440: typeof v.last440 === 'number' ? v.last440 : null, lastSignIn, computerByHand, sessionComputer };
}

/** Reads both areas; anything malformed is dropped rather than trusted. */
export async function loadState(session: StorageArea, local: StorageArea): Promise<State> {
  // storage.session first: it is what a woken worker needs to handle the event at hand.
  const s = await session.get([...SESSION_KEYS]);
  const l = await local.get([...LOCAL_KEYS]);
  const state = emptyState();
  state.watched = Array.isArray(l.watched) ? [...new Set(l.watched.map((o) => (typeof o === 'string' ? normalizeOrigin(o) : null)).filter((o): o is string => o !== null))] : [];
  for (const origin of state.watched) state.settings[origin] = readSettings(record(l.settings)[origin]);
  state.vault = isVaultBlob(l.vault) ? l.vault : null;
  for (const [origin, value] of Object.entries(record(s.sessions))) {
    if (state.watched.includes(origin) && typeof (value as SessionState | null)?.status === 'string') {
      state.sessions[origin] = value as SessionState;
    }
  }
  for (const [origin, value] of Object.entries(record(s.relogin))) {
    if (state.watched.includes(origin)) state.relogin[origin] = readRecord(value);
  }
  const secrets = record(s.secrets);
  const creds = record(secrets.credentials);
  for (const [origin, c] of Object.entries(creds)) {
    const cred = record(c);
    if (typeof cred.username === 'string' && typeof cred.password === 'string') {
      state.secrets.credentials[origin] = { username: cred.username, password: cred.password };
    }
  }
  state.secrets.remembered = Array.isArray(secrets.remembered) ? secrets.remembered.filter((o): o is string => typeof o === 'string') : [];
  const key = record(secrets.vaultKey);
  if (typeof key.keyBytes === 'string' && typeof key.salt === 'string' && isIterationCount(key.iterations)) {
    state.secrets.vaultKey = { keyBytes: key.keyBytes, salt: key.salt, iterations: key.iterations };
  }
  for (const [origin, at] of Object.entries(record(s.warned))) if (typeof at === 'number') state.warned[origin] = at;
  for (const [origin, value] of Object.entries(record(s.marks))) if (state.watched.includes(origin)) state.marks[origin] = readMarks(value);
  state.device = readIdentity(l.device);
  state.prefs = readPrefs(l.prefs);
  for (const [origin, value] of Object.entries(record(l.pending))) {
    const o = normalizeOrigin(origin);
    if (o && !state.watched.includes(o)) state.pending[o] = readSettings(value);
  }
  state.forgotten = Array.isArray(l.forgotten) ? [...new Set(l.forgotten.filter((o): o is string => typeof o === 'string'))] : [];
  for (const [origin, value] of Object.entries(record(l.learned))) {
    const o = normalizeOrigin(origin);
    const learned = readLearned(value);
    if (o && learned && state.watched.includes(o)) state.learned[o] = learned;
  }
  return state;
}

export type Area = 'session' | 'local';

/**
 * Holds the state; `update` runs mutations one at a time (each sees the previous one's result)
 * and persists what it changed before resolving, so a decision such as "a sign-in is now in
 * flight" is on storage before anyone acts on it.
 */
export class Store {
  private readonly writes = new Serial();
  private listeners = new Set<(state: State) => void>();

  constructor(
    private state: State,
    private readonly areas: Record<Area, StorageArea>,
  ) {}

  get current(): Readonly<State> {
    return this.state;
  }

  onChange(listener: (state: State) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update<T>(mutate: (draft: State) => T | Promise<T>): Promise<T> {
    return this.writes.run(async () => {
      const draft = structuredClone(this.state);
      const result = await mutate(draft);
      await this.persist(this.state, draft);
      this.state = draft;
      for (const listener of this.listeners) listener(draft);
      return result;
    });
  }

  private async persist(before: State, after: State): Promise<void> {
    const session: Record<string, unknown> = {};
    const local: Record<string, unknown> = {};
    for (const key of SESSION_KEYS) if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) session[key] = after[key];
    for (const key of LOCAL_KEYS) if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) local[key] = after[key];
    if (Object.keys(session).length) await this.areas.session.set(session);
    if (Object.keys(local).length) await this.areas.local.set(local);
  }
}
