// ActiveSync runs in the worker (the popup closes when it loses focus; the worker does not):
// OPTIONS, Provision (both phases, or phase 1 and a later acknowledgement) and a command with
// the stored key. The password arrives with the run's message and lives only inside that run's
// ActiveSyncClient (as its Authorization header), in memory; it is never stored, logged or sent
// back. Each run's progress (trace steps without raw bytes) and result are kept in
// storage.session and pushed to pages, so a re-opened popup shows them. The raw bodies of the
// kept runs stay in the worker's memory only (for the panel's tree view; gone with the worker).
// Final policy keys are kept in the extension's IndexedDB, and nothing else of the run.
// The page asks for the server's host permission in the click; once the run has ended (or been
// abandoned) the worker gives it back, unless another run, the session watcher or the user's
// choice to keep that host still needs it.
import { ActiveSyncClient } from '../activesync/client';
import type { ClientConfig } from '../activesync/connection';
import type { DeviceIdentity } from '../activesync/device-identity';
import { applyIdentityPatch } from '../activesync/device-identity';
import { ActiveSyncError } from '../activesync/errors';
import type { FetchLike } from '../activesync/http';
import { accountKey, type AccountId, type PolicyKeyStore, type StoredPolicyKey } from '../activesync/key-store';
import { activeSyncUrl } from '../activesync/request';
import type { TraceBody, TraceStep } from '../activesync/trace';
import { element } from '../wbxml';
import type { BgResponse, EasRunKind, EasRunRequest, EasRunView, EasStepBodies } from '../messages/protocol';
import { hostPermissionPattern, normalizeOrigin } from '../owa/origin';
import { Slice, type StorageArea } from './storage';
import { isRecord } from '../shared/is-record';
import { GRANT_WAIT_MS } from './deps';
import { literal, msg } from '../shared/words';

export const RUNS_KEY = 'easRuns';
export const KEYS_KEY = 'easPolicyKeys';
/** Origins whose host permission the user chose to keep after a run (IndexedDB). */
export const KEPT_HOSTS_KEY = 'easKeptHosts';
/** Runs kept for pages to show (newest first); one per account and kind. */
export const MAX_RUNS = 8;
/** How long a phase-1 run waits for its acknowledgement before the password is dropped. */
export const ACK_WAIT_MS = 10 * 60_000;
const MAX_BODY_CHARS = 32_000;
/** Raw bodies larger than this (base64 characters) are not kept: the panel shows their XML. */
const MAX_RAW_CHARS = 4 * 1024 * 1024;

export interface EasDeps {
  fetch: FetchLike;
  session: StorageArea;
  local: StorageArea;
  now(): number;
  newId(): string;
  device(): DeviceIdentity;
  /** Whether the worker may reach this URL's host (asked for by the page, in the click). */
  hasHost(url: string): Promise<boolean>;
  /** Resolves true once this URL's host is granted, false after `ms` (the page asks at the same time). */
  waitForHost(url: string, ms: number): Promise<boolean>;
  /** Gives back the host permission of this origin (its match pattern: the host on every port). */
  releaseHost(origin: string): Promise<void>;
  /** The origins the session watcher watches: their host permission is its, not the run's. */
  watchedOrigins(): readonly string[];
  timers?: { setTimeout(callback: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  timeoutMs?: number;
  log(message: string): void;
}

function readPolicyKeys(stored: unknown): Record<string, StoredPolicyKey> {
  return isRecord(stored) ? (stored as Record<string, StoredPolicyKey>) : {};
}

/** Policy keys in IndexedDB, one entry per account; written one at a time. */
export class StorageKeyStore implements PolicyKeyStore {
  private readonly keys: Slice<Record<string, StoredPolicyKey>>;

  constructor(area: StorageArea) {
    this.keys = new Slice(area, KEYS_KEY, readPolicyKeys);
  }

  async get(account: AccountId): Promise<StoredPolicyKey | undefined> {
    const entry = (await this.keys.get())[accountKey(account)];
    return entry && typeof entry.policyKey === 'string' ? entry : undefined;
  }

  set(account: AccountId, value: StoredPolicyKey): Promise<void> {
    return this.keys.change((keys) => {
      keys[accountKey(account)] = { policyKey: value.policyKey, protocolVersion: value.protocolVersion, storedAt: value.storedAt };
    });
  }

  delete(account: AccountId): Promise<void> {
    return this.keys.change((keys) => {
      delete keys[accountKey(account)];
    });
  }
}

function trimBody(body: TraceBody | undefined): TraceBody | undefined {
  if (!body) return undefined;
  // The raw bytes stay out of storage: the XML (or text) is what a person reads.
  const { base64: _bytes, ...rest } = body;
  if (rest.xml && rest.xml.length > MAX_BODY_CHARS) rest.xml = `${rest.xml.slice(0, MAX_BODY_CHARS)}\n…`;
  if (rest.text && rest.text.length > MAX_BODY_CHARS) rest.text = `${rest.text.slice(0, MAX_BODY_CHARS)}…`;
  return rest;
}

/** A trace step as pages get it: redacted headers (the client's), no raw bytes, long bodies cut. */
export function viewStep(step: TraceStep): TraceStep {
  const request = { ...step.request, headers: step.request.headers.map(([n, v]) => [n, v] as const) };
  const requestBody = trimBody(step.request.body);
  if (requestBody) request.body = requestBody;
  else delete request.body;
  const out: TraceStep = { ...step, request, notes: [...step.notes] };
  if (step.response) {
    const response = { ...step.response, headers: step.response.headers.map(([n, v]) => [n, v] as const) };
    const responseBody = trimBody(step.response.body);
    if (responseBody) response.body = responseBody;
    else delete response.body;
    out.response = response;
  }
  return out;
}

function isRun(value: unknown): value is EasRunView {
  const v = value as Partial<EasRunView> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.state === 'string' && Array.isArray(v.steps);
}

function errorView(error: unknown): NonNullable<EasRunView['error']> {
  if (error instanceof ActiveSyncError) {
    const view: NonNullable<EasRunView['error']> = { kind: error.kind, message: error.message };
    if (error.step) view.step = error.step;
    if (error.httpStatus !== undefined) view.httpStatus = error.httpStatus;
    if (error.status !== undefined) view.status = error.status;
    if (error.location !== undefined) view.location = error.location;
    return view;
  }
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

interface Waiting {
  client: ActiveSyncClient;
  temporaryKey: string;
  timer: unknown;
}

export class EasService {
  private runs: EasRunView[] = [];
  private readonly waiting = new Map<string, Waiting>();
  /** The origin each unfinished run needs host access to, by run id; a run awaiting its acknowledgement included. */
  private readonly holding = new Map<string, string>();
  private readonly listeners = new Set<(runs: EasRunView[]) => void>();
  /**
   * Raw bodies of the kept runs' steps, by run id, in memory only: storage.session would hold
   * megabytes for a popup that never shows them. Headers are not here (the run has them, redacted).
   */
  private readonly raw = new Map<string, EasStepBodies[]>();
  /** The runs pages see, in storage.session (a re-opened popup shows the last run). */
  private readonly stored: Slice<EasRunView[]>;
  /** Hosts whose permission the user chose to keep after their runs. */
  private readonly kept: Slice<string[]>;
  readonly keyStore: StorageKeyStore;

  constructor(private readonly deps: EasDeps) {
    this.keyStore = new StorageKeyStore(deps.local);
    this.stored = new Slice(deps.session, RUNS_KEY, (v) => (Array.isArray(v) ? v.filter(isRun) : []));
    this.kept = new Slice(deps.local, KEPT_HOSTS_KEY, (v) => (Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string' && normalizeOrigin(o) === o) : []));
  }

  /** Reads the kept runs; a run still "running" or "awaiting-ack" was cut off by a worker restart. */
  async load(): Promise<void> {
    const runs = await this.stored.get();
    const cutOff = new Set<string>();
    this.runs = runs.slice(0, MAX_RUNS).map((run) => {
      if (run.state !== 'running' && run.state !== 'awaiting-ack') return run;
      cutOff.add(new URL(run.server).origin);
      return { ...run, state: 'interrupted', finishedAt: run.finishedAt ?? this.deps.now() };
    });
    if (cutOff.size === 0) return;
    await this.persist();
    // Those runs are abandoned: nothing will end them and give their host access back otherwise.
    for (const origin of cutOff) await this.releaseUnlessNeeded(origin);
  }

  views(): EasRunView[] {
    return structuredClone(this.runs);
  }

  /** The raw bodies the worker still holds for the kept runs (none for runs of an earlier worker). */
  bodies(): EasStepBodies[] {
    return this.runs.flatMap((run) => (this.raw.get(run.id) ?? []).map((b) => ({ ...b })));
  }

  onChange(listener: (runs: EasRunView[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- runs -----------------------------------------------------------------------------

  async options(request: { server: string; user?: string; password?: string; device?: EasRunRequest['device']; keepHost?: boolean; awaitGrant?: boolean }): Promise<BgResponse> {
    const started = await this.start(
      'options',
      {
        server: request.server,
        user: request.user ?? '',
        password: request.password ?? '',
        protocolVersion: '14.1',
        ...(request.device ? { device: request.device } : {}),
        ...(request.keepHost ? { keepHost: true } : {}),
      },
      !request.user,
    );
    if ('error' in started) return started.error;
    const { run, client } = started;
    try {
      run.options = await client.options();
      if (run.options.httpStatus === 401 && !run.options.versions.length) {
        run.error = { kind: 'unauthorized', message: 'OPTIONS: HTTP 401 and no versions: this server answers OPTIONS only with a user name and password' };
        return this.end(run, 'failed');
      }
      return this.end(run, 'done');
    } catch (error) {
      return this.fail(run, error);
    }
  }

  async provision(request: EasRunRequest & { acknowledge: boolean }): Promise<BgResponse> {
    const started = await this.start('provision', request);
    if ('error' in started) return started.error;
    const { run, client } = started;
    try {
      const phase1 = await client.requestPolicy();
      if (phase1.policy) run.policy = phase1.policy;
      if (phase1.temporaryKey) run.temporaryKey = phase1.temporaryKey;
      if (phase1.remoteWipe) {
        // Shown as an alarm; nothing is acknowledged and no key is stored.
        run.remoteWipe = phase1.remoteWipe;
        run.error = {
          kind: 'remote-wipe',
          message:
            phase1.remoteWipe === 'device'
              ? 'The server requests a REMOTE WIPE of the whole device. OWA Inspector stopped and did NOT acknowledge it; no policy key was stored.'
              : 'The server requests an ACCOUNT-ONLY REMOTE WIPE. OWA Inspector stopped and did NOT acknowledge it; no policy key was stored.',
        };
        return this.end(run, 'remote-wipe');
      }
      const temporaryKey = phase1.temporaryKey as string;
      if (!request.acknowledge) {
        const timer = (this.deps.timers ?? globalThis).setTimeout(() => void this.expireWaiting(run.id), ACK_WAIT_MS);
        this.waiting.set(run.id, { client, temporaryKey, timer });
        return this.end(run, 'awaiting-ack');
      }
      run.finalKey = (await client.acknowledge(temporaryKey)).finalKey;
      return this.end(run, 'done');
    } catch (error) {
      return this.fail(run, error);
    }
  }

  async acknowledge(runId: string): Promise<BgResponse> {
    const waiting = this.waiting.get(runId);
    const run = this.runs.find((r) => r.id === runId);
    if (!waiting || !run || run.state !== 'awaiting-ack') {
      return { type: 'bg-ui-error', error: msg('bg_error_run_not_waiting') };
    }
    this.dropWaiting(runId);
    run.state = 'running';
    run.finishedAt = null;
    void this.changed();
    try {
      run.finalKey = (await waiting.client.acknowledge(waiting.temporaryKey)).finalKey;
      return this.end(run, 'done');
    } catch (error) {
      return this.fail(run, error);
    }
  }

  async send(request: EasRunRequest & { command: string }): Promise<BgResponse> {
    const started = await this.start('send', request);
    if ('error' in started) return started.error;
    const { run, client } = started;
    try {
      // FolderSync with SyncKey 0 is the harmless first command of every client; others go empty.
      const body = request.command === 'FolderSync' ? element('FolderHierarchy:FolderSync', element('FolderHierarchy:SyncKey', '0')) : undefined;
      const result = await client.send(request.command, body);
      run.command = { command: result.command, httpStatus: result.httpStatus, policyKey: result.policyKey, reprovisioned: result.reprovisioned };
      if (result.status !== undefined) run.command.status = result.status;
      if (result.statusMeaning !== undefined) run.command.statusMeaning = result.statusMeaning;
      const stored = await client.storedKey();
      if (stored) run.finalKey = stored;
      return this.end(run, 'done');
    } catch (error) {
      return this.fail(run, error);
    }
  }

  // ---- internals --------------------------------------------------------------------------

  private async start(kind: EasRunKind, request: EasRunRequest, anonymous = false): Promise<{ run: EasRunView; client: ActiveSyncClient } | { error: BgResponse }> {
    let url: string;
    try {
      url = activeSyncUrl(request.server.trim());
    } catch (error) {
      return { error: { type: 'bg-ui-error', error: literal(errorView(error).message) } };
    }
    const origin = new URL(url).origin;
    const id = this.deps.newId();
    // Held before the first await: a run of the same host that ends meanwhile must not give it back.
    this.holding.set(id, origin);
    if (!(await this.deps.hasHost(url)) && !(request.awaitGrant && (await this.deps.waitForHost(url, GRANT_WAIT_MS)))) {
      this.holding.delete(id);
      return { error: { type: 'bg-ui-error', error: msg('bg_error_no_eas_access', new URL(url).host) } };
    }
    if (request.keepHost) await this.keepHost(origin);
    const identity = applyIdentityPatch(this.deps.device(), request.device ?? {});
    if (!identity.ok) {
      await this.letGo(id);
      return { error: { type: 'bg-ui-error', error: literal(identity.errors.join('; ')) } };
    }
    const device = identity.identity;
    const user = anonymous ? '' : request.user.trim();
    const run: EasRunView = {
      id,
      kind,
      server: url,
      user,
      deviceId: device.deviceId,
      deviceType: device.deviceType,
      protocolVersion: request.protocolVersion,
      startedAt: this.deps.now(),
      finishedAt: null,
      state: 'running',
      steps: [],
    };
    this.raw.set(id, []);
    this.add(run);
    const config: ClientConfig = {
      url,
      deviceId: device.deviceId,
      deviceType: device.deviceType,
      protocolVersion: request.protocolVersion,
      userAgent: device.userAgent,
      deviceInformation: { model: device.model, friendlyName: device.friendlyName, os: device.os, userAgent: device.userAgent },
      fetch: this.deps.fetch,
      keyStore: this.keyStore,
      timeoutMs: this.deps.timeoutMs ?? 30_000,
      // Steps arrive as the client finishes reading each (notes included): pages see the run progress.
      onStep: (step) => {
        const index = run.steps.length;
        run.steps.push(viewStep(step));
        const kept: EasStepBodies = { runId: id, step: index };
        const request = step.request.body?.base64;
        const response = step.response?.body?.base64;
        if (request !== undefined && request.length <= MAX_RAW_CHARS) kept.request = request;
        if (response !== undefined && response.length <= MAX_RAW_CHARS) kept.response = response;
        this.raw.get(id)?.push(kept);
        void this.changed();
      },
    };
    if (this.deps.timers) config.timers = this.deps.timers;
    if (user) {
      config.user = user;
      config.password = request.password;
    }
    let client: ActiveSyncClient;
    try {
      // Refuses Basic credentials over plain HTTP to a host that is not loopback.
      client = new ActiveSyncClient(config);
    } catch (error) {
      const failed = await this.fail(run, error);
      return { error: failed };
    }
    return { run, client };
  }

  private add(run: EasRunView): void {
    // One kept run per account and kind: a new run replaces the last one.
    const key = `${run.kind} ${run.server} ${run.user.toLowerCase()} ${run.deviceId}`;
    this.runs = [run, ...this.runs.filter((r) => `${r.kind} ${r.server} ${r.user.toLowerCase()} ${r.deviceId}` !== key)].slice(0, MAX_RUNS);
    for (const id of this.raw.keys()) if (!this.runs.some((r) => r.id === id)) this.raw.delete(id);
    for (const [id, waiting] of this.waiting) {
      if (this.runs.some((r) => r.id === id)) continue;
      // Replaced while waiting for its acknowledgement: abandoned, so its host is no longer its.
      this.dropWaiting(id, waiting);
      void this.letGo(id);
    }
    void this.changed();
  }

  private async end(run: EasRunView, state: EasRunView['state']): Promise<BgResponse> {
    run.state = state;
    run.finishedAt = this.deps.now();
    this.deps.log(`activesync ${run.kind} ${new URL(run.server).host}: ${state}${run.error ? ` (${run.error.kind})` : ''}`);
    await this.changed();
    if (state !== 'awaiting-ack') await this.letGo(run.id);
    return { type: 'bg-ui-eas-run', run: structuredClone(run) };
  }

  /** The client has handed every step to onStep by the time its error arrives here. */
  private fail(run: EasRunView, error: unknown): Promise<BgResponse> {
    run.error = errorView(error);
    if (error instanceof ActiveSyncError && error.kind === 'remote-wipe') {
      run.remoteWipe = error.remoteWipe === 'account' ? 'account' : 'device';
      return this.end(run, 'remote-wipe');
    }
    return this.end(run, 'failed');
  }

  private expireWaiting(runId: string): void {
    const run = this.runs.find((r) => r.id === runId);
    this.dropWaiting(runId);
    if (run?.state === 'awaiting-ack') {
      run.state = 'interrupted';
      run.error = { kind: 'expired', message: 'not acknowledged within 10 minutes: the password was dropped' };
      void this.changed();
    }
    void this.letGo(runId);
  }

  // ---- host permissions -------------------------------------------------------------------

  /** The run no longer needs its server. */
  private async letGo(runId: string): Promise<void> {
    const origin = this.holding.get(runId);
    if (origin === undefined) return;
    this.holding.delete(runId);
    await this.releaseUnlessNeeded(origin);
  }

  /**
   * Gives the host permission back unless something still needs it. A permission is a match
   * pattern (scheme and host, no port), so whatever shares the pattern needs it: a watched
   * origin, a kept one, another run.
   */
  private async releaseUnlessNeeded(origin: string): Promise<void> {
    const pattern = hostPermissionPattern(origin);
    const needs = (other: string) => hostPermissionPattern(other) === pattern;
    const host = new URL(origin).host;
    // Never thrown: callers are a run's reply and timers, and neither can do anything about it.
    try {
      if (this.deps.watchedOrigins().some(needs) || (await this.kept.get()).some(needs)) return;
      // Looked at last, with no await between it and the removal: a run started meanwhile holds the host.
      if ([...this.holding.values()].some(needs)) return;
      await this.deps.releaseHost(origin);
      this.deps.log(`activesync: host access to ${host} given back`);
    } catch (error) {
      // E.g. Chrome will not remove a host granted at install (by an enterprise policy).
      this.deps.log(`activesync: host access to ${host} not given back: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Remembers the user's choice to keep this host's permission after its runs; one write at a time. */
  private keepHost(origin: string): Promise<void> {
    return this.kept
      .change((kept) => (kept.includes(origin) ? kept : [...kept, origin]))
      .catch((error: unknown) => this.deps.log(`activesync: could not remember to keep ${new URL(origin).host}: ${String(error)}`));
  }

  private dropWaiting(runId: string, waiting = this.waiting.get(runId)): void {
    if (!waiting) return;
    (this.deps.timers ?? globalThis).clearTimeout(waiting.timer as never);
    this.waiting.delete(runId);
  }

  private changed(): Promise<void> {
    for (const listener of this.listeners) listener(this.views());
    return this.persist();
  }

  private persist(): Promise<void> {
    // A run that could not be written is still shown; the next change writes it again.
    return this.stored.set(structuredClone(this.runs)).catch((error: unknown) => this.deps.log(`activesync: runs not saved: ${String(error)}`));
  }
}
