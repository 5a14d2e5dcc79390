// Per-origin settings, validated where they enter (storage and messages are untrusted shapes).
import type { Generation } from './generation';
import { isRecord } from '../shared/is-record';

export type ComputerKind = 'public' | 'private';

/** What to do with the user's tabs after a successful automatic sign-in. */
export type BringBack = 'reload-unless-typing' | 'tell-only';

export interface OriginSettings {
  /** Public or private computer: decides which timeout applies and the logon form's flags. */
  computer: ComputerKind;
  /** The server's public-computer timeout (PublicTimeout) in minutes, when the admin changed it; null uses Exchange's default. */
  publicTimeoutMinutes: number | null;
  /** The server's private-computer timeout (PrivateTimeout) in minutes; null uses Exchange's default. */
  privateTimeoutMinutes: number | null;
  /** Opt-in: sign in again by itself after a timeout. */
  autoRelogin: boolean;
  /** Use the timeout learned from the server's own ends (two that agree) where none is set. */
  learnTimeout: boolean;
  /** Warn this many minutes before the earliest estimated expiry (0 = never). */
  warnMinutes: number;
  /** Show a desktop notification with the warning (needs the optional permission). */
  notify: boolean;
  bringBack: BringBack;
}

export const DEFAULT_SETTINGS: Readonly<OriginSettings> = {
  computer: 'public',
  publicTimeoutMinutes: null,
  privateTimeoutMinutes: null,
  autoRelogin: false,
  learnTimeout: true,
  warnMinutes: 2,
  notify: false,
  bringBack: 'reload-unless-typing',
};

/** Exchange's own defaults: PublicTimeout 15 min, PrivateTimeout 480 min (2003: 24 h private). */
export function defaultTimeoutMinutes(computer: ComputerKind, generation: Generation): number {
  if (computer === 'public') return 15;
  return generation === '2003' ? 1440 : 480;
}

/** The field holding the timeout of one computer kind. */
export function timeoutField(computer: ComputerKind): 'publicTimeoutMinutes' | 'privateTimeoutMinutes' {
  return computer === 'public' ? 'publicTimeoutMinutes' : 'privateTimeoutMinutes';
}

/** Exchange accepts 1–43200 minutes for its timeouts. */
export const MIN_TIMEOUT = 1;
export const MAX_TIMEOUT = 43_200;

/** `computer` first, so that the legacy `timeoutMinutes` lands on the computer kind the same patch chose. */
function ordered(patch: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(patch).sort(([a], [b]) => Number(b === 'computer') - Number(a === 'computer'));
}

function isTimeout(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isInteger(value) && value >= MIN_TIMEOUT && value <= MAX_TIMEOUT);
}

/**
 * Applies the fields of `patch` that are valid to `base`. Returns the errors for the rest, so a
 * message with one bad field changes nothing. `timeoutMinutes` (the field's name before public
 * and private were kept apart) sets the timeout of the computer kind in use.
 */
export function applySettingsPatch(base: OriginSettings, patch: unknown): { ok: true; settings: OriginSettings } | { ok: false; errors: string[] } {
  if (!isRecord(patch)) return { ok: false, errors: ['settings must be an object'] };
  const next: OriginSettings = { ...base };
  const errors: string[] = [];
  for (const [key, value] of ordered(patch)) {
    switch (key) {
      case 'computer':
        if (value === 'public' || value === 'private') next.computer = value;
        else errors.push('computer must be "public" or "private"');
        break;
      case 'timeoutMinutes':
      case 'publicTimeoutMinutes':
      case 'privateTimeoutMinutes':
        if (isTimeout(value)) next[key === 'timeoutMinutes' ? timeoutField(next.computer) : key] = value;
        else errors.push(`${key} must be null or a whole number from ${MIN_TIMEOUT} to ${MAX_TIMEOUT}`);
        break;
      case 'autoRelogin':
      case 'learnTimeout':
      case 'notify':
        if (typeof value === 'boolean') next[key] = value;
        else errors.push(`${key} must be true or false`);
        break;
      case 'warnMinutes':
        if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 120) next.warnMinutes = value;
        else errors.push('warnMinutes must be a whole number from 0 to 120');
        break;
      case 'bringBack':
        if (value === 'reload-unless-typing' || value === 'tell-only') next.bringBack = value;
        else errors.push('bringBack must be "reload-unless-typing" or "tell-only"');
        break;
      default:
        errors.push(`unknown setting ${key}`);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings: next };
}

/** Settings read back from storage: anything unreadable falls back to the defaults. */
export function readSettings(stored: unknown): OriginSettings {
  if (!isRecord(stored)) return { ...DEFAULT_SETTINGS };
  const result: OriginSettings = { ...DEFAULT_SETTINGS };
  for (const [key, value] of ordered(stored)) {
    const one = applySettingsPatch(result, { [key]: value });
    if (one.ok) Object.assign(result, one.settings);
  }
  return result;
}
