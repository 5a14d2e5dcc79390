// The ActiveSync client callers use: OPTIONS, the two Provision phases and any command with the
// stored key. Each command lives in its own module and runs over the client's one Connection, so
// the endpoint a 451 moves to, the stored key and the trace are shared by all of them. Every
// exchange is traced; every failure is an ActiveSyncError carrying the trace so far.
import type { WbxmlElement } from '../wbxml';
import { sendCommand, type CommandResult, type SendOptions } from './command';
import { Connection, type ClientConfig } from './connection';
import type { AccountId } from './key-store';
import { requestOptions, type ServerOptions } from './options';
import { acknowledge, provision, requestPolicy, type AcknowledgementPhase, type PolicyPhase, type ProvisionResult } from './provision-phases';
import type { TraceStep } from './trace';

export class ActiveSyncClient {
  /** Every step of this client, in order. */
  readonly trace: TraceStep[];
  readonly user: string;
  readonly deviceId: string;
  readonly deviceType: string;
  readonly protocolVersion: string;
  readonly userAgent: string;
  readonly #connection: Connection;

  constructor(config: ClientConfig) {
    const connection = new Connection(config);
    this.#connection = connection;
    this.trace = connection.trace;
    this.user = connection.user;
    this.deviceId = connection.deviceId;
    this.deviceType = connection.deviceType;
    this.protocolVersion = connection.protocolVersion;
    this.userAgent = connection.userAgent;
  }

  /** The endpoint in use (it changes when the server redirects with 451 and X-MS-Location). */
  get url(): string {
    return this.#connection.url;
  }

  get account(): AccountId {
    return this.#connection.account;
  }

  storedKey(): Promise<string | undefined> {
    return this.#connection.storedKey();
  }

  /** OPTIONS: versions and commands, with credentials when the client has them; a 401 is returned, not thrown. */
  options(): Promise<ServerOptions> {
    return requestOptions(this.#connection);
  }

  /** Phase 1: asks for the policy with key 0; returns it with the temporary key. */
  requestPolicy(): Promise<PolicyPhase> {
    return requestPolicy(this.#connection);
  }

  /** The acknowledgement: sends the temporary key back; stores and returns the final key. */
  acknowledge(temporaryKey: string, status = 1): Promise<AcknowledgementPhase> {
    return acknowledge(this.#connection, temporaryKey, status);
  }

  /** Both phases. A remote wipe directive stops it with a 'remote-wipe' error before any acknowledgement. */
  provision(): Promise<ProvisionResult> {
    return provision(this.#connection);
  }

  /**
   * Sends any command with the stored key ("0" if none), provisioning and retrying once when the
   * server demands it.
   */
  send(command: string, body?: Uint8Array | WbxmlElement, options: SendOptions = {}): Promise<CommandResult> {
    return sendCommand(this.#connection, command, body, options);
  }
}
