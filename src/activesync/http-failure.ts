// Answers a command cannot use: an HTTP status other than the one it expects, or a body that
// should be WBXML and is not. Each becomes the ActiveSyncError its cause calls for, so the CLI
// can map it to an exit code and the UI to words.
import type { WbxmlElement } from '../wbxml';
import { ActiveSyncError, stepError } from './errors';
import type { Exchange } from './http';
import { headerValue, type TraceStep } from './trace';

/** Throws the error an unexpected HTTP status calls for. */
export function failHttp(ex: Exchange, user: string, trace: readonly TraceStep[]): never {
  const step = ex.step.step;
  switch (ex.status) {
    case 401: {
      const challenge = headerValue(ex.headers, 'WWW-Authenticate');
      throw stepError(trace, 'unauthorized', `${step}: HTTP 401: the server refused the credentials of ${user}` + (challenge ? ` (it asks for: ${challenge.split(/[ ,]/)[0]})` : ''), ex);
    }
    case 403:
      throw stepError(trace, 'forbidden', `${step}: HTTP 403: ${user} is not allowed to use ActiveSync on this server`, ex);
    case 449:
      throw stepError(trace, 'provisioning-required', `${step}: HTTP 449: the server demands Provision in answer to Provision itself`, ex);
    case 451: {
      const location = headerValue(ex.headers, 'X-MS-Location');
      throw stepError(trace, 'redirect', `${step}: HTTP 451 again after one redirect${location ? ` (now to ${location})` : ''}; stopping`, ex, {
        ...(location ? { location } : {}),
      });
    }
    case 456:
      throw stepError(trace, 'blocked', `${step}: HTTP 456: the account of ${user} is blocked`, ex);
    case 457: {
      const where = headerValue(ex.headers, 'X-MS-Credential-Service-Url');
      throw stepError(trace, 'password-expired', `${step}: HTTP 457: the password has expired${where ? `; change it at ${where}` : ''}`, ex);
    }
    case 503: {
      const retryAfter = retryAfterSeconds(headerValue(ex.headers, 'Retry-After'));
      throw stepError(
        trace,
        'unavailable',
        `${step}: HTTP 503: the server is unavailable${retryAfter !== undefined ? `; it asks to retry after ${retryAfter} s` : ''}`,
        ex,
        retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {},
      );
    }
    default:
      throw stepError(trace, 'http', `${step}: unexpected HTTP ${ex.status} ${ex.step.response?.statusText ?? ''}`.trimEnd(), ex);
  }
}

/** The decoded body, or the error saying why there is none: where decoding failed, or what came instead. */
export function requireWbxml(ex: Exchange, trace: readonly TraceStep[]): WbxmlElement {
  if (ex.root) return ex.root;
  const step = ex.step.step;
  if (ex.decodeError) {
    const at = ex.decodeError.offset !== undefined ? ` at byte ${ex.decodeError.offset}` : '';
    throw new ActiveSyncError('not-wbxml', `${step}: the response body is not valid WBXML${at}: ${ex.decodeError.message}`, {
      step,
      httpStatus: ex.status,
      ...(ex.decodeError.offset !== undefined ? { offset: ex.decodeError.offset } : {}),
      trace: [...trace],
    });
  }
  const type = headerValue(ex.headers, 'Content-Type') ?? 'no Content-Type';
  const what = ex.body.length === 0 ? 'an empty body' : `${ex.body.length} bytes of ${type}`;
  throw stepError(trace, 'not-wbxml', `${step}: expected a WBXML body, got ${what}`, ex);
}

/** Retry-After in seconds; HTTP dates are not worth waiting on here, so they read as undefined. */
export function retryAfterSeconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}
