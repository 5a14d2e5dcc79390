// The session words of src/owa/labels.ts (message keys), through i18n for the pages, and the
// words only pages show: the outcome of a sign-in, the kinds of timeline entries.
import type { FormsUnavailableKind } from '../../owa/detection';
import type { SessionStatus, SignInFailure } from '../../owa/session-model';
import type { SignInOutcome, TimelineKind } from '../../messages/protocol';
import { FAILURE_KEYS, formsUnavailableWords, STATUS_KEYS } from '../../owa/labels';
import { say, t, type MessageKey } from './i18n';

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
export const unavailableText = (kind: FormsUnavailableKind) => say(formsUnavailableWords(kind));
