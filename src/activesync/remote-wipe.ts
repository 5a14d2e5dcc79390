// A server may ask the device to erase itself: RemoteWipe or AccountOnlyRemoteWipe in a
// Provision response, Status 140 in any other command. This tool only shows the request: it
// stops there and never acknowledges a wipe, so the server never hears that one happened.
import { stepError, type ActiveSyncError } from './errors';
import type { RemoteWipeKind } from './provision';
import type { TraceStep } from './trace';

/** The note a Provision step gets when its response carries a wipe directive. */
export function wipeNote(kind: RemoteWipeKind): string {
  return kind === 'device'
    ? 'REMOTE WIPE REQUESTED: the server asks this device to erase itself. Not acknowledged.'
    : 'ACCOUNT-ONLY REMOTE WIPE REQUESTED: the server asks for this account’s data to be erased. Not acknowledged.';
}

/** The error that ends provisioning when the server sent a wipe directive. */
export function wipeError(kind: RemoteWipeKind, trace: readonly TraceStep[], ex?: { step: TraceStep }): ActiveSyncError {
  const what = kind === 'device' ? 'a REMOTE WIPE of the whole device (RemoteWipe)' : 'an ACCOUNT-ONLY REMOTE WIPE (AccountOnlyRemoteWipe)';
  return stepError(trace, 'remote-wipe', `The server requests ${what}. Stopped before acknowledging: this tool never confirms a wipe, and no policy key was stored.`, ex, {
    remoteWipe: kind,
  });
}

/** The error that ends a command answered with Status 140. */
export function wipeStatusError(stepName: string, status: number, trace: readonly TraceStep[], ex: { step: TraceStep; status?: number }): ActiveSyncError {
  return stepError(
    trace,
    'remote-wipe',
    `${stepName}: the server requests a REMOTE WIPE of this device (Status 140). Stopped: this tool never ` + 'acknowledges a wipe. Run provision to see the wipe directive.',
    ex,
    { status },
  );
}
