// Words for people, shared by the badge's title and the pages.
import type { SessionStatus, SignInFailure } from './session-model';
import type { FormsUnavailableKind } from './detection';

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
