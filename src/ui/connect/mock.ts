// A connector with no extension behind it: UIs render against it in component tests (and could
// in a plain page). Tests push state as the worker would and read what the UI sent.
import type { BgResponse, EasRunView, TimelineEvent, UiMessage } from '../../messages/protocol';
import type { Connector, SessionsUpdate, SettingsUpdate } from './connector';

type Listener<T> = (value: T) => void;

export class MockConnector implements Connector {
  readonly sent: UiMessage[] = [];
  readonly watched: string[] = [];
  /** What `send` answers; a test may replace it. */
  reply: (message: UiMessage) => BgResponse = () => ({ type: 'bg-ui-ok' });
  tabUrl: string | null = null;
  private sessions = new Set<Listener<SessionsUpdate>>();
  private settings = new Set<Listener<SettingsUpdate>>();
  private eas = new Set<Listener<EasRunView[]>>();
  private timelines = new Map<string, Set<Listener<TimelineEvent[]>>>();

  async watchOrigin(input: string): Promise<BgResponse> {
    this.watched.push(input);
    return this.send({ type: 'ui-bg-watch-origin', origin: input });
  }

  send = async (message: UiMessage): Promise<BgResponse> => {
    this.sent.push(message);
    return this.reply(message);
  };

  setNotify(origin: string, on: boolean): Promise<BgResponse> {
    return this.send({ type: 'ui-bg-set-settings', origin, settings: { notify: on } });
  }

  runEas(message: Parameters<Connector['runEas']>[0]): Promise<BgResponse> {
    return this.send(message);
  }

  async activeTabUrl(): Promise<string | null> {
    return this.tabUrl;
  }

  subscribeSessions(listener: Listener<SessionsUpdate>) {
    this.sessions.add(listener);
    return () => void this.sessions.delete(listener);
  }

  subscribeSettings(listener: Listener<SettingsUpdate>) {
    this.settings.add(listener);
    return () => void this.settings.delete(listener);
  }

  subscribeEas(listener: Listener<EasRunView[]>) {
    this.eas.add(listener);
    return () => void this.eas.delete(listener);
  }

  subscribeTimeline(origin: string, listener: Listener<TimelineEvent[]>) {
    const set = this.timelines.get(origin) ?? new Set();
    set.add(listener);
    this.timelines.set(origin, set);
    return () => void set.delete(listener);
  }

  pushSessions(update: SessionsUpdate): void {
    for (const l of this.sessions) l(update);
  }

  pushSettings(update: SettingsUpdate): void {
    for (const l of this.settings) l(update);
  }

  pushRuns(runs: EasRunView[]): void {
    for (const l of this.eas) l(runs);
  }

  pushTimeline(origin: string, events: TimelineEvent[]): void {
    for (const l of this.timelines.get(origin) ?? []) l(events);
  }
}
