// Words for people, shared by the badge's title, the session timeline the background keeps and
// the pages (the DevTools panel words what it reads from a tab's traffic the same way).
import type { SessionStatus, SignInFailure } from './session-model';
import { REASON, type FormsUnavailableKind } from './detection';

const STATUS: Record<SessionStatus, string> = {
  'sign-in-failed': 'sign-in failed',
  expired: 'expired',
  'signing-in': 'signing in again',
  expiring: 'expiring',
  'signed-in': 'signed in',
  'forms-unavailable': 'forms logon not available',
  'signed-out': 'signed out',
};

const FAILURE: Record<SignInFailure, string> = {
  rejected: 'the stored password was refused (wrong or locked account); enter it again',
  blocked: 'the server blocked this sign-in (client access rules)',
  error: 'the sign-in did not work; it will be tried again shortly',
  'no-form': 'no logon form was found',
  'gave-up': 'gave up after several attempts',
  'unsafe-redirect': 'the server sent the sign-in to another site or to plain HTTP; the password was not sent there, and automatic sign-in stays off until you enter the password again',
};

const UNAVAILABLE: Record<FormsUnavailableKind, string> = {
  adfs: 'this server signs in through AD FS',
  entra: 'this server signs in through Microsoft Entra ID (modern authentication)',
  tmg: 'this server is published through ISA/TMG (CookieAuth.dll)',
  'insecure-http': 'the logon page is served over plain HTTP',
};

export function statusLabel(status: SessionStatus): string {
  return STATUS[status];
}

export function failureLabel(failure: SignInFailure): string {
  return FAILURE[failure];
}

export function formsUnavailableLabel(kind: FormsUnavailableKind): string {
  return `${UNAVAILABLE[kind]}: automatic sign-in is off, no password is ever sent`;
}

const REASONS: Record<number, string> = {
  [REASON.none]: 'sent to the logon page',
  [REASON.logoff]: 'signed out',
  [REASON.invalidCredentials]: 'wrong user name or password',
  [REASON.timeout]: 'the session timed out',
  [REASON.passwordChanged]: 'the password was changed',
  [REASON.blockedByRules]: 'blocked by client access rules',
  [REASON.blockedByRules2]: 'blocked by client access rules',
};

/** OWA's `reason=` on its logon page: "reason=3: the session timed out". */
export function reasonLabel(reason: number | null): string {
  if (reason === null) return 'logon page (no reason given)';
  return `reason=${reason}: ${REASONS[reason] ?? 'unknown reason'}`;
}

/** The detail lines of the session timeline that are not a reason, a cookie name or an outcome. */
export const TIMELINE_WORDS = {
  loginTimeout: 'HTTP 440 Login Timeout: the server ended the session',
  logonPost: 'the logon form was posted (a sign-in by hand)',
  logoff: 'signed out by the user',
  expiredEstimate: 'past the latest estimated end of the session',
} as const;
