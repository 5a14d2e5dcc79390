// The one typed message protocol between the background and the extension's pages, and
// between the background and its content script. Names say the direction: `ui-bg-*` from a
// page to the background, `bg-ui-*` back; `bg-cs-*` to the content script, `cs-bg-*` back.
// Every message is validated where it arrives (`parseUiMessage`, `parseCsMessage`).
// Credentials travel only ui -> bg (set-credentials) and are never sent back or to content
// scripts: no `bg-*` type has a password field.
import type { SessionStatus, SignInFailure } from '../owa/session-model';
import type { Generation } from '../owa/generation';
import type { FormsUnavailableKind } from '../owa/detection';
import type { OriginSettings } from '../owa/settings';

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
  settings: OriginSettings;
  credentials: CredentialStatus;
  /** The username (not secret) so a page can show whose credentials are stored. */
  username: string | null;
  /** Whether the extension still holds the host permission for this origin. */
  hostPermission: boolean;
}

export type UiMessage =
  | { type: 'ui-bg-ping' }
  | { type: 'ui-bg-get-sessions' }
  /** Start watching; the page must have obtained the host permission first (user gesture). */
  | { type: 'ui-bg-watch-origin'; origin: string }
  | { type: 'ui-bg-unwatch-origin'; origin: string }
  | { type: 'ui-bg-set-settings'; origin: string; settings: Partial<OriginSettings> }
  /** `remember` stores them encrypted with the vault passphrase (required the first time). */
  | { type: 'ui-bg-set-credentials'; origin: string; username: string; password: string; remember: boolean; passphrase?: string }
  | { type: 'ui-bg-forget-credentials'; origin: string }
  | { type: 'ui-bg-unlock'; passphrase: string }
  | { type: 'ui-bg-relogin-now'; origin: string };

export type BgResponse =
  | { type: 'bg-ui-pong'; version: string }
  | { type: 'bg-ui-sessions'; sessions: SessionView[]; vault: 'none' | 'locked' | 'unlocked' }
  | { type: 'bg-ui-ok' }
  | { type: 'bg-ui-error'; error: string };

/** Name of the port a page opens to get `bg-ui-sessions` pushed on every change. */
export const SESSIONS_PORT = 'bg-ui-sessions';

/** Messages to the content script on watched OWA pages. */
export type BgCsMessage =
  | { type: 'bg-cs-query-unsaved' }
  | { type: 'bg-cs-show-banner'; text: string };

export type CsBgResponse = { type: 'cs-bg-unsaved'; unsaved: boolean } | { type: 'cs-bg-ok' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length <= max;

/** Validates a message from a page. Returns null for anything that is not a well-formed UiMessage. */
export function parseUiMessage(value: unknown): UiMessage | null {
  if (!isRecord(value) || typeof value.type !== 'string') return null;
  switch (value.type) {
    case 'ui-bg-ping':
    case 'ui-bg-get-sessions':
      return { type: value.type };
    case 'ui-bg-watch-origin':
    case 'ui-bg-unwatch-origin':
    case 'ui-bg-forget-credentials':
    case 'ui-bg-relogin-now':
      return str(value.origin) ? { type: value.type, origin: value.origin } : null;
    case 'ui-bg-set-settings':
      return str(value.origin) && isRecord(value.settings)
        ? { type: value.type, origin: value.origin, settings: value.settings as Partial<OriginSettings> }
        : null;
    case 'ui-bg-set-credentials': {
      const { origin, username, password, remember, passphrase } = value;
      if (!str(origin) || !str(username, 512) || !str(password, 1024) || typeof remember !== 'boolean') return null;
      if (passphrase !== undefined && !str(passphrase, 1024)) return null;
      return { type: value.type, origin, username, password, remember, ...(passphrase !== undefined ? { passphrase } : {}) };
    }
    case 'ui-bg-unlock':
      return str(value.passphrase, 1024) ? { type: value.type, passphrase: value.passphrase } : null;
    default:
      return null;
  }
}

export function isUiMessage(value: unknown): value is UiMessage {
  return parseUiMessage(value) !== null;
}

export function parseCsMessage(value: unknown): BgCsMessage | null {
  if (!isRecord(value)) return null;
  if (value.type === 'bg-cs-query-unsaved') return { type: value.type };
  if (value.type === 'bg-cs-show-banner' && str(value.text, 500)) return { type: value.type, text: value.text };
  return null;
}
