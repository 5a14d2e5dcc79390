// What the background's parts are given: every browser API as a dependency (index.ts passes the
// real ones, browser-deps.ts; tests pass fakes), and the shapes they pass around.
import type { DeviceIdentity } from '../activesync/device-identity';
import type { CryptoDeps } from '../owa/credentials';
import type { SessionEvent } from '../owa/session-model';
import type { Wording } from '../shared/words';
import type { Badge } from './badge';
import type { SignInDeps } from './sign-in';
import type { State, Store } from './store';
import type { TimelineLog } from './timeline';

/** How long an action asked for with the permission prompt waits for the user's answer. */
export const GRANT_WAIT_MS = 120_000;

export interface TabInfo {
  id: number;
  url: string;
}

export interface BackgroundDeps {
  now(): number;
  store: Store;
  signIn: SignInDeps;
  crypto: CryptoDeps;
  tabs: {
    ofOrigin(origin: string): Promise<TabInfo[]>;
    get(tabId: number): Promise<TabInfo | null>;
    /** Asks the page's content script; null when it could not be asked. */
    hasUnsavedInput(tabId: number): Promise<boolean | null>;
    showBanner(tabId: number, text: string): Promise<boolean>;
    reload(tabId: number): Promise<void>;
    navigate(tabId: number, url: string): Promise<void>;
  };
  alarms: {
    set(name: string, when: number): void;
    /** Creates the alarm only when none of that name is pending (a busy page must not keep pushing it back). */
    ensure(name: string, when: number): void;
    clear(name: string): void;
  };
  ui: { badge(badge: Badge): void; notify(origin: string, message: string): Promise<void> };
  permissions: {
    hasOrigin(origin: string): Promise<boolean>;
    /** Resolves true once the origin's host permission is granted, false after `ms`. */
    waitForOrigin(origin: string, ms: number): Promise<boolean>;
    /** Gives the host permission back (unwatching leaves the extension no broader than needed). */
    release(origin: string): Promise<void>;
  };
  contentScripts: { sync(origins: readonly string[]): Promise<void> };
  /**
   * When a request of the origin was last answered normally (not a 440, not a logon page): the
   * session was alive then. Null when unknown (none seen since the worker started).
   */
  lastAnswered(origin: string): number | null;
  /** The per-origin session timeline (storage.session). */
  timeline: TimelineLog;
  log(message: string): void;
  /**
   * A message of _locales with its substitutions, for what the worker shows itself
   * (notifications, the draft banner, the badge's title): `browser.i18n.getMessage`; tests read
   * the English file. What pages show is sent as words (`Words`) and worded there.
   */
  words: Wording;
}

/** What the settings port pushes. */
export interface SettingsView {
  device: DeviceIdentity;
  prefs: State['prefs'];
  pending: string[];
}

/** What a browser event told us about one watched origin. */
export interface Observation {
  origin: string;
  event: SessionEvent;
  /** The tab the request came from (-1 for none). */
  tabId: number;
  /** The request that showed it (for the timeline), when there was one. */
  url?: string;
}
