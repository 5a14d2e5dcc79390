// The OWA session timeline of the inspected origin, beside the traffic.
import { t, type MessageKey } from '../i18n';
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
};

interface TimelineProps {
  origin: string | undefined;
  events: readonly TimelineEvent[];
  /** Whether the background's session watcher feeds events too. */
  watcher: 'connected' | 'unavailable';
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
              <span class="event-detail" title={event.detail}>
                {event.detail}
              </span>
              {event.source === 'extension' && <span class="chip">{t('panel_event_by_extension')}</span>}
            </li>
          ))}
        </ol>
      )}
      <p class="muted source-note">{watcher === 'connected' ? t('panel_timeline_sources_both') : t('panel_timeline_sources_page')}</p>
    </aside>
  );
}
