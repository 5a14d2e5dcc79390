// The panel's subscription to the background's session watcher (SESSIONS_PORT, through the
// connector of src/ui/connect): each push of SessionViews becomes timeline events.
import type { SessionView } from '../../messages/protocol';
import type { Connector } from '../connect/connector';
import { sessionViewEvents } from './model/session-events';
import type { TimelineEvent } from './model/timeline';

export type SessionSource = Pick<Connector, 'subscribeSessions'>;

export interface SessionWatchHandlers {
  /** New events, of any watched origin. */
  events(events: TimelineEvent[]): void;
  /** The origins the watcher watches now. */
  watched(origins: ReadonlySet<string>): void;
}

export function watchSessionEvents(source: SessionSource, now: () => number, handlers: SessionWatchHandlers): () => void {
  const last = new Map<string, SessionView>();
  return source.subscribeSessions(({ sessions }) => {
    const at = now();
    const events: TimelineEvent[] = [];
    for (const view of sessions) {
      events.push(...sessionViewEvents(last.get(view.origin), view, at));
      last.set(view.origin, view);
    }
    handlers.watched(new Set(sessions.map((s) => s.origin)));
    if (events.length > 0) handlers.events(events);
  });
}
