// The OWA session timeline of the inspected origin, beside the traffic. The kinds are worded as
// on the popup's timeline (TIMELINE_KEYS of src/ui/shared/labels.ts); the list is the panel's
// own: oldest first like the request list, with the same millisecond times, in a narrow column.
import { say, t, type MessageKey } from '../../shared/i18n';
import { TIMELINE_KEYS } from '../../shared/labels';
import { formatTime } from '../model/format';
import { isAlarming, type ShownEvent } from '../model/timeline';
import { pathOf, type Repeat } from '../../shared/timeline-rows';
import { RepeatNote } from '../../shared/Timeline';

/** Where the events come from: the background's timeline when it watches this origin, the tab's traffic. */
export type WatcherState = 'watching' | 'not-watching' | 'unavailable';

const SOURCE_NOTE: Record<WatcherState, MessageKey> = {
  watching: 'panel_timeline_sources_both',
  'not-watching': 'panel_timeline_not_watched',
  unavailable: 'panel_timeline_sources_page',
};

interface TimelineProps {
  origin: string | undefined;
  events: ReadonlyArray<ShownEvent & { repeat?: Repeat }>;
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
            <li class={`event${isAlarming(event) ? ' alarming' : ''}`} data-kind={event.kind} data-source={event.source}>
              <time dateTime={new Date(event.at).toISOString()}>{formatTime(event.at)}</time>
              <span class="event-kind">{t(TIMELINE_KEYS[event.kind])}</span>
              {event.detail && <span class="event-detail">{say(event.detail)}</span>}
              {event.repeat && <RepeatNote repeat={event.repeat} from={event.at} />}
              {event.url && (
                <span class="event-url" title={event.url}>
                  {pathOf(event.url)}
                </span>
              )}
              {/* Only worth saying where the background keeps the timeline and missed this one. */}
              {watcher === 'watching' && event.source === 'page' && <span class="chip">{t('panel_event_from_tab')}</span>}
            </li>
          ))}
        </ol>
      )}
      <p class="muted source-note">{t(SOURCE_NOTE[watcher])}</p>
    </aside>
  );
}
