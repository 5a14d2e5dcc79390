// Any command other than OPTIONS and Provision (FolderSync, Sync, Settings, Ping…), sent with the
// stored policy key. When the server demands provisioning (HTTP 449, or Status 142/143/144 in
// the body) the client provisions once and retries once; a wipe request (Status 140) stops it.
import { encode, type WbxmlElement } from '../wbxml';
import type { Connection } from './connection';
import { ActiveSyncError } from './errors';
import { failHttp, requireWbxml } from './http-failure';
import { provision } from './provision-phases';
import { wipeStatusError } from './remote-wipe';
import { describeCommandStatus, REMOTE_WIPE_REQUESTED, REPROVISION_STATUSES } from './status';
import { childNumber } from './tree';

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

/**
 * Sends the command with the stored key ("0" if none). On HTTP 449 or Status 142/143/144 it
 * provisions once and retries once; a second demand ends in a 'provisioning-required' error.
 */
export async function sendCommand(connection: Connection, command: string, body?: Uint8Array | WbxmlElement, options: SendOptions = {}): Promise<CommandResult> {
  return connection.guard(async () => {
    if (!/^[A-Za-z]+$/.test(command)) throw new ActiveSyncError('invalid-input', `"${command}" is not a command name`);
    const bytes = body === undefined || body instanceof Uint8Array ? body : encode(body);
    let reprovisioned = false;
    for (;;) {
      const key = (await connection.storedKey()) ?? '0';
      const stepName = reprovisioned ? `${command} (retry after provisioning)` : command;
      const ex = await connection.command(stepName, command, key, bytes, options.parameters);
      // On whatever code page the server put it: Horde sends AirSync:Status inside FolderSync.
      const status = childNumber(ex.root, 'Status');
      if (status !== undefined) ex.step.notes.push(`Status ${describeCommandStatus(command, status)}`);
      if (status === REMOTE_WIPE_REQUESTED) throw wipeStatusError(stepName, status, connection.trace, ex);
      const demandStatus = status !== undefined && REPROVISION_STATUSES.has(status) ? `Status ${status}` : undefined;
      const demand = ex.status === 449 ? (demandStatus ? `HTTP 449 with ${demandStatus}` : 'HTTP 449') : demandStatus;
      if (demand) {
        await connection.config.keyStore.delete(connection.account);
        if (options.reprovision === false) {
          throw connection.error('provisioning-required', `${stepName}: ${demand}: the server requires provisioning first`, ex, { status });
        }
        if (reprovisioned) {
          throw connection.error('provisioning-required', `${stepName}: ${demand} again right after a successful Provision; stopping rather than looping`, ex, { status });
        }
        ex.step.notes.push(`${demand}: provisioning, then retrying once`);
        await provision(connection);
        reprovisioned = true;
        continue;
      }
      if (ex.status !== 200) failHttp(ex, connection.user, connection.trace);
      // An empty 200 is a valid answer (Sync with no changes); anything else must be WBXML.
      if (ex.body.length > 0) requireWbxml(ex, connection.trace);
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
