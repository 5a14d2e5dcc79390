// One origin's session timeline, in time order as in the DevTools panel (the latest at the
// bottom): what the browser showed and what the extension did, one moment's cookies on one row,
// a burst of the same event as one row with its count. Subscribes only while shown (the popup
// opens no port it does not need).
import type { TimelineEvent } from '../../messages/protocol';
import type { Connector } from '../connect/connector';
import { timeOfDay } from './format';
import { useTimeline } from './hooks';
import { say, t } from './i18n';
import { TIMELINE_KEYS } from './labels';
import { collapseRepeats, groupCookies, pathOf, type Repeat } from './timeline-rows';

/** "×12 in 1 min": how many times a row's event came, and over how long. */
export function RepeatNote({ repeat, from }: { repeat: Repeat; from: number }) {
  const seconds = Math.round((repeat.lastAt - from) / 1000);
  const span = seconds < 60 ? t('common_timeline_seconds', String(seconds)) : t('common_timeline_minutes', String(Math.round(seconds / 60)));
  return <span class="repeat"> {t('common_timeline_repeated', String(repeat.count), span)}</span>;
}

export function TimelineList({ events, now, limit = 50 }: { events: readonly TimelineEvent[]; now: number; limit?: number }) {
  if (!events.length) return <p class="hint">{t('common_timeline_empty')}</p>;
  const rows = collapseRepeats(groupCookies(events)).slice(-limit);
  return (
    <ol class="timeline">
      {rows.map((event, i) => (
        <li key={`${event.at}-${i}`} data-kind={event.kind}>
          <time dateTime={new Date(event.at).toISOString()}>{timeOfDay(event.at, now)}</time> <strong>{t(TIMELINE_KEYS[event.kind])}</strong>
          {event.detail && <span class="detail"> {say(event.detail)}</span>}
          {event.repeat && <RepeatNote repeat={event.repeat} from={event.at} />}
          {event.url && (
            <span class="url" title={event.url}>
              {' '}
              {pathOf(event.url)}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

export function Timeline({ connector, origin, now }: { connector: Connector; origin: string; now: number }) {
  const events = useTimeline(connector, origin);
  return <TimelineList events={events} now={now} />;
}
