// The page side of the protocol, with the extension APIs passed in so it is unit-tested
// without a browser (and so UIs can run against a mock).
import { SESSIONS_PORT, type BgResponse, type SessionView, type UiMessage } from '../../messages/protocol';
import { hostPermissionPattern, normalizeOrigin } from '../../owa/origin';

export interface PortLike {
  onMessage: { addListener(listener: (message: unknown) => void): void };
  disconnect(): void;
}

export interface ConnectorDeps {
  send(message: UiMessage): Promise<BgResponse>;
  /** permissions.request: must run in a user gesture (a click handler). */
  requestOrigins(origins: string[]): Promise<boolean>;
  requestPermissions(permissions: string[]): Promise<boolean>;
  connect(name: string): PortLike;
}

export type SessionsUpdate = { sessions: SessionView[]; vault: 'none' | 'locked' | 'unlocked' };

export interface Connector {
  /** Asks for the host permission of exactly this origin, then starts watching it. */
  watchOrigin(input: string): Promise<BgResponse>;
  send(message: UiMessage): Promise<BgResponse>;
  /** Turns expiry warnings on (asking for the optional notifications permission in the click) or off. */
  setNotify(origin: string, on: boolean): Promise<BgResponse>;
  /** Pushes the session views now and on every change; returns the unsubscribe. */
  subscribeSessions(listener: (update: SessionsUpdate) => void): () => void;
}

export function createConnector(deps: ConnectorDeps): Connector {
  return {
    async watchOrigin(input) {
      const origin = normalizeOrigin(input.includes('://') ? input : `https://${input}`);
      if (!origin) return { type: 'bg-ui-error', error: 'enter an address such as https://mail.example.com' };
      // Called first, synchronously in the click: browsers drop requests made after an await.
      const granted = await deps.requestOrigins([hostPermissionPattern(origin)]);
      if (!granted) return { type: 'bg-ui-error', error: `access to ${origin} was not granted` };
      return deps.send({ type: 'ui-bg-watch-origin', origin });
    },
    send: deps.send,
    async setNotify(origin, on) {
      if (on && !(await deps.requestPermissions(['notifications']))) return { type: 'bg-ui-error', error: 'notifications were not allowed' };
      return deps.send({ type: 'ui-bg-set-settings', origin, settings: { notify: on } });
    },
    subscribeSessions(listener) {
      const port = deps.connect(SESSIONS_PORT);
      port.onMessage.addListener((message) => {
        const m = message as BgResponse;
        if (m?.type === 'bg-ui-sessions') listener({ sessions: m.sessions, vault: m.vault });
      });
      return () => port.disconnect();
    },
  };
}
