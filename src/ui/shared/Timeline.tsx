// One origin's session timeline, newest first: what the browser showed and what the extension
// did. Subscribes only while shown (the popup opens no port it does not need).
import type { TimelineEvent } from '../../messages/protocol';
import type { Connector } from '../connect/connector';
import { timeOfDay } from './format';
import { useTimeline } from './hooks';
import { say, t } from './i18n';
import { TIMELINE_KEYS } from './labels';

export function TimelineList({ events, now, limit = 50 }: { events: readonly TimelineEvent[]; now: number; limit?: number }) {
  if (!events.length) return <p class="hint">{t('common_timeline_empty')}</p>;
  return (
    <ol class="timeline" reversed>
      {[...events]
        .reverse()
        .slice(0, limit)
        .map((event, i) => (
          <li key={`${event.at}-${i}`} data-kind={event.kind}>
            <time dateTime={new Date(event.at).toISOString()}>{timeOfDay(event.at, now)}</time> <strong>{t(TIMELINE_KEYS[event.kind])}</strong>
            {event.detail && <span class="detail"> {say(event.detail)}</span>}
            {event.url && (
              <span class="url" title={event.url}>
                {' '}
                {new URL(event.url).pathname}
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
