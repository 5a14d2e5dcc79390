// HTTP 451 (MS-ASHTTP): the server names the endpoint to use instead in X-MS-Location.
// The connection follows it once, and only within the origin it already trusts.
import { stepError } from './errors';
import type { Exchange } from './http';
import { activeSyncUrl } from './request';
import { headerValue, type TraceStep } from './trace';

/** The endpoint a 451 points to, or the error saying why this client will not go there. */
export function redirectTarget(current: string, ex: Exchange, stepName: string, trace: readonly TraceStep[]): string {
  const location = headerValue(ex.headers, 'X-MS-Location');
  if (!location) {
    throw stepError(trace, 'redirect', `${stepName}: HTTP 451 without X-MS-Location: the client must run Autodiscover to find the right server`, ex);
  }
  const next = activeSyncUrl(location);
  // Following it would hand the Basic credentials to whoever the answer names: a server
  // that moved a mailbox elsewhere is no grounds to trust that place. The same origin
  // (scheme, host and port) is the same server, and the same transport check already holds.
  const here = new URL(current).origin;
  if (new URL(next).origin !== here) {
    throw stepError(
      trace,
      'redirect-other-origin',
      `${stepName}: HTTP 451: the server moved this mailbox to ${next}, outside ${here}. ` + 'The credentials were not sent there; run against that URL yourself if you trust it.',
      ex,
      { location: next },
    );
  }
  return next;
}
