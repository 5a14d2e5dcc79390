// What the owa-inspector exit status says failed, so scripts can tell a refused password from a
// network fault or a wipe request.
import type { ActiveSyncErrorKind } from '../activesync/errors';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  network: 3,
  auth: 4,
  provisioning: 5,
  remoteWipe: 6,
  badResponse: 7,
  server: 8,
  commandStatus: 9,
} as const;

export function exitCodeFor(kind: ActiveSyncErrorKind): number {
  switch (kind) {
    case 'invalid-input':
    case 'insecure-transport':
      return EXIT.usage;
    case 'network':
    case 'timeout':
    case 'aborted':
      return EXIT.network;
    case 'unauthorized':
    case 'forbidden':
    case 'blocked':
    case 'password-expired':
      return EXIT.auth;
    case 'provision-failed':
    case 'policy-failed':
    case 'provisioning-required':
      return EXIT.provisioning;
    case 'remote-wipe':
      return EXIT.remoteWipe;
    case 'not-wbxml':
    case 'malformed-response':
      return EXIT.badResponse;
    case 'redirect':
    case 'redirect-other-origin':
    case 'unavailable':
    case 'http':
      return EXIT.server;
  }
}

export const EXIT_CODE_HELP = `Exit status:
  0  success
  2  bad arguments, or refused to send a password over plain HTTP
  3  network error or time-out
  4  credentials refused (401), ActiveSync forbidden (403), account blocked (456), password expired (457)
  5  provisioning failed (Provision or Policy Status not 1, or the server keeps demanding it)
  6  the server requested a REMOTE WIPE (never acknowledged)
  7  the answer was not the WBXML the protocol calls for
  8  other server errors (451 not followed, or to another server; 503, 5xx)
  9  send: the command answered with a Status other than 1`;
