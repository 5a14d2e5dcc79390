// The page side of the protocol, with the extension APIs passed in so it is unit-tested
// without a browser (and so UIs can run against a mock).
import {
  EAS_PORT,
  SESSIONS_PORT,
  SETTINGS_PORT,
  TIMELINE_PORT,
  type BgResponse,
  type EasMessage,
  type EasRunView,
  type Prefs,
  type SessionView,
  type TimelineEvent,
  type UiMessage,
} from '../../messages/protocol';
import type { DeviceIdentity } from '../../activesync/device-identity';
import { hostPermissionPattern, originFromInput } from '../../owa/origin';
import { msg } from '../../shared/words';

export interface PortLike {
  onMessage: { addListener(listener: (message: unknown) => void): void };
  /** Fires when the background end goes away (not when this end disconnects). */
  onDisconnect?: { addListener(listener: () => void): void };
  postMessage?(message: unknown): void;
  disconnect(): void;
}

export interface ConnectorDeps {
  send(message: UiMessage): Promise<BgResponse>;
  /** permissions.request: must run in a user gesture (a click handler). */
  requestOrigins(origins: string[]): Promise<boolean>;
  requestPermissions(permissions: string[]): Promise<boolean>;
  connect(name: string): PortLike;
  /** The URL of the tab the popup was opened over (activeTab grants it), or null. */
  activeTabUrl(): Promise<string | null>;
  /** Calls back each time the background announces it has started (BG_STARTED). */
  onBackgroundStarted?(listener: () => void): void;
}

export type SessionsUpdate = { sessions: SessionView[]; vault: 'none' | 'locked' | 'unlocked' };
export type SettingsUpdate = { device: DeviceIdentity; prefs: Prefs; pending: string[] };

export interface Connector {
  /** Asks for the host permission of exactly this origin, then starts watching it. */
  watchOrigin(input: string): Promise<BgResponse>;
  send(message: UiMessage): Promise<BgResponse>;
  /** Turns expiry warnings on (asking for the optional notifications permission in the click) or off. */
  setNotify(origin: string, on: boolean): Promise<BgResponse>;
  /** Asks for the ActiveSync server's host permission (in the click), then runs it in the worker. */
  runEas(message: EasMessage): Promise<BgResponse>;
  activeTabUrl(): Promise<string | null>;
  /** Pushes the session views now and on every change; returns the unsubscribe. */
  subscribeSessions(listener: (update: SessionsUpdate) => void): () => void;
  subscribeSettings(listener: (update: SettingsUpdate) => void): () => void;
  /** The ActiveSync runs kept by the worker, newest first, on every step. */
  subscribeEas(listener: (runs: EasRunView[]) => void): () => void;
  /** One origin's session timeline, now and on every new event. */
  subscribeTimeline(origin: string, listener: (events: TimelineEvent[]) => void): () => void;
}

/**
 * The subscriptions whose port the background closed by stopping. They are connected again when
 * the background says it has started (it pushes the current state on every new port), or when
 * the page next talks to it. Not at once on the close: connecting wakes the background, and an
 * open page would then keep restarting an event page that Firefox stops every 30 s of idleness.
 */
class Revivals {
  private readonly dead = new Set<() => void>();

  add(reconnect: () => void): () => void {
    this.dead.add(reconnect);
    return () => this.dead.delete(reconnect);
  }

  reviveAll(): void {
    const all = [...this.dead];
    this.dead.clear();
    for (const reconnect of all) reconnect();
  }
}

function subscribe<T>(deps: ConnectorDeps, revivals: Revivals, name: string, pick: (message: BgResponse) => T | undefined, listener: (value: T) => void, first?: UiMessage): () => void {
  let stopped = false;
  let forget: () => void = () => undefined;
  let port: PortLike;
  const open = () => {
    const current = deps.connect(name);
    port = current;
    current.onMessage.addListener((message) => {
      const value = pick(message as BgResponse);
      if (value !== undefined) listener(value);
    });
    current.onDisconnect?.addListener(() => {
      if (!stopped && port === current) forget = revivals.add(open);
    });
    if (first) current.postMessage?.(first);
  };
  open();
  return () => {
    stopped = true;
    forget();
    try {
      port.disconnect();
    } catch {
      // Already closed from the background's end.
    }
  };
}

export function createConnector(deps: ConnectorDeps): Connector {
  const revivals = new Revivals();
  deps.onBackgroundStarted?.(() => revivals.reviveAll());
  // Any answer means a background is there to connect to.
  const send = (message: UiMessage) =>
    deps.send(message).then((reply) => {
      revivals.reviveAll();
      return reply;
    });
  /**
   * An action that needs a host permission: the permission is asked for first, synchronously in
   * the click (browsers drop requests made after an await), and the action is sent at the same
   * moment, marked to wait for the grant. In Chromium the prompt closes the popup, and a popup
   * that waited for the answer before sending would send nothing: the worker carries it out.
   */
  const askThenDo = async (origin: string, message: UiMessage): Promise<BgResponse> => {
    const grant = deps.requestOrigins([hostPermissionPattern(origin)]);
    const reply = send(message);
    if (!(await grant)) return { type: 'bg-ui-error', error: msg('common_error_not_granted', origin) };
    return reply;
  };
  return {
    async watchOrigin(input) {
      const origin = originFromInput(input);
      if (!origin) return { type: 'bg-ui-error', error: msg('common_error_enter_address') };
      return askThenDo(origin, { type: 'ui-bg-watch-origin', origin, awaitGrant: true });
    },
    send,
    async setNotify(origin, on) {
      if (on && !(await deps.requestPermissions(['notifications']))) return { type: 'bg-ui-error', error: msg('common_error_notifications_refused') };
      return send({ type: 'ui-bg-set-settings', origin, settings: { notify: on } });
    },
    async runEas(message) {
      if (message.type !== 'ui-bg-eas-acknowledge') {
        // The origin whose host permission the run needs.
        const origin = originFromInput(message.server);
        if (!origin) return { type: 'bg-ui-error', error: msg('common_error_enter_server') };
        // The worker's requests need the server's host permission; asked for first, in the click.
        return askThenDo(origin, { ...message, awaitGrant: true });
      }
      return send(message);
    },
    activeTabUrl: deps.activeTabUrl,
    subscribeSessions(listener) {
      return subscribe(deps, revivals, SESSIONS_PORT, (m) => (m?.type === 'bg-ui-sessions' ? { sessions: m.sessions, vault: m.vault } : undefined), listener);
    },
    subscribeSettings(listener) {
      return subscribe(deps, revivals, SETTINGS_PORT, (m) => (m?.type === 'bg-ui-settings' ? { device: m.device, prefs: m.prefs, pending: m.pending } : undefined), listener);
    },
    subscribeEas(listener) {
      return subscribe(deps, revivals, EAS_PORT, (m) => (m?.type === 'bg-ui-eas' ? m.runs : undefined), listener);
    },
    subscribeTimeline(origin, listener) {
      return subscribe(deps, revivals, TIMELINE_PORT, (m) => (m?.type === 'bg-ui-timeline' && m.origin === origin ? m.events : undefined), listener, { type: 'ui-bg-get-timeline', origin });
    },
  };
}
