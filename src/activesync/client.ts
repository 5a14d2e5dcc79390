// The ActiveSync client: OPTIONS, the two Provision phases and any command with the stored key,
// re-provisioning once when the server demands it. Every exchange is traced; every failure is an
// ActiveSyncError carrying the trace so far. All I/O comes in through the config.
import { encode, type WbxmlElement } from '../wbxml';
import { ActiveSyncError } from './errors';
import { exchange, type Exchange, type FetchLike, type Timers, type TransportContext } from './http';
import type { PolicyKeyStore, AccountId } from './key-store';
import { parseOptions, type ServerOptions } from './options';
import type { ParsedPolicy } from './policy';
import {
  buildAcknowledgement,
  buildPolicyRequest,
  parseProvisionResponse,
  type DeviceInformation,
  type ProvisionResponse,
  type RemoteWipeKind,
} from './provision';
import {
  activeSyncUrl,
  basicAuthorization,
  buildCommandRequest,
  buildOptionsRequest,
  checkTransportSecurity,
  DEFAULT_DEVICE_TYPE,
  DEFAULT_USER_AGENT,
  type HttpRequest,
} from './request';
import {
  describeCommandStatus,
  describeProvisionStatus,
  POLICY_STATUS,
  PROVISION_STATUS,
  REMOTE_WIPE_REQUESTED,
  REPROVISION_STATUSES,
} from './status';
import { headerValue, type TraceStep } from './trace';
import { childNumber } from './tree';

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

export interface PolicyPhase {
  response: ProvisionResponse;
  temporaryKey?: string;
  policy?: ParsedPolicy;
  /** Set when the server asks for a wipe: stop here and show it; never acknowledge it. */
  remoteWipe?: RemoteWipeKind;
}

export interface AcknowledgementPhase {
  response: ProvisionResponse;
  finalKey: string;
}

export interface ProvisionResult {
  protocolVersion: string;
  policy?: ParsedPolicy;
  temporaryKey: string;
  finalKey: string;
  phase1: ProvisionResponse;
  acknowledgement: ProvisionResponse;
}

export interface CommandResult {
  command: string;
  httpStatus: number;
  root?: WbxmlElement;
  xml?: string;
  /** The top-level Status of the response body, if it has one. */
  status?: number;
  statusMeaning?: string;
  /** True when the server demanded provisioning and the client provisioned and retried. */
  reprovisioned: boolean;
  /** The policy key the successful request carried. */
  policyKey: string;
}

export interface SendOptions {
  parameters?: Readonly<Record<string, string>>;
  /** Provision and retry once on HTTP 449 or Status 142/143/144; default true. */
  reprovision?: boolean;
}

const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};

const PHASE_1 = 'Provision: policy request (phase 1)';
const PHASE_2 = 'Provision: acknowledgement';

export class ActiveSyncClient {
  /** Every step of this client, in order. */
  readonly trace: TraceStep[] = [];
  readonly user: string;
  readonly deviceId: string;
  readonly deviceType: string;
  readonly protocolVersion: string;
  readonly userAgent: string;
  #url: string;
  /** Undefined without credentials: then only OPTIONS can be sent. */
  readonly #authorization: string | undefined;
  readonly #config: ClientConfig;
  readonly #transport: TransportContext;
  /** How many trace steps onStep has seen. */
  #reported = 0;

  constructor(config: ClientConfig) {
    this.#config = config;
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
    this.#authorization = config.user ? basicAuthorization(config.user, config.password ?? '') : undefined;
    const transport: TransportContext = {
      fetch: config.fetch,
      timers: config.timers ?? systemTimers,
      timeoutMs: config.timeoutMs ?? 30_000,
      now: config.now ?? Date.now,
    };
    if (config.signal) transport.signal = config.signal;
    this.#transport = transport;
  }

  /** The endpoint in use (it changes when the server redirects with 451 and X-MS-Location). */
  get url(): string {
    return this.#url;
  }

  get account(): AccountId {
    return { url: this.#url, user: this.user, deviceId: this.deviceId };
  }

  async storedKey(): Promise<string | undefined> {
    return (await this.#config.keyStore.get(this.account))?.policyKey;
  }

  /**
   * OPTIONS: versions and commands, with credentials when the client has them. Servers answer 401
   * with the headers too, so a 401 is returned, not thrown.
   */
  async options(): Promise<ServerOptions> {
    return this.#guard(async () => {
      const ex = await this.#roundTrip('OPTIONS', (url) => buildOptionsRequest(url, this.userAgent, this.#authorization));
      if (ex.status !== 200 && ex.status !== 401) this.#failHttp(ex);
      const result = parseOptions(ex.status, ex.headers);
      if (result.versions.length === 0) ex.step.notes.push('No MS-ASProtocolVersions header: is this an ActiveSync server?');
      else ex.step.notes.push(`Highest common version: ${result.highestCommonVersion ?? 'none'}`);
      return result;
    });
  }

  /** Phase 1: asks for the policy with key 0; returns it with the temporary key. */
  async requestPolicy(): Promise<PolicyPhase> {
    return this.#guard(async () => {
      const body = buildPolicyRequest({
        protocolVersion: this.protocolVersion,
        userAgent: this.userAgent,
        ...(this.#config.deviceInformation ? { deviceInformation: this.#config.deviceInformation } : {}),
      });
      const ex = await this.#command(PHASE_1, 'Provision', '0', encode(body));
      const response = this.#provisionResponse(ex);
      const phase: PolicyPhase = { response };
      if (response.policy) phase.policy = response.policy;
      if (response.policyKey !== undefined) phase.temporaryKey = response.policyKey;
      if (response.remoteWipe) {
        phase.remoteWipe = response.remoteWipe;
        return phase;
      }
      this.#requireSuccess(ex, response);
      if (response.policyError) {
        throw this.#error('malformed-response', `${PHASE_1}: the policy data cannot be read: ${response.policyError}`, ex);
      }
      if (!phase.temporaryKey) throw this.#error('malformed-response', `${PHASE_1}: the response carries no PolicyKey`, ex);
      ex.step.notes.push(`Temporary policy key: ${phase.temporaryKey}`);
      return phase;
    });
  }

  /** The acknowledgement: sends the temporary key back; stores and returns the final key. */
  async acknowledge(temporaryKey: string, status = 1): Promise<AcknowledgementPhase> {
    return this.#guard(async () => {
      const body = encode(buildAcknowledgement(this.protocolVersion, temporaryKey, status));
      const ex = await this.#command(PHASE_2, 'Provision', temporaryKey, body);
      const response = this.#provisionResponse(ex);
      if (response.remoteWipe) throw this.#wipeError(response.remoteWipe, ex);
      this.#requireSuccess(ex, response);
      const finalKey = response.policyKey;
      if (!finalKey) throw this.#error('malformed-response', `${PHASE_2}: the response carries no PolicyKey`, ex);
      ex.step.notes.push(`Final policy key: ${finalKey}`);
      await this.#config.keyStore.set(this.account, {
        policyKey: finalKey,
        protocolVersion: this.protocolVersion,
        storedAt: new Date(this.#transport.now()).toISOString(),
      });
      return { response, finalKey };
    });
  }

  /** Both phases. A remote wipe directive stops it with a 'remote-wipe' error before any acknowledgement. */
  async provision(): Promise<ProvisionResult> {
    const phase1 = await this.requestPolicy();
    if (phase1.remoteWipe) {
      const last = this.trace.at(-1);
      throw this.#wipeError(phase1.remoteWipe, last ? { step: last } : undefined);
    }
    const temporaryKey = phase1.temporaryKey as string;
    const ack = await this.acknowledge(temporaryKey);
    const result: ProvisionResult = {
      protocolVersion: this.protocolVersion,
      temporaryKey,
      finalKey: ack.finalKey,
      phase1: phase1.response,
      acknowledgement: ack.response,
    };
    if (phase1.policy) result.policy = phase1.policy;
    return result;
  }

  /**
   * Sends any command with the stored key ("0" if none). On HTTP 449 or Status 142/143/144 it
   * provisions once and retries once; a second demand ends in a 'provisioning-required' error.
   */
  async send(command: string, body?: Uint8Array | WbxmlElement, options: SendOptions = {}): Promise<CommandResult> {
    return this.#guard(async () => {
      if (!/^[A-Za-z]+$/.test(command)) throw new ActiveSyncError('invalid-input', `"${command}" is not a command name`);
      const bytes = body === undefined || body instanceof Uint8Array ? body : encode(body);
      let reprovisioned = false;
      for (;;) {
        const key = (await this.storedKey()) ?? '0';
        const stepName = reprovisioned ? `${command} (retry after provisioning)` : command;
        const ex = await this.#command(stepName, command, key, bytes, options.parameters);
        // On whatever code page the server put it: Horde sends AirSync:Status inside FolderSync.
        const status = childNumber(ex.root, 'Status');
        if (status !== undefined) ex.step.notes.push(`Status ${describeCommandStatus(command, status)}`);
        if (status === REMOTE_WIPE_REQUESTED) {
          throw this.#error(
            'remote-wipe',
            `${stepName}: the server requests a REMOTE WIPE of this device (Status 140). Stopped: this tool never ` +
              'acknowledges a wipe. Run provision to see the wipe directive.',
            ex,
            { status },
          );
        }
        const demandStatus = status !== undefined && REPROVISION_STATUSES.has(status) ? `Status ${status}` : undefined;
        const demand = ex.status === 449 ? (demandStatus ? `HTTP 449 with ${demandStatus}` : 'HTTP 449') : demandStatus;
        if (demand) {
          await this.#config.keyStore.delete(this.account);
          if (options.reprovision === false) {
            throw this.#error('provisioning-required', `${stepName}: ${demand}: the server requires provisioning first`, ex, { status });
          }
          if (reprovisioned) {
            throw this.#error(
              'provisioning-required',
              `${stepName}: ${demand} again right after a successful Provision; stopping rather than looping`,
              ex,
              { status },
            );
          }
          ex.step.notes.push(`${demand}: provisioning, then retrying once`);
          await this.provision();
          reprovisioned = true;
          continue;
        }
        if (ex.status !== 200) this.#failHttp(ex);
        // An empty 200 is a valid answer (Sync with no changes); anything else must be WBXML.
        if (ex.body.length > 0) this.#requireWbxml(ex);
        const result: CommandResult = { command, httpStatus: ex.status, reprovisioned, policyKey: key };
        if (ex.root) result.root = ex.root;
        if (ex.step.response?.body?.xml) result.xml = ex.step.response.body.xml;
        if (status !== undefined) {
          result.status = status;
          result.statusMeaning = describeCommandStatus(command, status);
        }
        return result;
      }
    });
  }

  // --- internals ---

  async #command(
    stepName: string,
    command: string,
    policyKey: string,
    body?: Uint8Array,
    parameters?: Readonly<Record<string, string>>,
  ): Promise<Exchange> {
    const authorization = this.#authorization;
    if (authorization === undefined) throw new ActiveSyncError('invalid-input', `${stepName}: a user name and password are required`);
    return this.#roundTrip(stepName, (url) =>
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
        queryEncoding: this.#config.queryEncoding ?? 'plain',
        ...(body ? { body } : {}),
        ...(parameters ? { parameters } : {}),
      }),
    );
  }

  /** One request, following at most one 451 redirect and waiting out at most one short 503. */
  async #roundTrip(stepName: string, build: (url: string) => HttpRequest): Promise<Exchange> {
    let redirected = false;
    let waited = false;
    let name = stepName;
    for (;;) {
      const ex = await this.#exchange(name, build(this.#url));
      if (ex.status === 451 && !redirected) {
        const location = headerValue(ex.headers, 'X-MS-Location');
        if (!location) {
          throw this.#error('redirect', `${name}: HTTP 451 without X-MS-Location: the client must run Autodiscover to find the right server`, ex);
        }
        const next = activeSyncUrl(location);
        // Following it would hand the Basic credentials to whoever the answer names: a server
        // that moved a mailbox elsewhere is no grounds to trust that place. The same origin
        // (scheme, host and port) is the same server, and the same transport check already holds.
        const here = new URL(this.#url).origin;
        if (new URL(next).origin !== here) {
          throw this.#error(
            'redirect-other-origin',
            `${name}: HTTP 451: the server moved this mailbox to ${next}, outside ${here}. ` +
              'The credentials were not sent there; run against that URL yourself if you trust it.',
            ex,
            { location: next },
          );
        }
        ex.step.notes.push(`Redirected to ${next}; this client uses it from now on`);
        this.#url = next;
        redirected = true;
        name = `${stepName} (after redirect)`;
        continue;
      }
      if (ex.status === 503 && !waited) {
        const retryAfter = retryAfterSeconds(headerValue(ex.headers, 'Retry-After'));
        if (retryAfter !== undefined && retryAfter <= (this.#config.maxRetryAfterSeconds ?? 0)) {
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

  async #exchange(stepName: string, request: HttpRequest): Promise<Exchange> {
    try {
      const ex = await exchange(stepName, request, this.#transport);
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
      this.#config.onStep?.(step);
    }
  }

  #sleep(ms: number): Promise<void> {
    const timers = this.#transport.timers;
    return new Promise((resolve) => timers.setTimeout(resolve, ms));
  }

  /** Attaches the whole trace to whatever fails inside a public method. */
  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ActiveSyncError) throw error.withTrace([...this.trace]);
      throw error;
    } finally {
      this.#report();
    }
  }

  #error(
    kind: ConstructorParameters<typeof ActiveSyncError>[0],
    message: string,
    ex?: { step: TraceStep; status?: number },
    extra: { status?: number | undefined; retryAfterSeconds?: number; location?: string; remoteWipe?: RemoteWipeKind } = {},
  ): ActiveSyncError {
    if (ex) {
      ex.step.error = { kind, message };
    }
    const details: ConstructorParameters<typeof ActiveSyncError>[2] = { step: ex?.step.step ?? '', trace: [...this.trace] };
    if (ex?.status !== undefined) details.httpStatus = ex.status;
    if (extra.status !== undefined) details.status = extra.status;
    if (extra.retryAfterSeconds !== undefined) details.retryAfterSeconds = extra.retryAfterSeconds;
    if (extra.location !== undefined) details.location = extra.location;
    if (extra.remoteWipe !== undefined) details.remoteWipe = extra.remoteWipe;
    return new ActiveSyncError(kind, message, details);
  }

  #wipeError(kind: RemoteWipeKind, ex?: { step: TraceStep }): ActiveSyncError {
    const what = kind === 'device' ? 'a REMOTE WIPE of the whole device (RemoteWipe)' : 'an ACCOUNT-ONLY REMOTE WIPE (AccountOnlyRemoteWipe)';
    return this.#error(
      'remote-wipe',
      `The server requests ${what}. Stopped before acknowledging: this tool never confirms a wipe, and no policy key was stored.`,
      ex,
      { remoteWipe: kind },
    );
  }

  /** Throws the error an unexpected HTTP status calls for. */
  #failHttp(ex: Exchange): never {
    const step = ex.step.step;
    switch (ex.status) {
      case 401: {
        const challenge = headerValue(ex.headers, 'WWW-Authenticate');
        throw this.#error(
          'unauthorized',
          `${step}: HTTP 401: the server refused the credentials of ${this.user}` +
            (challenge ? ` (it asks for: ${challenge.split(/[ ,]/)[0]})` : ''),
          ex,
        );
      }
      case 403:
        throw this.#error('forbidden', `${step}: HTTP 403: ${this.user} is not allowed to use ActiveSync on this server`, ex);
      case 449:
        throw this.#error('provisioning-required', `${step}: HTTP 449: the server demands Provision in answer to Provision itself`, ex);
      case 451: {
        const location = headerValue(ex.headers, 'X-MS-Location');
        throw this.#error('redirect', `${step}: HTTP 451 again after one redirect${location ? ` (now to ${location})` : ''}; stopping`, ex, {
          ...(location ? { location } : {}),
        });
      }
      case 456:
        throw this.#error('blocked', `${step}: HTTP 456: the account of ${this.user} is blocked`, ex);
      case 457: {
        const where = headerValue(ex.headers, 'X-MS-Credential-Service-Url');
        throw this.#error('password-expired', `${step}: HTTP 457: the password has expired${where ? `; change it at ${where}` : ''}`, ex);
      }
      case 503: {
        const retryAfter = retryAfterSeconds(headerValue(ex.headers, 'Retry-After'));
        throw this.#error(
          'unavailable',
          `${step}: HTTP 503: the server is unavailable${retryAfter !== undefined ? `; it asks to retry after ${retryAfter} s` : ''}`,
          ex,
          retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {},
        );
      }
      default:
        throw this.#error('http', `${step}: unexpected HTTP ${ex.status} ${ex.step.response?.statusText ?? ''}`.trimEnd(), ex);
    }
  }

  #requireWbxml(ex: Exchange): WbxmlElement {
    if (ex.root) return ex.root;
    const step = ex.step.step;
    if (ex.decodeError) {
      const at = ex.decodeError.offset !== undefined ? ` at byte ${ex.decodeError.offset}` : '';
      throw new ActiveSyncError('not-wbxml', `${step}: the response body is not valid WBXML${at}: ${ex.decodeError.message}`, {
        step,
        httpStatus: ex.status,
        ...(ex.decodeError.offset !== undefined ? { offset: ex.decodeError.offset } : {}),
        trace: [...this.trace],
      });
    }
    const type = headerValue(ex.headers, 'Content-Type') ?? 'no Content-Type';
    const what = ex.body.length === 0 ? 'an empty body' : `${ex.body.length} bytes of ${type}`;
    throw this.#error('not-wbxml', `${step}: expected a WBXML body, got ${what}`, ex);
  }

  #provisionResponse(ex: Exchange): ProvisionResponse {
    if (ex.status !== 200) this.#failHttp(ex);
    const root = this.#requireWbxml(ex);
    let response: ProvisionResponse;
    try {
      response = parseProvisionResponse(root);
    } catch (error) {
      throw this.#error('malformed-response', `${ex.step.step}: ${(error as Error).message}`, ex);
    }
    const notes = ex.step.notes;
    if (response.status !== undefined) notes.push(`Provision Status ${describeProvisionStatus(response.status, PROVISION_STATUS)}`);
    if (response.policyStatus !== undefined) notes.push(`Policy Status ${describeProvisionStatus(response.policyStatus, POLICY_STATUS)}`);
    if (response.remoteWipe) {
      notes.push(
        response.remoteWipe === 'device'
          ? 'REMOTE WIPE REQUESTED: the server asks this device to erase itself. Not acknowledged.'
          : 'ACCOUNT-ONLY REMOTE WIPE REQUESTED: the server asks for this account’s data to be erased. Not acknowledged.',
      );
    }
    return response;
  }

  /** Both the Provision Status and the Policy Status must be 1. */
  #requireSuccess(ex: Exchange, response: ProvisionResponse): void {
    const checks = [
      ['Provision', response.status, 'provision-failed', PROVISION_STATUS],
      ['Policy', response.policyStatus, 'policy-failed', POLICY_STATUS],
    ] as const;
    for (const [element, status, kind, table] of checks) {
      if (status === undefined) throw this.#error('malformed-response', `${ex.step.step}: the ${element} element has no Status`, ex);
      if (status !== 1) {
        throw this.#error(kind, `${ex.step.step}: ${element} Status ${describeProvisionStatus(status, table)}`, ex, { status });
      }
    }
  }
}

/** Retry-After in seconds; HTTP dates are not worth waiting on here, so they read as undefined. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}
