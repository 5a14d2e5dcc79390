// Export and import of the settings as a JSON file: watched origins with their settings,
// preferences and the ActiveSync device identity. Never credentials, passphrases, the vault or
// policy keys: the export is built from an allow-list, and the import reads only known fields,
// validates each, and says what it refused. Pure.
import { applyIdentityPatch, type DeviceIdentity } from '../activesync/device-identity';
import type { Prefs } from '../messages/protocol';
import { normalizeOrigin } from '../owa/origin';
import { applySettingsPatch, DEFAULT_SETTINGS, type OriginSettings } from '../owa/settings';
import { isRecord } from '../shared/is-record';

export const EXPORT_FORMAT = 'owa-inspector-settings';
export const EXPORT_VERSION = 1;

export interface SettingsExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  origins: Record<string, OriginSettings>;
  prefs: Prefs;
  activeSync: DeviceIdentity | null;
}

export function buildExport(input: {
  watched: readonly string[];
  settings: Readonly<Record<string, OriginSettings>>;
  pending: Readonly<Record<string, OriginSettings>>;
  prefs: Prefs;
  device: DeviceIdentity | null;
  now: number;
}): SettingsExport {
  const origins: Record<string, OriginSettings> = {};
  for (const [origin, settings] of Object.entries(input.pending)) origins[origin] = { ...DEFAULT_SETTINGS, ...settings };
  for (const origin of input.watched) origins[origin] = { ...DEFAULT_SETTINGS, ...input.settings[origin] };
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(input.now).toISOString(),
    origins,
    prefs: { credentialStorage: input.prefs.credentialStorage },
    activeSync: input.device ? { ...input.device } : null,
  };
}

export interface ParsedImport {
  origins: Record<string, OriginSettings>;
  prefs?: Prefs;
  device?: DeviceIdentity;
  refused: string[];
}

const SECRET_WORDS = /password|passphrase|credential|secret|vault|policykey|token/i;

/** Reads an exported file; `currentDevice` is what the imported identity's fields apply over. */
export function parseImport(json: string, currentDevice: DeviceIdentity): ParsedImport {
  const result: ParsedImport = { origins: {}, refused: [] };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    result.refused.push(`the file is not JSON: ${(error as Error).message}`);
    return result;
  }
  if (!isRecord(data) || data.format !== EXPORT_FORMAT) {
    result.refused.push(`the file is not an OWA Inspector settings export (format "${EXPORT_FORMAT}")`);
    return result;
  }
  if (data.version !== EXPORT_VERSION) {
    result.refused.push(`version ${String(data.version)} is not one this version reads (${EXPORT_VERSION})`);
    return result;
  }
  for (const key of Object.keys(data)) {
    if (['format', 'version', 'exportedAt', 'origins', 'prefs', 'activeSync'].includes(key)) continue;
    result.refused.push(SECRET_WORDS.test(key) ? `${key}: credentials and keys are never imported` : `${key}: not a known part of the settings`);
  }
  if (data.origins !== undefined) {
    if (!isRecord(data.origins)) result.refused.push('origins: must be an object of origin to settings');
    else {
      for (const [input, value] of Object.entries(data.origins)) {
        const origin = normalizeOrigin(input);
        if (!origin) {
          result.refused.push(`${input}: not an http(s) origin`);
          continue;
        }
        if (isRecord(value)) {
          const secrets = Object.keys(value).filter((k) => SECRET_WORDS.test(k));
          if (secrets.length) result.refused.push(`${origin}: ${secrets.join(', ')}: credentials are never imported`);
        }
        const clean = isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_WORDS.test(k))) : value;
        const patched = applySettingsPatch(DEFAULT_SETTINGS, clean);
        if (patched.ok) result.origins[origin] = patched.settings;
        else result.refused.push(`${origin}: ${patched.errors.join('; ')}`);
      }
    }
  }
  if (data.prefs !== undefined) {
    const cs = isRecord(data.prefs) ? data.prefs.credentialStorage : undefined;
    if (cs === 'memory' || cs === 'encrypted') result.prefs = { credentialStorage: cs };
    else result.refused.push('prefs: credentialStorage must be "memory" or "encrypted"');
  }
  if (data.activeSync !== undefined && data.activeSync !== null) {
    const patched = applyIdentityPatch(currentDevice, data.activeSync);
    if (patched.ok) result.device = patched.identity;
    else result.refused.push(`activeSync: ${patched.errors.join('; ')}`);
  }
  return result;
}
