// Subscriptions to what the worker pushes, as Preact hooks. Pages never compute session state:
// they show what arrives here. The ports are opened in layout effects, right after the first
// render, not a frame later: the worker's first reply is most of what the popup waits for.
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { EasRunView, TimelineEvent } from '../../messages/protocol';
import type { Connector, SessionsUpdate, SettingsUpdate } from '../connect/connector';

/** null until the worker's first push: the page can tell "loading" from "nothing watched". */
export function useSessions(connector: Connector): SessionsUpdate | null {
  const [update, setUpdate] = useState<SessionsUpdate | null>(null);
  useLayoutEffect(() => connector.subscribeSessions(setUpdate), [connector]);
  return update;
}

export function useSettings(connector: Connector): SettingsUpdate | null {
  const [update, setUpdate] = useState<SettingsUpdate | null>(null);
  useLayoutEffect(() => connector.subscribeSettings(setUpdate), [connector]);
  return update;
}

export function useEasRuns(connector: Connector): EasRunView[] {
  const [runs, setRuns] = useState<EasRunView[]>([]);
  useLayoutEffect(() => connector.subscribeEas(setRuns), [connector]);
  return runs;
}

export function useTimeline(connector: Connector, origin: string | null): TimelineEvent[] {
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  useEffect(() => (origin ? connector.subscribeTimeline(origin, setEvents) : undefined), [connector, origin]);
  return events;
}

/** The clock, ticking every `ms` while mounted: only for counting down what the worker estimated. */
export function useNow(ms = 1000, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), ms);
    return () => clearInterval(timer);
  }, [ms, clock]);
  return now;
}
