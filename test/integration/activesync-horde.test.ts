// The ActiveSync client against a real, third-party server: Debian's Horde_ActiveSync under
// `php -S`, with provisioning forced and a policy that sets several values. Each protocol
// version uses its own DeviceId, since Horde fixes a device's version at its first request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActiveSyncClient } from '../../src/activesync/client';
import type { ClientConfig } from '../../src/activesync/connection';
import { failure } from '../activesync/helpers/failure';
import { MemoryKeyStore } from '../../src/activesync/key-store';
import type { EasPolicy } from '../../src/activesync/policy-settings';
import { element as el } from '../../src/wbxml';
import { startHorde, type HordePolicy, type HordeServer } from './horde/server';

/** The policy Horde hands out, in its own keys (Horde_ActiveSync_Policies::POLICY_*). */
const POLICY: HordePolicy = {
  DevicePasswordEnabled: true,
  AlphanumericDevicePasswordRequired: '1',
  MinDevicePasswordLength: '6',
  MaxDevicePasswordFailedAttempts: '8',
  MaxInactivityTimeDeviceLock: '900',
  MaxAttachmentSize: '1048576',
  DeviceEncryptionEnabled: '1',
  AllowCamera: '0',
  AllowBluetooth: '0',
  AllowBrowser: '0',
  RequireDeviceEncryption: '1',
  MaxEmailAgeFilter: '3',
  AllowHTMLEmail: '0',
  RequireSignedSMIMEMessages: '1',
  RequireManualSyncWhenRoaming: '1',
};

/** The same policy as this client types it; Horde always adds AttachmentsEnabled (default 1). */
const EXPECTED: EasPolicy = {
  DevicePasswordEnabled: true,
  AlphanumericDevicePasswordRequired: true,
  MinDevicePasswordLength: 6,
  MaxDevicePasswordFailedAttempts: 8,
  MaxInactivityTimeDeviceLock: 900,
  MaxAttachmentSize: 1048576,
  RequireStorageCardEncryption: true,
  AttachmentsEnabled: true,
  AllowCamera: false,
  AllowBluetooth: 0,
  AllowBrowser: false,
  RequireDeviceEncryption: true,
  MaxEmailAgeFilter: 3,
  AllowHTMLEmail: false,
  RequireSignedSMIMEMessages: true,
  RequireManualSyncWhenRoaming: true,
};

const folderSync = () => el('FolderHierarchy:FolderSync', el('FolderHierarchy:SyncKey', '0'));

let horde: HordeServer;
let legacy: HordeServer;

beforeAll(async () => {
  [horde, legacy] = await Promise.all([
    startHorde({ policy: POLICY, remoteWipe: ['WIPE-PROVISION', 'WIPE-STATUS'] }),
    // Protocol 2.5 can only carry the 12.0-era settings; Horde answers 139 to anything more.
    startHorde({
      policy: { DevicePasswordEnabled: true, MinDevicePasswordLength: '6', MaxDevicePasswordFailedAttempts: '8', MaxInactivityTimeDeviceLock: '15', AlphanumericDevicePasswordRequired: '0' },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([horde?.stop(), legacy?.stop()]);
});

function client(server: HordeServer, deviceId: string, extra: Partial<ClientConfig> = {}) {
  const keyStore = new MemoryKeyStore();
  const c = new ActiveSyncClient({
    url: server.url,
    user: server.user,
    password: server.password,
    deviceId,
    fetch: globalThis.fetch,
    keyStore,
    timeoutMs: 15_000,
    ...extra,
  });
  return { c, keyStore };
}

describe.each(['12.1', '14.1', '16.0'])('Horde ActiveSync at protocol %s', (version) => {
  const device = (name: string) => `${name}-${version.replace('.', '')}`;
  const at = (name: string, extra: Partial<ClientConfig> = {}) => client(horde, device(name), { protocolVersion: version, ...extra });

  it('OPTIONS lists the versions and commands, and the highest common version', async () => {
    const options = await at('OPT').c.options();
    expect(options.httpStatus).toBe(200);
    expect(options.versions).toEqual(['2.5', '12.0', '12.1', '14.0', '14.1', '16.0']);
    expect(options.commands).toEqual(expect.arrayContaining(['Provision', 'FolderSync', 'Settings', 'Ping', 'Sync']));
    expect(options.commands).toHaveLength(23);
    expect(options.serverVersion).toBe('16.0');
    expect(options.highestCommonVersion).toBe('16.0');
  });

  it('refuses a command before provisioning: HTTP 449, with Status 142 above 12.1', async () => {
    const { c } = at('EARLY');
    const error = await failure(c.send('FolderSync', folderSync(), { reprovision: false }));
    expect(error.kind).toBe('provisioning-required');
    expect(error.httpStatus).toBe(449);
    expect(error.status).toBe(version === '12.1' ? undefined : 142);
    expect(c.trace[0]?.notes[0]).toMatch(/^HTTP 449 Retry after sending a PROVISION command/);
  });

  it('walks both Provision phases: exactly the configured policy, a temporary key, then a final key that works', async () => {
    const { c, keyStore } = at('PROV');
    const phase1 = await c.requestPolicy();
    expect(phase1.response).toMatchObject({ status: 1, policyStatus: 1, policyType: 'MS-EAS-Provisioning-WBXML' });
    expect(phase1.policy?.settings).toEqual(EXPECTED);
    expect(phase1.temporaryKey).toMatch(/^\d+$/);
    expect(phase1.remoteWipe).toBeUndefined();

    const ack = await c.acknowledge(phase1.temporaryKey as string);
    expect(ack.finalKey).toMatch(/^\d+$/);
    expect(ack.finalKey).not.toBe(phase1.temporaryKey);
    expect((await keyStore.get(c.account))?.policyKey).toBe(ack.finalKey);

    const result = await c.send('FolderSync', folderSync());
    expect(result).toMatchObject({ httpStatus: 200, status: 1, reprovisioned: false, policyKey: ack.finalKey });
    expect(result.xml).toContain('<SyncKey');
  });

  it('re-provisions once when its key has gone stale, then succeeds', async () => {
    const { c } = at('STALE');
    await c.provision();
    // Another client provisions the same device: the server moves on to a new key.
    const other = client(horde, device('STALE'), { protocolVersion: version });
    await other.c.provision();

    const result = await c.send('FolderSync', folderSync());
    expect(result).toMatchObject({ status: 1, reprovisioned: true });
    expect(c.trace.map((s) => [s.step, s.response?.status])).toEqual([
      ['Provision: policy request (phase 1)', 200],
      ['Provision: acknowledgement', 200],
      ['FolderSync', 449],
      ['Provision: policy request (phase 1)', 200],
      ['Provision: acknowledgement', 200],
      ['FolderSync (retry after provisioning)', 200],
    ]);
    if (version !== '12.1') expect(c.trace[2]?.notes).toContain('HTTP 449 with Status 142: provisioning, then retrying once');
  });

  it('reports Policy Status 5 for an acknowledgement with a wrong key', async () => {
    const { c, keyStore } = at('WRONGKEY');
    const phase1 = await c.requestPolicy();
    const wrong = String((Number(phase1.temporaryKey) % 1_000_000_000) + 1);
    const error = await failure(c.acknowledge(wrong));
    expect(error.kind).toBe('policy-failed');
    expect(error.status).toBe(5);
    expect(error.message).toBe('Provision: acknowledgement: Policy Status 5 Wrong policy key: The client acknowledged a policy key other than the one the server handed out.');
    expect(await keyStore.get(c.account)).toBeUndefined();
  });

  it('says clearly that a wrong password was refused (401), and never shows it', async () => {
    const { c } = at('BADPW', { password: 'wrong password' });
    const error = await failure(c.provision());
    expect(error.kind).toBe('unauthorized');
    expect(error.httpStatus).toBe(401);
    expect(error.message).toBe('Provision: policy request (phase 1): HTTP 401: the server refused the credentials of alice (it asks for: Basic)');
    expect(JSON.stringify(c.trace)).not.toContain('wrong password');
    expect(JSON.stringify(c.trace)).not.toContain(btoa('alice:wrong password'));
  });
});

describe('Horde ActiveSync: more than the three versions', () => {
  it('provisions at 2.5 with the Windows Mobile provisioning XML', async () => {
    const { c } = client(legacy, 'LEGACY-25', { protocolVersion: '2.5' });
    const result = await c.provision();
    expect(result.phase1.policyType).toBe('MS-WAP-Provisioning-XML');
    // Horde copies its values into the parms unchanged.
    expect(Object.fromEntries(result.policy?.wapParms?.map((p) => [p.name, p.value]) ?? [])).toEqual({
      '4131': '0',
      AEFrequencyType: '1',
      AEFrequencyValue: '15',
      DeviceWipeThreshold: '8',
      MinimumPasswordLength: '6',
      PasswordComplexity: '0',
    });
    // Read as the 2.5 format defines them (and as Exchange writes them): minutes, and 0 = alphanumeric.
    expect(result.policy?.settings).toEqual({
      DevicePasswordEnabled: true,
      MaxInactivityTimeDeviceLock: 900,
      MaxDevicePasswordFailedAttempts: 8,
      MinDevicePasswordLength: 6,
      AlphanumericDevicePasswordRequired: true,
    });
    expect((await c.send('FolderSync', folderSync())).status).toBe(1);
  });

  it('at 2.5 reports Status 139 when the policy needs settings 2.5 cannot carry', async () => {
    const { c } = client(horde, 'TOO-OLD-25', { protocolVersion: '2.5' });
    const error = await failure(c.provision());
    expect(error.kind).toBe('provision-failed');
    expect(error.status).toBe(139);
    expect(error.message).toMatch(/Provision Status 139 DeviceNotFullyProvisionable/);
  });

  it('works with the base64-encoded query string (Horde decodes it)', async () => {
    const { c } = client(horde, 'B64', { protocolVersion: '14.1', queryEncoding: 'base64' });
    const result = await c.send('FolderSync', folderSync());
    expect(result).toMatchObject({ status: 1, reprovisioned: true });
    expect(c.trace.every((s) => !s.request.url.includes('Cmd='))).toBe(true);
    expect(c.trace.every((s) => !s.request.headers.some(([name]) => name === 'X-MS-PolicyKey'))).toBe(true);
  });

  it('stops at a RemoteWipe directive in the Provision response and never acknowledges it', async () => {
    const { c, keyStore } = client(horde, 'WIPE-PROVISION', { protocolVersion: '14.1' });
    // Horde marks the device for wiping from its second request on.
    await failure(c.send('FolderSync', folderSync(), { reprovision: false }));
    const phase1 = await c.requestPolicy();
    expect(phase1.remoteWipe).toBe('device');
    expect(c.trace.at(-1)?.notes).toContain('REMOTE WIPE REQUESTED: the server asks this device to erase itself. Not acknowledged.');

    const error = await failure(c.provision());
    expect(error.kind).toBe('remote-wipe');
    expect(c.trace.filter((s) => s.step === 'Provision: acknowledgement')).toHaveLength(0);
    expect(await keyStore.get(c.account)).toBeUndefined();
  });

  it('stops at Status 140 (remote wipe requested) on an ordinary command', async () => {
    const { c } = client(horde, 'WIPE-STATUS', { protocolVersion: '14.1' });
    await failure(c.send('FolderSync', folderSync(), { reprovision: false }));
    const error = await failure(c.send('FolderSync', folderSync()));
    expect(error.kind).toBe('remote-wipe');
    expect(error.status).toBe(140);
    expect(c.trace.at(-1)?.step).toBe('FolderSync');
  });
});
