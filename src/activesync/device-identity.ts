// The device the extension claims to be when it talks ActiveSync: DeviceId and DeviceType go in
// every request's query, model, friendly name, OS and user agent in Settings:DeviceInformation
// (Provision from 14.1 on). Kept as one validated record so the options page, the popup and an
// imported settings file are all checked the same way. Pure: randomness is passed in.
import { PROTOCOL_VERSIONS, type ProtocolVersion } from './versions';
import { isRecord } from '../shared/is-record';
import { PRODUCT_USER_AGENT } from '../shared/version';

export interface DeviceIdentity {
  /** Up to 32 letters and digits (MS-ASHTTP 2.2.1.1.1.2.3); servers key devices by it. */
  deviceId: string;
  /** Up to 32 letters and digits, e.g. "iPhone", "WindowsMail", "OWAInspector". */
  deviceType: string;
  model: string;
  friendlyName: string;
  os: string;
  userAgent: string;
  /** The version offered first in the popup when the server speaks it. */
  protocolVersion: ProtocolVersion;
}

export const DEFAULT_IDENTITY: Omit<DeviceIdentity, 'deviceId'> = {
  deviceType: 'OWAInspector',
  model: 'OWA Inspector',
  friendlyName: 'OWA Inspector',
  os: 'OWA Inspector',
  userAgent: PRODUCT_USER_AGENT,
  protocolVersion: '14.1',
};

/** "OWAI" and 16 hex digits, as the command line's ids look; random once per installation. */
export function randomDeviceId(randomBytes: (n: number) => Uint8Array): string {
  return `OWAI${Array.from(randomBytes(8), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}

export function defaultIdentity(randomBytes: (n: number) => Uint8Array): DeviceIdentity {
  return { deviceId: randomDeviceId(randomBytes), ...DEFAULT_IDENTITY };
}

const ID = /^[A-Za-z0-9]{1,32}$/;
// Free text goes into WBXML strings and one HTTP header (User-Agent): printable, no control characters.
const TEXT = /^[^\u0000-\u001f\u007f]{0,128}$/;

/**
 * Applies the valid fields of `patch` to `base`; any bad or unknown field refuses the whole
 * patch, with one message per problem.
 */
export function applyIdentityPatch(base: DeviceIdentity, patch: unknown): { ok: true; identity: DeviceIdentity } | { ok: false; errors: string[] } {
  if (!isRecord(patch)) return { ok: false, errors: ['the device identity must be an object'] };
  const next: DeviceIdentity = { ...base };
  const errors: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'deviceId':
      case 'deviceType':
        if (typeof value === 'string' && ID.test(value)) next[key] = value;
        else errors.push(`${key} must be 1 to 32 letters and digits`);
        break;
      case 'model':
      case 'friendlyName':
      case 'os':
      case 'userAgent':
        if (typeof value === 'string' && TEXT.test(value)) next[key] = value.trim();
        else errors.push(`${key} must be text of at most 128 characters, without control characters`);
        break;
      case 'protocolVersion':
        if (typeof value === 'string' && (PROTOCOL_VERSIONS as readonly string[]).includes(value)) next.protocolVersion = value as ProtocolVersion;
        else errors.push(`protocolVersion must be one of ${PROTOCOL_VERSIONS.join(', ')}`);
        break;
      default:
        errors.push(`unknown device identity field ${key}`);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, identity: next };
}

/** An identity read back from storage; null when there is none worth keeping (a new one is made). */
export function readIdentity(stored: unknown): DeviceIdentity | null {
  if (!isRecord(stored) || typeof stored.deviceId !== 'string' || !ID.test(stored.deviceId)) return null;
  let identity: DeviceIdentity = { deviceId: stored.deviceId, ...DEFAULT_IDENTITY };
  for (const [key, value] of Object.entries(stored)) {
    const one = applyIdentityPatch(identity, { [key]: value });
    if (one.ok) identity = one.identity;
  }
  return identity;
}
