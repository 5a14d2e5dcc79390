// Words for people about a session, as messages of _locales (src/shared/words.ts): the badge's
// title, the session timeline the background keeps and the pages (the DevTools panel words what
// it reads from a tab's traffic the same way). Only keys here; the English is in messages.json.
import type { SessionStatus, SignInFailure } from './session-model';
import { REASON, type FormsUnavailableKind } from './detection';
import { msg, type MessageKey, type Words } from '../shared/words';

export const STATUS_KEYS: Record<SessionStatus, MessageKey> = {
  'sign-in-failed': 'common_status_sign_in_failed',
  expired: 'common_status_expired',
  'signing-in': 'common_status_signing_in',
  expiring: 'common_status_expiring',
  'signed-in': 'common_status_signed_in',
  'forms-unavailable': 'common_status_forms_unavailable',
  'signed-out': 'common_status_signed_out',
};

export const FAILURE_KEYS: Record<SignInFailure, MessageKey> = {
  rejected: 'common_failure_rejected',
  blocked: 'common_failure_blocked',
  error: 'common_failure_error',
  'no-form': 'common_failure_no_form',
  'gave-up': 'common_failure_gave_up',
  'unsafe-redirect': 'common_failure_unsafe_redirect',
};

export const UNAVAILABLE_KEYS: Record<FormsUnavailableKind, MessageKey> = {
  adfs: 'common_unavailable_adfs',
  entra: 'common_unavailable_entra',
  tmg: 'common_unavailable_tmg',
  'insecure-http': 'common_unavailable_insecure_http',
};

export function statusWords(status: SessionStatus): Words {
  return msg(STATUS_KEYS[status]);
}

export function failureWords(failure: SignInFailure): Words {
  return msg(FAILURE_KEYS[failure]);
}

/** "this server signs in through AD FS: automatic sign-in is off, no password is ever sent". */
export function formsUnavailableWords(kind: FormsUnavailableKind): Words {
  return msg('common_unavailable_note', msg(UNAVAILABLE_KEYS[kind]));
}

const REASON_KEYS: Record<number, MessageKey> = {
  [REASON.none]: 'bg_reason_none',
  [REASON.logoff]: 'bg_reason_logoff',
  [REASON.invalidCredentials]: 'bg_reason_invalid_credentials',
  [REASON.timeout]: 'bg_reason_timeout',
  [REASON.passwordChanged]: 'bg_reason_password_changed',
  [REASON.blockedByRules]: 'bg_reason_blocked',
  [REASON.blockedByRules2]: 'bg_reason_blocked',
};

/** OWA's `reason=` on its logon page: "reason=3: the session timed out". */
export function reasonWords(reason: number | null): Words {
  if (reason === null) return msg('bg_reason_not_given');
  return msg('bg_reason', reason, msg(REASON_KEYS[reason] ?? 'bg_reason_unknown'));
}

/** The detail lines of the session timeline that are not a reason, a cookie name or an outcome. */
export const TIMELINE_WORDS = {
  loginTimeout: msg('bg_timeline_login_timeout'),
  logonPost: msg('bg_timeline_logon_post'),
  logoff: msg('bg_timeline_logoff'),
  expiredEstimate: msg('bg_timeline_expired_estimate'),
} as const satisfies Record<string, Words>;

/** A session cookie's name, as the timeline shows it (never its value). */
export function cookieWords(name: string): Words {
  return msg('bg_cookie', name.toLowerCase());
}
