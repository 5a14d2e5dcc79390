// The OWA session timeline of the inspected origin, beside the traffic.
import type { SignInFailure } from '../../../owa/session-model';
import { t, type MessageKey } from '../../shared/i18n';
import { formatTime } from '../model/format';
import { isAlarming, reasonKey, type TimelineEvent, type TimelineKind } from '../model/timeline';

const KIND_LABEL: Record<TimelineKind, MessageKey> = {
  'login-timeout': 'panel_event_login_timeout',
  'logon-redirect': 'panel_event_logon_redirect',
  'cookie-set': 'panel_event_cookie_set',
  'cookie-cleared': 'panel_event_cookie_cleared',
  'sign-in-started': 'panel_event_sign_in_started',
  'sign-in-succeeded': 'panel_event_sign_in_succeeded',
  'sign-in-failed': 'panel_event_sign_in_failed',
  'session-expired': 'panel_event_session_expired',
};

const FAILURE_LABEL: Record<SignInFailure, MessageKey> = {
  rejected: 'panel_failure_rejected',
  blocked: 'panel_failure_blocked',
  error: 'panel_failure_error',
  'no-form': 'panel_failure_no_form',
  'gave-up': 'panel_failure_gave_up',
};

/** Where the events come from: the tab's traffic, and the watcher when it watches this origin. */
export type WatcherState = 'watching' | 'not-watching' | 'unavailable';

const SOURCE_NOTE: Record<WatcherState, MessageKey> = {
  watching: 'panel_timeline_sources_both',
  'not-watching': 'panel_timeline_not_watched',
  unavailable: 'panel_timeline_sources_page',
};

interface TimelineProps {
  origin: string | undefined;
  events: readonly TimelineEvent[];
  watcher: WatcherState;
}

export function Timeline({ origin, events, watcher }: TimelineProps) {
  return (
    <aside class="timeline" aria-label={t('panel_timeline')}>
      <h2>{t('panel_timeline')}</h2>
      <p class="muted origin" title={origin}>
        {origin ?? t('panel_origin_unknown')}
      </p>
      {events.length === 0 ? (
        <p class="empty">{t('panel_timeline_empty')}</p>
      ) : (
        <ol class="events">
          {events.map((event) => (
            <li class={`event ${event.kind}${isAlarming(event) ? ' alarming' : ''}`} data-kind={event.kind}>
              <time dateTime={new Date(event.at).toISOString()}>{formatTime(event.at)}</time>
              <span class="event-kind">{t(KIND_LABEL[event.kind])}</span>
              {event.reason !== undefined && <span class="event-reason">{t(reasonKey(event.reason) as MessageKey, event.reason)}</span>}
              {event.failure && <span class="event-reason">{t(FAILURE_LABEL[event.failure])}</span>}
              {event.detail && (
                <span class="event-detail" title={event.detail}>
                  {event.detail}
                </span>
              )}
              {event.source === 'extension' && <span class="chip">{t('panel_event_by_extension')}</span>}
            </li>
          ))}
        </ol>
      )}
      <p class="muted source-note">{t(SOURCE_NOTE[watcher])}</p>
    </aside>
  );
}
