// Every message a page may send the background, as one entry: how it is validated where it
// arrives (`parse`: anything not well-formed is null and gets no answer) and what answers it
// (`handle`). The real onMessage (index.ts) and the tests both go through `answerMessage`.
// A new message is a type in UiMessage (messages/protocol.ts) and an entry here; the mapped
// type below makes a missing entry a compile error.
import type { DeviceIdentity } from '../activesync/device-identity';
import type { BgResponse, EasRunRequest, Prefs, SettingsPatch, UiMessage } from '../messages/protocol';
import { VaultError } from '../owa/credentials';
import { normalizeOrigin } from '../owa/origin';
import { isRecord } from '../shared/is-record';
import { literal } from '../shared/words';
import type { Controller } from './controller';
import type { EasService } from './eas';

export interface MessageContext {
  controller: Controller;
  /** The ActiveSync runs; null where they are not wired (the session tests). */
  eas: Pick<EasService, 'options' | 'provision' | 'acknowledge' | 'send' | 'bodies'> | null;
  /** The extension's version, for the ping. */
  version: string;
}

type MessageOf<T extends UiMessage['type']> = Extract<UiMessage, { type: T }>;

interface Entry<T extends UiMessage['type']> {
  parse(value: Record<string, unknown>): MessageOf<T> | null;
  handle(message: MessageOf<T>, context: MessageContext): Promise<BgResponse> | BgResponse;
}

type MessageTable = { readonly [T in UiMessage['type']]: Entry<T> };

const str = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length <= max;

function origin<T extends 'ui-bg-unwatch-origin' | 'ui-bg-forget-credentials' | 'ui-bg-relogin-now' | 'ui-bg-get-timeline'>(type: T) {
  return (value: Record<string, unknown>) => (str(value.origin) ? ({ type, origin: value.origin } as MessageOf<T>) : null);
}

function bare<T extends 'ui-bg-ping' | 'ui-bg-get-sessions' | 'ui-bg-new-device-id' | 'ui-bg-export-settings'>(type: T) {
  return () => ({ type }) as MessageOf<T>;
}

const flag = (v: unknown): v is boolean | undefined => v === undefined || typeof v === 'boolean';

function runRequest(value: Record<string, unknown>): EasRunRequest | null {
  const { server, user, password, protocolVersion, device, keepHost, awaitGrant } = value;
  if (!str(server) || !str(user, 512) || !str(password, 1024) || !str(protocolVersion, 8)) return null;
  if ((device !== undefined && !isRecord(device)) || !flag(keepHost) || !flag(awaitGrant)) return null;
  return {
    server,
    user,
    password,
    protocolVersion,
    ...(device !== undefined ? { device: device as EasRunRequest['device'] } : {}),
    ...(keepHost !== undefined ? { keepHost } : {}),
    ...(awaitGrant !== undefined ? { awaitGrant } : {}),
  };
}

function easOf(context: MessageContext): NonNullable<MessageContext['eas']> {
  if (!context.eas) throw new Error('ActiveSync runs are not available here');
  return context.eas;
}

export const MESSAGES: MessageTable = {
  'ui-bg-ping': {
    parse: bare('ui-bg-ping'),
    handle: (_m, { version }) => ({ type: 'bg-ui-pong', version }),
  },
  'ui-bg-get-sessions': {
    parse: bare('ui-bg-get-sessions'),
    handle: (_m, { controller }) => ({ type: 'bg-ui-sessions', sessions: controller.views(), vault: controller.feeds.vaultStatus() }),
  },
  'ui-bg-watch-origin': {
    parse: (v) => (str(v.origin) && flag(v.awaitGrant) ? { type: 'ui-bg-watch-origin', origin: v.origin, ...(v.awaitGrant !== undefined ? { awaitGrant: v.awaitGrant } : {}) } : null),
    handle: (m, { controller }) => controller.sites.watch(m.origin, m.awaitGrant === true),
  },
  'ui-bg-unwatch-origin': {
    parse: origin('ui-bg-unwatch-origin'),
    handle: (m, { controller }) => controller.sites.unwatch(m.origin),
  },
  'ui-bg-set-settings': {
    parse: (v) => (str(v.origin) && isRecord(v.settings) ? { type: 'ui-bg-set-settings', origin: v.origin, settings: v.settings as SettingsPatch } : null),
    handle: (m, { controller }) => controller.sites.setSettings(m.origin, m.settings),
  },
  'ui-bg-set-credentials': {
    parse: (v) => {
      const { origin: o, username, password, remember, passphrase } = v;
      if (!str(o) || !str(username, 512) || !str(password, 1024) || typeof remember !== 'boolean') return null;
      if (passphrase !== undefined && !str(passphrase, 1024)) return null;
      return { type: 'ui-bg-set-credentials', origin: o, username, password, remember, ...(passphrase !== undefined ? { passphrase } : {}) };
    },
    handle: (m, { controller }) => controller.sites.setCredentials(m),
  },
  'ui-bg-forget-credentials': {
    parse: origin('ui-bg-forget-credentials'),
    handle: (m, { controller }) => controller.sites.forgetCredentials(m.origin),
  },
  'ui-bg-unlock': {
    parse: (v) => (str(v.passphrase, 1024) ? { type: 'ui-bg-unlock', passphrase: v.passphrase } : null),
    handle: (m, { controller }) => controller.sites.unlock(m.passphrase),
  },
  'ui-bg-relogin-now': {
    parse: origin('ui-bg-relogin-now'),
    handle: (m, { controller }) => controller.sites.reloginNow(m.origin),
  },
  'ui-bg-get-timeline': {
    parse: origin('ui-bg-get-timeline'),
    handle: (m, { controller }) => {
      const o = normalizeOrigin(m.origin) ?? m.origin;
      return { type: 'bg-ui-timeline', origin: o, events: controller.timeline.events(o) };
    },
  },
  'ui-bg-set-prefs': {
    parse: (v) => (isRecord(v.prefs) ? { type: 'ui-bg-set-prefs', prefs: v.prefs as Partial<Prefs> } : null),
    handle: (m, { controller }) => controller.devicePrefs.setPrefs(m.prefs),
  },
  'ui-bg-set-device': {
    parse: (v) => (isRecord(v.device) ? { type: 'ui-bg-set-device', device: v.device as Partial<DeviceIdentity> } : null),
    handle: (m, { controller }) => controller.devicePrefs.setDevice(m.device),
  },
  'ui-bg-new-device-id': {
    parse: bare('ui-bg-new-device-id'),
    handle: (_m, { controller }) => controller.devicePrefs.newDeviceId(),
  },
  'ui-bg-export-settings': {
    parse: bare('ui-bg-export-settings'),
    handle: (_m, { controller }) => controller.devicePrefs.exportSettings(),
  },
  'ui-bg-import-settings': {
    parse: (v) => (str(v.json, 1_000_000) ? { type: 'ui-bg-import-settings', json: v.json } : null),
    handle: (m, { controller }) => controller.devicePrefs.importSettings(m.json),
  },
  // ActiveSync runs: the message (with its password) is not kept once the run has its client.
  'ui-bg-eas-options': {
    parse: (v) => {
      const { server, user, password, device, keepHost, awaitGrant } = v;
      if (!str(server) || (user !== undefined && !str(user, 512)) || (password !== undefined && !str(password, 1024))) return null;
      if ((device !== undefined && !isRecord(device)) || !flag(keepHost) || !flag(awaitGrant)) return null;
      return {
        type: 'ui-bg-eas-options',
        server,
        ...(user !== undefined ? { user } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(device !== undefined ? { device: device as EasRunRequest['device'] } : {}),
        ...(keepHost !== undefined ? { keepHost } : {}),
        ...(awaitGrant !== undefined ? { awaitGrant } : {}),
      };
    },
    handle: (m, context) => easOf(context).options(m),
  },
  'ui-bg-eas-provision': {
    parse: (v) => {
      const run = runRequest(v);
      return run && typeof v.acknowledge === 'boolean' ? { type: 'ui-bg-eas-provision', acknowledge: v.acknowledge, ...run } : null;
    },
    handle: (m, context) => easOf(context).provision(m),
  },
  'ui-bg-eas-acknowledge': {
    parse: (v) => (str(v.runId, 64) ? { type: 'ui-bg-eas-acknowledge', runId: v.runId } : null),
    handle: (m, context) => easOf(context).acknowledge(m.runId),
  },
  'ui-bg-eas-bodies': {
    parse: () => ({ type: 'ui-bg-eas-bodies' }),
    handle: (_m, context) => ({ type: 'bg-ui-eas-bodies', bodies: easOf(context).bodies() }),
  },
  'ui-bg-eas-send': {
    parse: (v) => {
      const run = runRequest(v);
      return run && str(v.command, 64) ? { type: 'ui-bg-eas-send', command: v.command, ...run } : null;
    },
    handle: (m, context) => easOf(context).send(m),
  },
};

function entryOf(type: string): Entry<UiMessage['type']> | undefined {
  return Object.hasOwn(MESSAGES, type) ? (MESSAGES[type as UiMessage['type']] as Entry<UiMessage['type']>) : undefined;
}

/** Validates a message from a page. Returns null for anything that is not a well-formed UiMessage. */
export function parseUiMessage(value: unknown): UiMessage | null {
  if (!isRecord(value) || typeof value.type !== 'string') return null;
  return entryOf(value.type)?.parse(value) ?? null;
}

/** Answers a parsed message; what goes wrong comes back as `bg-ui-error`, never as a throw. */
export async function answerMessage(context: MessageContext, message: UiMessage): Promise<BgResponse> {
  try {
    return await entryOf(message.type)!.handle(message, context);
  } catch (error) {
    const text = error instanceof VaultError ? error.message : error instanceof Error ? error.message : String(error);
    return { type: 'bg-ui-error', error: literal(text) };
  }
}
