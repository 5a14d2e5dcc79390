import { describe, expect, it } from 'vitest';
import { applyIdentityPatch, DEFAULT_IDENTITY, defaultIdentity, randomDeviceId, readIdentity } from '../../src/activesync/device-identity';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i * 17);

describe('device identity', () => {
  it('a random DeviceId of letters and digits, as the command line makes them', () => {
    expect(randomDeviceId(bytes)).toBe('OWAI0011223344556677');
    expect(defaultIdentity(bytes)).toEqual({ deviceId: 'OWAI0011223344556677', ...DEFAULT_IDENTITY });
  });

  it('validates each field and refuses a patch with any bad one', () => {
    const base = defaultIdentity(bytes);
    expect(applyIdentityPatch(base, { deviceType: 'iPhone', model: ' iPhone15,2 ', protocolVersion: '16.1' })).toEqual({
      ok: true,
      identity: { ...base, deviceType: 'iPhone', model: 'iPhone15,2', protocolVersion: '16.1' },
    });
    const bad = applyIdentityPatch(base, { deviceId: 'x'.repeat(33), os: 'a\nb', protocolVersion: '15.0', imei: '1' });
    expect(bad.ok === false && bad.errors).toHaveLength(4);
  });

  it('reads stored identities field by field; none without a usable DeviceId', () => {
    expect(readIdentity({ deviceId: 'ABC', model: 'M', protocolVersion: 'junk' })).toEqual({ ...DEFAULT_IDENTITY, deviceId: 'ABC', model: 'M' });
    expect(readIdentity({ model: 'M' })).toBeNull();
    expect(readIdentity('x')).toBeNull();
  });
});
