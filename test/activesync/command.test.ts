import { describe, expect, it } from 'vitest';
import { element as el } from '../../src/wbxml';
import { client } from './helpers/client';
import { failure } from './helpers/failure';
import { fakeServer, wbxmlResponse } from './helpers/fake-server';

describe('commands with the stored key', () => {
  it('provisions on HTTP 449, then retries once with the final key', async () => {
    const server = fakeServer();
    const { c } = client(server.fetch, { protocolVersion: '12.1' });
    // At 12.1 a 449 comes without a body, as Horde sends it.
    const result = await c.send('FolderSync', el('FolderHierarchy:FolderSync', el('FolderHierarchy:SyncKey', '0')));
    expect(result).toMatchObject({ httpStatus: 200, status: 1, reprovisioned: true, policyKey: server.state.finalKey });
    expect(server.requests.map((r) => `${r.command}:${r.policyKey}`)).toEqual([
      'FolderSync:0',
      'Provision:0',
      `Provision:${server.state.temporaryKey}`,
      `FolderSync:${server.state.finalKey}`,
    ]);
    expect(c.trace.map((s) => s.step)).toEqual(['FolderSync', 'Provision: policy request (phase 1)', 'Provision: acknowledgement', 'FolderSync (retry after provisioning)']);
    expect(c.trace[0]?.notes).toContain('HTTP 449: provisioning, then retrying once');
  });

  it('re-provisions once when the stored key has gone stale (Status 144 above 12.1)', async () => {
    const server = fakeServer();
    const { c } = client(server.fetch, { protocolVersion: '16.0' });
    await c.provision();
    const oldKey = server.state.finalKey;
    server.invalidateKey();
    const result = await c.send('FolderSync');
    expect(result.reprovisioned).toBe(true);
    expect(result.policyKey).not.toBe(oldKey);
    expect(c.trace[2]?.notes).toEqual(
      expect.arrayContaining(['Status 144 InvalidPolicyKey: The policy key sent is not the current one: provision again.', 'HTTP 449 with Status 144: provisioning, then retrying once']),
    );
  });

  it('uses the stored key without provisioning when it is still good', async () => {
    const server = fakeServer();
    const { c } = client(server.fetch);
    await c.provision();
    const result = await c.send('Settings');
    expect(result.reprovisioned).toBe(false);
    expect(server.requests).toHaveLength(3);
  });

  it('stops instead of looping when the server demands provisioning again right away', async () => {
    const server = fakeServer({
      intercept: (r) => (r.command === 'FolderSync' ? new Response(null, { status: 449 }) : undefined),
    });
    const { c } = client(server.fetch);
    const error = await failure(c.send('FolderSync'));
    expect(error.kind).toBe('provisioning-required');
    expect(error.message).toMatch(/again right after a successful Provision; stopping rather than looping/);
    expect(server.requests.map((r) => r.command)).toEqual(['FolderSync', 'Provision', 'Provision', 'FolderSync']);
  });

  it('handles Status 142 in a 200 body like a 449', async () => {
    let first = true;
    const server = fakeServer({
      intercept: (r) => {
        if (r.command === 'Ping' && first) {
          first = false;
          return wbxmlResponse(el('Ping:Ping', el('Ping:Status', '142')));
        }
        return undefined;
      },
    });
    const { c } = client(server.fetch);
    await c.provision();
    const result = await c.send('Ping');
    expect(result.reprovisioned).toBe(true);
  });

  it('returns other common statuses with their meaning', async () => {
    const { c } = client(async () => wbxmlResponse(el('FolderHierarchy:FolderSync', el('FolderHierarchy:Status', '111'))));
    const result = await c.send('FolderSync');
    expect(result.status).toBe(111);
    expect(result.statusMeaning).toBe('111 ServerErrorRetryLater: The server failed for now; retry later.');
  });

  it('accepts an empty 200 (a Sync with no changes) as an answer without a Status', async () => {
    const { c } = client(async () => new Response(null, { status: 200 }));
    const result = await c.send('Sync', el('AirSync:Sync'));
    expect(result).toMatchObject({ httpStatus: 200, reprovisioned: false });
    expect(result.status).toBeUndefined();
  });

  it('can send with the base64 query form', async () => {
    const server = fakeServer();
    const { c } = client(server.fetch, { queryEncoding: 'base64', protocolVersion: '14.1' });
    const result = await c.send('FolderSync');
    expect(result.reprovisioned).toBe(true);
    expect(server.requests.every((r) => !r.url.includes('Cmd='))).toBe(true);
    expect(server.requests.at(-1)?.headers['x-ms-policykey']).toBeUndefined();
    expect(server.requests.at(-1)?.policyKey).toBe(server.state.finalKey);
  });
});
