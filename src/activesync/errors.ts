import type { TraceStep } from './trace';

/** What went wrong, in a form the CLI maps to exit codes and the UI to messages. */
export type ActiveSyncErrorKind =
  | 'invalid-input' // the caller's own arguments (URL, device id, XML) are unusable
  | 'insecure-transport' // Basic credentials would cross plain HTTP to a non-loopback host
  | 'network' // fetch itself failed: DNS, refused connection, TLS
  | 'timeout'
  | 'aborted'
  | 'unauthorized' // HTTP 401
  | 'forbidden' // HTTP 403
  | 'redirect' // HTTP 451 that could not be followed
  | 'redirect-other-origin' // HTTP 451 to another origin: not followed; `location` is where the server points
  | 'blocked' // HTTP 456
  | 'password-expired' // HTTP 457
  | 'unavailable' // HTTP 503
  | 'http' // any other unexpected HTTP status
  | 'not-wbxml' // a body that should be WBXML is not
  | 'malformed-response' // WBXML, but not the answer the protocol calls for
  | 'provision-failed' // Provision Status other than 1
  | 'policy-failed' // Policy Status other than 1 (5: wrong key acknowledged)
  | 'provisioning-required' // the server demands Provision: right after a fresh one, or with re-provisioning off
  | 'remote-wipe'; // the server asked for a wipe; the tool stops and never acknowledges it

export interface ActiveSyncErrorDetails {
  step?: string;
  httpStatus?: number;
  /** Provision, Policy or common status code from the body. */
  status?: number;
  /** Byte offset of a WBXML decoding error. */
  offset?: number;
  retryAfterSeconds?: number;
  /** For 'redirect' and 'redirect-other-origin': the X-MS-Location the server sent. */
  location?: string;
  /** For 'remote-wipe' from a Provision response: which wipe the server asked for. */
  remoteWipe?: 'device' | 'account';
  trace?: readonly TraceStep[];
  cause?: unknown;
}

/**
 * Every failure of the client. It says what happened and where (step, HTTP status, status code,
 * byte offset) and carries the trace recorded so far, so nothing the user saw is lost. It never
 * holds the password: messages are built from statuses and headers, not from the request.
 */
export class ActiveSyncError extends Error {
  readonly kind: ActiveSyncErrorKind;
  readonly step: string | undefined;
  readonly httpStatus: number | undefined;
  readonly status: number | undefined;
  readonly offset: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly location: string | undefined;
  readonly remoteWipe: 'device' | 'account' | undefined;
  readonly trace: readonly TraceStep[];

  constructor(kind: ActiveSyncErrorKind, message: string, details: ActiveSyncErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ActiveSyncError';
    this.kind = kind;
    this.step = details.step;
    this.httpStatus = details.httpStatus;
    this.status = details.status;
    this.offset = details.offset;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.location = details.location;
    this.remoteWipe = details.remoteWipe;
    this.trace = details.trace ?? [];
  }

  /** The same error with the trace of the whole operation attached. */
  withTrace(trace: readonly TraceStep[]): ActiveSyncError {
    return new ActiveSyncError(this.kind, this.message, {
      step: this.step,
      httpStatus: this.httpStatus,
      status: this.status,
      offset: this.offset,
      retryAfterSeconds: this.retryAfterSeconds,
      location: this.location,
      remoteWipe: this.remoteWipe,
      trace,
      cause: this.cause,
    });
  }
}

export type StepErrorExtra = Pick<ActiveSyncErrorDetails, 'retryAfterSeconds' | 'location' | 'remoteWipe'> & {
  status?: number | undefined;
};

/**
 * The error for a step that failed: the step is marked with it, so the trace shows where things
 * stopped, and the error carries the trace up to here.
 */
export function stepError(trace: readonly TraceStep[], kind: ActiveSyncErrorKind, message: string, ex?: { step: TraceStep; status?: number }, extra: StepErrorExtra = {}): ActiveSyncError {
  if (ex) {
    ex.step.error = { kind, message };
  }
  const details: ActiveSyncErrorDetails = { step: ex?.step.step ?? '', trace: [...trace] };
  if (ex?.status !== undefined) details.httpStatus = ex.status;
  if (extra.status !== undefined) details.status = extra.status;
  if (extra.retryAfterSeconds !== undefined) details.retryAfterSeconds = extra.retryAfterSeconds;
  if (extra.location !== undefined) details.location = extra.location;
  if (extra.remoteWipe !== undefined) details.remoteWipe = extra.remoteWipe;
  return new ActiveSyncError(kind, message, details);
}
