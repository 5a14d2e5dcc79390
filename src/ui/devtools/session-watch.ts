// The panel's subscriptions to the background, through the connector of src/ui/connect: which
// origins OWA Inspector watches (SESSIONS_PORT), and the session timeline the background keeps
// for the inspected origin (TIMELINE_PORT). The panel computes no session state of its own.
import type { Connector } from '../connect/connector';

export type BackgroundSource = Pick<Connector, 'subscribeSessions' | 'subscribeTimeline' | 'subscribeEas' | 'send'>;

/** Calls back with the watched origins now and on every change; returns the unsubscribe. */
export function watchWatchedOrigins(source: BackgroundSource, listener: (origins: ReadonlySet<string>) => void): () => void {
  return source.subscribeSessions(({ sessions }) => listener(new Set(sessions.map((s) => s.origin))));
}
