// The session words of src/owa/labels.ts, through i18n for the pages (the worker's badge keeps
// the English of labels.ts; a test checks the English messages say the same).
import type { FormsUnavailableKind } from '../../owa/detection';
import type { SessionStatus, SignInFailure } from '../../owa/session-model';
import type { SignInOutcome, TimelineKind } from '../../messages/protocol';
import { t, type MessageKey } from './i18n';

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

export const OUTCOME_KEYS: Record<SignInOutcome, MessageKey> = {
  running: 'common_outcome_running',
  success: 'common_outcome_success',
  rejected: 'common_outcome_rejected',
  blocked: 'common_outcome_blocked',
  'forms-unavailable': 'common_outcome_forms_unavailable',
  error: 'common_outcome_error',
  'unsafe-redirect': 'common_outcome_unsafe_redirect',
};

export const TIMELINE_KEYS: Record<TimelineKind, MessageKey> = {
  '440': 'common_timeline_440',
  'logon-redirect': 'common_timeline_logon_redirect',
  'logon-post': 'common_timeline_logon_post',
  'cookie-set': 'common_timeline_cookie_set',
  'cookie-cleared': 'common_timeline_cookie_cleared',
  'sign-in-started': 'common_timeline_sign_in_started',
  'sign-in-requested': 'common_timeline_sign_in_requested',
  'sign-in-succeeded': 'common_timeline_sign_in_succeeded',
  'sign-in-failed': 'common_timeline_sign_in_failed',
  logoff: 'common_timeline_logoff',
  'forms-unavailable': 'common_timeline_forms_unavailable',
  'expired-estimate': 'common_timeline_expired_estimate',
};

export const statusText = (status: SessionStatus) => t(STATUS_KEYS[status]);
export const failureText = (failure: SignInFailure) => t(FAILURE_KEYS[failure]);
export const unavailableText = (kind: FormsUnavailableKind) => t('common_unavailable_note', t(UNAVAILABLE_KEYS[kind]));
