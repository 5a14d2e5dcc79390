// Provision as the client runs it (the bodies and their reading are in provision.ts): phase 1
// gets the policy and a temporary key, the acknowledgement turns that into the final key, which
// is stored for every later command. A wipe directive stops it before any acknowledgement.
import { encode } from '../wbxml';
import type { Connection } from './connection';
import type { Exchange } from './http';
import { failHttp, requireWbxml } from './http-failure';
import type { ParsedPolicy } from './policy-settings';
import { buildAcknowledgement, buildPolicyRequest, parseProvisionResponse, type ProvisionResponse, type RemoteWipeKind } from './provision';
import { wipeError, wipeNote } from './remote-wipe';
import { describeProvisionStatus, POLICY_STATUS, PROVISION_STATUS } from './status';

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

const PHASE_1 = 'Provision: policy request (phase 1)';
const PHASE_2 = 'Provision: acknowledgement';

/** Phase 1: asks for the policy with key 0; returns it with the temporary key. */
export async function requestPolicy(connection: Connection): Promise<PolicyPhase> {
  return connection.guard(async () => {
    const body = buildPolicyRequest({
      protocolVersion: connection.protocolVersion,
      userAgent: connection.userAgent,
      ...(connection.config.deviceInformation ? { deviceInformation: connection.config.deviceInformation } : {}),
    });
    const ex = await connection.command(PHASE_1, 'Provision', '0', encode(body));
    const response = provisionResponse(connection, ex);
    const phase: PolicyPhase = { response };
    if (response.policy) phase.policy = response.policy;
    if (response.policyKey !== undefined) phase.temporaryKey = response.policyKey;
    if (response.remoteWipe) {
      phase.remoteWipe = response.remoteWipe;
      return phase;
    }
    requireSuccess(connection, ex, response);
    if (response.policyError) {
      throw connection.error('malformed-response', `${PHASE_1}: the policy data cannot be read: ${response.policyError}`, ex);
    }
    if (!phase.temporaryKey) throw connection.error('malformed-response', `${PHASE_1}: the response carries no PolicyKey`, ex);
    ex.step.notes.push(`Temporary policy key: ${phase.temporaryKey}`);
    return phase;
  });
}

/** The acknowledgement: sends the temporary key back; stores and returns the final key. */
export async function acknowledge(connection: Connection, temporaryKey: string, status = 1): Promise<AcknowledgementPhase> {
  return connection.guard(async () => {
    const body = encode(buildAcknowledgement(connection.protocolVersion, temporaryKey, status));
    const ex = await connection.command(PHASE_2, 'Provision', temporaryKey, body);
    const response = provisionResponse(connection, ex);
    if (response.remoteWipe) throw wipeError(response.remoteWipe, connection.trace, ex);
    requireSuccess(connection, ex, response);
    const finalKey = response.policyKey;
    if (!finalKey) throw connection.error('malformed-response', `${PHASE_2}: the response carries no PolicyKey`, ex);
    ex.step.notes.push(`Final policy key: ${finalKey}`);
    await connection.config.keyStore.set(connection.account, {
      policyKey: finalKey,
      protocolVersion: connection.protocolVersion,
      storedAt: new Date(connection.transport.now()).toISOString(),
    });
    return { response, finalKey };
  });
}

/** Both phases. A remote wipe directive stops it with a 'remote-wipe' error before any acknowledgement. */
export async function provision(connection: Connection): Promise<ProvisionResult> {
  const phase1 = await requestPolicy(connection);
  if (phase1.remoteWipe) {
    const last = connection.trace.at(-1);
    throw wipeError(phase1.remoteWipe, connection.trace, last ? { step: last } : undefined);
  }
  const temporaryKey = phase1.temporaryKey as string;
  const ack = await acknowledge(connection, temporaryKey);
  const result: ProvisionResult = {
    protocolVersion: connection.protocolVersion,
    temporaryKey,
    finalKey: ack.finalKey,
    phase1: phase1.response,
    acknowledgement: ack.response,
  };
  if (phase1.policy) result.policy = phase1.policy;
  return result;
}

function provisionResponse(connection: Connection, ex: Exchange): ProvisionResponse {
  if (ex.status !== 200) failHttp(ex, connection.user, connection.trace);
  const root = requireWbxml(ex, connection.trace);
  let response: ProvisionResponse;
  try {
    response = parseProvisionResponse(root);
  } catch (error) {
    throw connection.error('malformed-response', `${ex.step.step}: ${(error as Error).message}`, ex);
  }
  const notes = ex.step.notes;
  if (response.status !== undefined) notes.push(`Provision Status ${describeProvisionStatus(response.status, PROVISION_STATUS)}`);
  if (response.policyStatus !== undefined) notes.push(`Policy Status ${describeProvisionStatus(response.policyStatus, POLICY_STATUS)}`);
  if (response.remoteWipe) notes.push(wipeNote(response.remoteWipe));
  return response;
}

/** Both the Provision Status and the Policy Status must be 1. */
function requireSuccess(connection: Connection, ex: Exchange, response: ProvisionResponse): void {
  const checks = [
    ['Provision', response.status, 'provision-failed', PROVISION_STATUS],
    ['Policy', response.policyStatus, 'policy-failed', POLICY_STATUS],
  ] as const;
  for (const [element, status, kind, table] of checks) {
    if (status === undefined) throw connection.error('malformed-response', `${ex.step.step}: the ${element} element has no Status`, ex);
    if (status !== 1) {
      throw connection.error(kind, `${ex.step.step}: ${element} Status ${describeProvisionStatus(status, table)}`, ex, { status });
    }
  }
}
