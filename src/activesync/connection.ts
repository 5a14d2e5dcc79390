// One client's connection to one server: the endpoint (which a 451 may move), the credentials,
// the trace, and the round trip every command shares. The command modules (options.ts,
// provision-phases.ts, command.ts) drive it; ActiveSyncClient is what callers see. All I/O comes
// in through the config.
import { ActiveSyncError, stepError, type ActiveSyncErrorKind, type StepErrorExtra } from './errors';
import { exchange, type Exchange, type FetchLike, type Timers, type TransportContext } from './http';
import { retryAfterSeconds } from './http-failure';
import type { AccountId, PolicyKeyStore } from './key-store';
import type { DeviceInformation } from './provision';
import { redirectTarget } from './redirect';
import { activeSyncUrl, basicAuthorization, buildCommandRequest, checkTransportSecurity, DEFAULT_DEVICE_TYPE, DEFAULT_USER_AGENT, type HttpRequest } from './request';
import { headerValue, type TraceStep } from './trace';

export interface ClientConfig {
  /** The server, as typed: "https://mail.example.com" or the full …/Microsoft-Server-ActiveSync URL. */
  url: string;
  /** "user", "user@example.com" or "DOMAIN\user"; may be left out only to send OPTIONS anonymously. */
  user?: string;
  /** Kept only as the Authorization header, which every trace shows redacted. */
  password?: string;
  deviceId: string;
  deviceType?: string;
  /** Default 14.1. */
  protocolVersion?: string;
  userAgent?: string;
  /** Sent in Provision from 14.1 on. */
  deviceInformation?: DeviceInformation;
  queryEncoding?: 'plain' | 'base64';
  /** Allow Basic credentials over plain HTTP to a non-loopback host. */
  allowInsecure?: boolean;
  fetch: FetchLike;
  keyStore: PolicyKeyStore;
  timers?: Timers;
  now?: () => number;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A 503 whose Retry-After is at most this many seconds is waited out and retried once; default 0: never wait. */
  maxRetryAfterSeconds?: number;
  /** Called with each step once the client has read it (notes complete), for live display. */
  onStep?: (step: TraceStep) => void;
}

const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};

export class Connection {
  /** Every step of this connection, in order. */
  readonly trace: TraceStep[] = [];
  readonly user: string;
  readonly deviceId: string;
  readonly deviceType: string;
  readonly protocolVersion: string;
  readonly userAgent: string;
  /** Undefined without credentials: then only OPTIONS can be sent. */
  readonly authorization: string | undefined;
  readonly config: ClientConfig;
  readonly transport: TransportContext;
  #url: string;
  /** How many trace steps onStep has seen. */
  #reported = 0;

  constructor(config: ClientConfig) {
    this.config = config;
    this.#url = activeSyncUrl(config.url);
    if (config.user) checkTransportSecurity(this.#url, config.allowInsecure ?? false);
    if (!config.deviceId) throw new ActiveSyncError('invalid-input', 'a device id is required');
    this.user = config.user ?? '';
    this.deviceId = config.deviceId;
    this.deviceType = config.deviceType ?? DEFAULT_DEVICE_TYPE;
    this.protocolVersion = config.protocolVersion ?? '14.1';
    if (!/^\d{1,2}\.\d$/.test(this.protocolVersion)) {
      throw new ActiveSyncError('invalid-input', `"${this.protocolVersion}" is not a protocol version such as 14.1`);
    }
    this.userAgent = config.userAgent ?? DEFAULT_USER_AGENT;
    this.authorization = config.user ? basicAuthorization(config.user, config.password ?? '') : undefined;
    const transport: TransportContext = {
      fetch: config.fetch,
      timers: config.timers ?? systemTimers,
      timeoutMs: config.timeoutMs ?? 30_000,
      now: config.now ?? Date.now,
    };
    if (config.signal) transport.signal = config.signal;
    this.transport = transport;
  }

  /** The endpoint in use (it changes when the server redirects with 451 and X-MS-Location). */
  get url(): string {
    return this.#url;
  }

  get account(): AccountId {
    return { url: this.#url, user: this.user, deviceId: this.deviceId };
  }

  async storedKey(): Promise<string | undefined> {
    return (await this.config.keyStore.get(this.account))?.policyKey;
  }

  /** One command request with the given policy key; it needs credentials. */
  async command(stepName: string, command: string, policyKey: string, body?: Uint8Array, parameters?: Readonly<Record<string, string>>): Promise<Exchange> {
    const authorization = this.authorization;
    if (authorization === undefined) throw new ActiveSyncError('invalid-input', `${stepName}: a user name and password are required`);
    return this.roundTrip(stepName, (url) =>
      buildCommandRequest({
        url,
        command,
        user: this.user,
        deviceId: this.deviceId,
        deviceType: this.deviceType,
        protocolVersion: this.protocolVersion,
        policyKey,
        authorization,
        userAgent: this.userAgent,
        queryEncoding: this.config.queryEncoding ?? 'plain',
        ...(body ? { body } : {}),
        ...(parameters ? { parameters } : {}),
      }),
    );
  }

  /** One request, following at most one 451 redirect and waiting out at most one short 503. */
  async roundTrip(stepName: string, build: (url: string) => HttpRequest): Promise<Exchange> {
    let redirected = false;
    let waited = false;
    let name = stepName;
    for (;;) {
      const ex = await this.#exchange(name, build(this.#url));
      if (ex.status === 451 && !redirected) {
        const next = redirectTarget(this.#url, ex, name, this.trace);
        ex.step.notes.push(`Redirected to ${next}; this client uses it from now on`);
        this.#url = next;
        redirected = true;
        name = `${stepName} (after redirect)`;
        continue;
      }
      if (ex.status === 503 && !waited) {
        const retryAfter = retryAfterSeconds(headerValue(ex.headers, 'Retry-After'));
        if (retryAfter !== undefined && retryAfter <= (this.config.maxRetryAfterSeconds ?? 0)) {
          ex.step.notes.push(`Waiting ${retryAfter} s as Retry-After asks, then retrying once`);
          await this.#sleep(retryAfter * 1000);
          waited = true;
          name = `${stepName} (retry after 503)`;
          continue;
        }
      }
      return ex;
    }
  }

  /** Attaches the whole trace to whatever fails inside a public method. */
  async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ActiveSyncError) throw error.withTrace([...this.trace]);
      throw error;
    } finally {
      this.#report();
    }
  }

  /** The error for a failed step, carrying this connection's trace so far. */
  error(kind: ActiveSyncErrorKind, message: string, ex?: { step: TraceStep; status?: number }, extra: StepErrorExtra = {}): ActiveSyncError {
    return stepError(this.trace, kind, message, ex, extra);
  }

  async #exchange(stepName: string, request: HttpRequest): Promise<Exchange> {
    try {
      const ex = await exchange(stepName, request, this.transport);
      const rp = headerValue(ex.headers, 'X-MS-RP');
      if (rp) ex.step.notes.push(`X-MS-RP: the server now offers versions ${rp}; run OPTIONS again`);
      const expires = headerValue(ex.headers, 'X-MS-Credentials-Expire');
      if (expires) ex.step.notes.push(`X-MS-Credentials-Expire: the password expires in ${expires} day(s)`);
      this.trace.push(ex.step);
      return ex;
    } catch (error) {
      if (error instanceof ActiveSyncError) this.trace.push(...error.trace);
      throw error;
    }
  }

  /** Hands finished steps to onStep; called when the client has added its notes. */
  #report(): void {
    while (this.#reported < this.trace.length) {
      const step = this.trace[this.#reported++] as TraceStep;
      this.config.onStep?.(step);
    }
  }

  #sleep(ms: number): Promise<void> {
    const timers = this.transport.timers;
    return new Promise((resolve) => timers.setTimeout(resolve, ms));
  }
}
