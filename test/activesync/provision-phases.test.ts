import { describe, expect, it } from 'vitest';
import { ActiveSyncClient } from '../../src/activesync/client';
import { MemoryKeyStore } from '../../src/activesync/key-store';
import { element as el, findChild, toXml } from '../../src/wbxml';
import { client, PASSWORD } from './helpers/client';
import { failure } from './helpers/failure';
import { fakeServer, wbxmlResponse } from './helpers/fake-server';

describe('provisioning', () => {
  it('asks with key 0, acknowledges the temporary key and stores the final key', async () => {
    const server = fakeServer();
    const { c, keyStore } = client(server.fetch, { protocolVersion: '14.1' });
    const result = await c.provision();

    expect(server.requests.map((r) => [r.command, r.policyKey])).toEqual([
      ['Provision', '0'],
      ['Provision', server.state.temporaryKey],
    ]);
    expect(result.temporaryKey).toBe(server.state.temporaryKey);
    expect(result.finalKey).toBe(server.state.finalKey);
    expect(result.policy?.settings).toEqual({ DevicePasswordEnabled: true, MinDevicePasswordLength: 6, AllowCamera: false });
    expect(await keyStore.get(c.account)).toMatchObject({ policyKey: server.state.finalKey, protocolVersion: '14.1' });
    expect(c.trace.map((s) => s.step)).toEqual(['Provision: policy request (phase 1)', 'Provision: acknowledgement']);
    expect(c.trace[0]?.notes).toContain(`Temporary policy key: ${server.state.temporaryKey}`);
    expect(c.trace[1]?.notes).toContain('Policy Status 1 Success: The policy was sent, or the acknowledgement was accepted.');
  });

  it('sends DeviceInformation from 14.1 on, and not before', async () => {
    for (const [version, expected] of [
      ['12.1', false],
      ['14.1', true],
      ['16.0', true],
    ] as const) {
      const server = fakeServer();
      const { c } = client(server.fetch, { protocolVersion: version, deviceInformation: { model: 'Lab', os: 'Test OS' } });
      await c.provision();
      const body = server.requests[0]?.body;
      const info = body && findChild(body, 'Settings:DeviceInformation');
      expect(Boolean(info), version).toBe(expected);
      if (info) expect(toXml(info)).toMatch(/<Model>Lab<\/Model>[\s\S]*<FriendlyName>OWA Inspector<\/FriendlyName>[\s\S]*<OS>Test OS<\/OS>/);
      expect(JSON.stringify(body)).toContain('MS-EAS-Provisioning-WBXML');
    }
  });

  it('provisions at 2.5 with the provisioning XML policy type', async () => {
    const server = fakeServer({
      wapXml: '<wap-provisioningdoc><characteristic type="SecurityPolicy"><parm name="4131" value="0"/></characteristic></wap-provisioningdoc>',
    });
    const { c } = client(server.fetch, { protocolVersion: '2.5' });
    const result = await c.provision();
    expect(JSON.stringify(server.requests[0]?.body)).toContain('MS-WAP-Provisioning-XML');
    expect(result.policy?.policyType).toBe('MS-WAP-Provisioning-XML');
    expect(result.policy?.settings).toEqual({ DevicePasswordEnabled: true });
  });

  it('reports Policy Status 5 when the acknowledgement carries a wrong key, and stores nothing', async () => {
    const server = fakeServer();
    const { c, keyStore } = client(server.fetch);
    await c.requestPolicy();
    const error = await failure(c.acknowledge('12345'));
    expect(error.kind).toBe('policy-failed');
    expect(error.status).toBe(5);
    expect(error.message).toMatch(/Policy Status 5 Wrong policy key/);
    expect(error.step).toBe('Provision: acknowledgement');
    expect(error.trace).toHaveLength(2);
    expect(await keyStore.get(c.account)).toBeUndefined();
  });

  it('reports a Provision Status other than 1 with its meaning', async () => {
    const { c } = client(async () => wbxmlResponse(el('Provision:Provision', el('Provision:Status', '139'))));
    const error = await failure(c.provision());
    expect(error.kind).toBe('provision-failed');
    expect(error.status).toBe(139);
    expect(error.message).toMatch(/Provision Status 139 DeviceNotFullyProvisionable/);
  });

  it('a response that is not Provision is malformed', async () => {
    const { c } = client(async () => wbxmlResponse(el('FolderHierarchy:FolderSync')));
    const error = await failure(c.provision());
    expect(error.kind).toBe('malformed-response');
    expect(error.message).toMatch(/expected a Provision response, got FolderHierarchy:FolderSync/);
  });

  it('keeps the final key per account', async () => {
    const server = fakeServer();
    const keyStore = new MemoryKeyStore();
    const base = { url: 'https://mail.example.com', user: 'alice', password: PASSWORD, fetch: server.fetch, keyStore };
    const one = new ActiveSyncClient({ ...base, deviceId: 'ONE' });
    const two = new ActiveSyncClient({ ...base, deviceId: 'TWO' });
    await one.provision();
    expect(await one.storedKey()).toBe(server.state.finalKey);
    expect(await two.storedKey()).toBeUndefined();
  });
});
