import { describe, expect, it } from 'vitest';
import { element as el } from '../../src/wbxml';
import { client } from './helpers/client';
import { failure } from './helpers/failure';
import { fakeServer, wbxmlResponse } from './helpers/fake-server';

describe('remote wipe requests', () => {
  it.each([
    ['device', /REMOTE WIPE of the whole device/],
    ['account', /ACCOUNT-ONLY REMOTE WIPE/],
  ] as const)('stops at a %s wipe directive and never acknowledges it', async (kind, message) => {
    const server = fakeServer({ remoteWipe: kind });
    const { c, keyStore } = client(server.fetch);
    const phase = await c.requestPolicy();
    expect(phase.remoteWipe).toBe(kind);
    expect(c.trace[0]?.notes.join('\n')).toMatch(/REMOTE WIPE REQUESTED/);

    const error = await failure(c.provision());
    expect(error.kind).toBe('remote-wipe');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/never confirms a wipe/);
    // Two phase-1 requests (one per call above), no acknowledgement.
    expect(server.requests.filter((r) => JSON.stringify(r.body).includes('"PolicyKey"'))).toHaveLength(0);
    expect(await keyStore.get(c.account)).toBeUndefined();
  });

  it('stops on Status 140: the server wants a remote wipe', async () => {
    const { c } = client(async () => wbxmlResponse(el('FolderHierarchy:FolderSync', el('AirSync:Status', '140'))));
    const error = await failure(c.send('FolderSync'));
    expect(error.kind).toBe('remote-wipe');
    expect(error.status).toBe(140);
    expect(error.message).toMatch(/REMOTE WIPE.*never acknowledges a wipe/);
  });
});
