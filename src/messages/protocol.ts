// The one typed message protocol between the background and the extension's pages, and
// between the background and its content script. Names say the direction: `ui-bg-*` from a
// page to the background, `bg-ui-*` back; `bg-cs-*` to the content script, `cs-bg-*` back.
// Every message is validated where it arrives (`parseUiMessage` in background/message-table.ts,
// `parseCsMessage` here).
// Credentials travel only ui -> bg (set-credentials, and the ActiveSync password of one run) and
// are never sent back or to content scripts: no `bg-*` type has a password field.
import type { SessionStatus, SignInFailure } from '../owa/session-model';
import type { Generation } from '../owa/generation';
import type { FormsUnavailableKind } from '../owa/detection';
import type { TimeoutSource } from '../owa/timeout-learning';
import type { ComputerKind, OriginSettings } from '../owa/settings';
import type { DeviceIdentity } from '../activesync/device-identity';
import type { ServerOptions } from '../activesync/options';
import type { ParsedPolicy } from '../activesync/policy-settings';
import type { TraceStep } from '../activesync/trace';
import type { Words } from '../shared/words';
import { isRecord } from '../shared/is-record';

/** What a page may know about an origin's credentials: never the password itself. */
export type CredentialStatus =
  | 'none'
  /** In memory for this browser session only. */
  | 'session'
  /** Stored encrypted; the vault is unlocked for this browser session. */
  | 'remembered'
  /** Stored encrypted; needs the passphrase once ("unlock"). */
  | 'locked';

export interface SessionView {
  origin: string;
  status: SessionStatus;
  generation: Generation;
  formsUnavailable: FormsUnavailableKind | null;
  failure: SignInFailure | null;
  lastReason: number | null;
  lastActivity: number | null;
  /** OWA session cookies present now (names only, lower case), as seen by the cookies API. */
  cookies: string[];
  /** The honest expiry window (ms since the epoch), when a session is live. */
  expiry: { earliest: number; latest: number } | null;
  timeoutMinutes: number;
  /** The kind of session T is for: as the last sign-in posted it (a hidden flags=4 makes it private), else the setting's. */
  timeoutComputer: ComputerKind;
  /** Where T comes from: Exchange's default, set by you, or learned from the server's own ends. */
  timeoutSource: TimeoutSource;
  /** How many of the server's ends agree with what was learned. */
  timeoutObservations: number;
  /** The timeout the server's ends point to, when it disagrees with the one in effect (one click uses it). */
  suggestedTimeoutMinutes: number | null;
  settings: OriginSettings;
  credentials: CredentialStatus;
  /** The username (not secret) so a page can show whose credentials are stored. */
  username: string | null;
  /** Whether the extension still holds the host permission for this origin. */
  hostPermission: boolean;
  /** When the server last said the session had timed out: HTTP 440, or a logon redirect with reason=3. */
  last440: number | null;
  /** The last automatic sign-in (ours, not one made by hand) and how it ended. */
  lastSignIn: LastSignIn | null;
}

export type SignInOutcome = 'running' | 'success' | 'rejected' | 'blocked' | 'forms-unavailable' | 'unsafe-redirect' | 'error';

export interface LastSignIn {
  at: number;
  outcome: SignInOutcome;
  /** Words to be: "attempt 1", "the password was refused", "logon page unreachable: …". */
  detail: Words;
}

/**
 * One thing that happened to a watched origin's session, for the timeline (popup, DevTools
 * panel). Kept per origin in storage.session, the last TIMELINE_LIMIT of them. Never holds a
 * cookie value, a password or a username.
 */
export interface TimelineEvent {
  at: number;
  kind: TimelineKind;
  /**
   * Words to be (a message of _locales and its substitutions), worded by the page that shows
   * them; for cookie-set / cookie-cleared the cookie's name is the substitution. An entry stored
   * by an earlier version, in English, reads back as `literal` text.
   */
  detail?: Words;
  /** The request that showed it, when there was one. */
  url?: string;
  /** A logon redirect's `reason=` (its words are in `detail`), so a page can tell a timeout from a sign-out. */
  reason?: number;
}

export type TimelineKind =
  | '440'
  | 'logon-redirect'
  /** The user posted the logon form (signing in by hand). */
  | 'logon-post'
  | 'cookie-set'
  | 'cookie-cleared'
  | 'sign-in-started'
  /** The user's "Sign in now": a sign-in by hand, through the extension. */
  | 'sign-in-requested'
  | 'sign-in-succeeded'
  | 'sign-in-failed'
  | 'logoff'
  | 'forms-unavailable'
  /** Our estimate says the session has passed its latest possible end. */
  | 'expired-estimate';

export const TIMELINE_LIMIT = 200;

/** Global preferences (IndexedDB), exported with the settings. */
export interface Prefs {
  /** What "remember on this device" starts as: memory only (this browser session) or encrypted at rest. */
  credentialStorage: 'memory' | 'encrypted';
}

export type EasRunKind = 'options' | 'provision' | 'send';

export type EasRunState =
  | 'running'
  /** Phase 1 done; the password is held in the worker's memory until the acknowledgement (or 10 min). */
  | 'awaiting-ack'
  | 'done'
  | 'failed'
  /** The server asked for a remote wipe: stopped, never acknowledged. */
  | 'remote-wipe'
  /** The worker stopped during the run: the password it held is gone. */
  | 'interrupted';

/** One ActiveSync run as pages see it: never the password (traces show `Basic [redacted]`). */
export interface EasRunView {
  id: string;
  kind: EasRunKind;
  /** The ActiveSync endpoint URL. */
  server: string;
  user: string;
  deviceId: string;
  deviceType: string;
  protocolVersion: string;
  startedAt: number;
  finishedAt: number | null;
  state: EasRunState;
  /** Each HTTP exchange with its notes (status meanings); bodies as XML or text, raw bytes left out. */
  steps: TraceStep[];
  options?: ServerOptions;
  policy?: ParsedPolicy;
  temporaryKey?: string;
  finalKey?: string;
  remoteWipe?: 'device' | 'account';
  command?: { command: string; httpStatus: number; status?: number; statusMeaning?: string; policyKey: string; reprovisioned: boolean };
  error?: {
    kind: string;
    message: string;
    step?: string;
    httpStatus?: number;
    status?: number;
    /** Where the server moved the mailbox ('redirect-other-origin'): shown as text, never followed. */
    location?: string;
  };
}

/** What a page sends to run ActiveSync: the password goes to the worker for this run only. */
export interface EasRunRequest {
  /** As typed: a host, an origin, or the full …/Microsoft-Server-ActiveSync URL. */
  server: string;
  user: string;
  password: string;
  protocolVersion: string;
  /** Overrides of the stored device identity for this run. */
  device?: Partial<Omit<DeviceIdentity, 'protocolVersion'>>;
  /**
   * Keep the host permission asked for this run once it has ended (remembered for the host).
   * Without it the worker gives the permission back, unless the session watcher needs it.
   */
  keepHost?: boolean;
  /**
   * The page is asking for the host permission at the same time (in the user's click): wait
   * for the grant instead of refusing. In Chromium the prompt closes the popup, so the page
   * that asked may never send anything after it.
   */
  awaitGrant?: boolean;
}

/** The raw bodies of one step of a run (`steps[step]` of its EasRunView), base64; headers stay in the run. */
export interface EasStepBodies {
  runId: string;
  step: number;
  request?: string;
  response?: string;
}

export interface ImportReport {
  /** What was applied, in plain words ("https://mail.example.com: settings"). */
  applied: string[];
  /** What was refused and why. */
  refused: string[];
  /** Origins whose settings were kept until their host permission is granted (Grant and watch). */
  needsPermission: string[];
}

/** A change of an origin's settings; `timeoutMinutes` (older pages) sets the timeout of the computer kind in use. */
export type SettingsPatch = Partial<OriginSettings> & { timeoutMinutes?: number | null };

export type UiMessage =
  | { type: 'ui-bg-ping' }
  | { type: 'ui-bg-get-sessions' }
  /** Start watching; the page must have obtained the host permission first (user gesture). */
  | { type: 'ui-bg-watch-origin'; origin: string; awaitGrant?: boolean }
  | { type: 'ui-bg-unwatch-origin'; origin: string }
  | { type: 'ui-bg-set-settings'; origin: string; settings: SettingsPatch }
  /** `remember` stores them encrypted with the vault passphrase (required the first time). */
  | { type: 'ui-bg-set-credentials'; origin: string; username: string; password: string; remember: boolean; passphrase?: string }
  | { type: 'ui-bg-forget-credentials'; origin: string }
  | { type: 'ui-bg-unlock'; passphrase: string }
  | { type: 'ui-bg-relogin-now'; origin: string }
  /** Answered with bg-ui-timeline; on the TIMELINE_PORT it also subscribes that port to the origin. */
  | { type: 'ui-bg-get-timeline'; origin: string }
  | { type: 'ui-bg-set-prefs'; prefs: Partial<Prefs> }
  | { type: 'ui-bg-set-device'; device: Partial<DeviceIdentity> }
  /** A fresh random DeviceId (servers then see a new device). */
  | { type: 'ui-bg-new-device-id' }
  /** Settings as JSON: never credentials, passphrases or policy keys. */
  | { type: 'ui-bg-export-settings' }
  | { type: 'ui-bg-import-settings'; json: string }
  /** OPTIONS; with user and password when given (some servers answer only then). */
  | { type: 'ui-bg-eas-options'; server: string; user?: string; password?: string; device?: EasRunRequest['device']; keepHost?: boolean; awaitGrant?: boolean }
  /** Provision phase 1, then the acknowledgement unless `acknowledge` is false. A wipe is never acknowledged. */
  | ({ type: 'ui-bg-eas-provision'; acknowledge: boolean } & EasRunRequest)
  /** Acknowledges a run left in 'awaiting-ack'. */
  | { type: 'ui-bg-eas-acknowledge'; runId: string }
  /** A command with the stored policy key (FolderSync by default), provisioning once if the server demands it. */
  | ({ type: 'ui-bg-eas-send'; command: string } & EasRunRequest)
  /** The raw bodies of the kept runs' steps, while the worker still holds them (memory only). */
  | { type: 'ui-bg-eas-bodies' };

export type BgResponse =
  | { type: 'bg-ui-pong'; version: string }
  | { type: 'bg-ui-sessions'; sessions: SessionView[]; vault: 'none' | 'locked' | 'unlocked' }
  | { type: 'bg-ui-ok' }
  /** What went wrong, as words the page shows (a server's or an exception's own text as a `literal`). */
  | { type: 'bg-ui-error'; error: Words }
  | { type: 'bg-ui-timeline'; origin: string; events: TimelineEvent[] }
  /** Pushed on SETTINGS_PORT. `pending`: imported origins waiting for their host permission. */
  | { type: 'bg-ui-settings'; device: DeviceIdentity; prefs: Prefs; pending: string[] }
  /** Pushed on EAS_PORT: the runs kept in storage.session, newest first. */
  | { type: 'bg-ui-eas'; runs: EasRunView[] }
  /** The answer to an ActiveSync run message, once the run has ended (or awaits its acknowledgement). */
  | { type: 'bg-ui-eas-run'; run: EasRunView }
  /** Answers ui-bg-eas-bodies: base64 bodies by run and step index; none after a worker restart. */
  | { type: 'bg-ui-eas-bodies'; bodies: EasStepBodies[] }
  | { type: 'bg-ui-export'; json: string; filename: string }
  | { type: 'bg-ui-import'; report: ImportReport };

/**
 * Sent by the background to every extension page once it has started (again): the ports pages
 * keep to it close when it stops (Firefox stops an idle event page after 30 s even while pages
 * hold ports; Chrome its service worker likewise), so pages then connect again. Carries nothing.
 */
export const BG_STARTED = 'bg-ui-started';

export function isBackgroundStarted(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === BG_STARTED;
}

/** Name of the port a page opens to get `bg-ui-sessions` pushed on every change. */
export const SESSIONS_PORT = 'bg-ui-sessions';
/** `bg-ui-settings` on every change of the device identity, preferences or pending imports. */
export const SETTINGS_PORT = 'bg-ui-settings';
/** `bg-ui-eas` on every step of every ActiveSync run. */
export const EAS_PORT = 'bg-ui-eas';
/**
 * The session timeline of one origin: the page posts `{ type: 'ui-bg-get-timeline', origin }`
 * on the port (again to switch origin) and gets `bg-ui-timeline` now and on every new event.
 */
export const TIMELINE_PORT = 'bg-ui-timeline';

/** Messages to the content script on watched OWA pages. */
export type BgCsMessage = { type: 'bg-cs-query-unsaved' } | { type: 'bg-cs-show-banner'; text: string };

export type CsBgResponse = { type: 'cs-bg-unsaved'; unsaved: boolean } | { type: 'cs-bg-ok' };

const str = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length <= max;

export type EasMessage = Extract<UiMessage, { type: 'ui-bg-eas-options' | 'ui-bg-eas-provision' | 'ui-bg-eas-acknowledge' | 'ui-bg-eas-send' }>;

export function parseCsMessage(value: unknown): BgCsMessage | null {
  if (!isRecord(value)) return null;
  if (value.type === 'bg-cs-query-unsaved') return { type: value.type };
  if (value.type === 'bg-cs-show-banner' && str(value.text, 500)) return { type: value.type, text: value.text };
  return null;
}
