// ActiveSync runs in the worker: OPTIONS, Provision (both phases, or phase 1 and a later
// acknowledgement), a command with the stored key; progress and results in storage.session,
// keys in storage.local, and the password nowhere but in the requests to its own server.
import { describe, expect, it } from 'vitest';
import { EasService, KEYS_KEY, RUNS_KEY } from '../../src/background/eas';
import { defaultIdentity } from '../../src/activesync/device-identity';
import type { BgResponse, EasRunView } from '../../src/messages/protocol';
import { fakeServer } from '../activesync/helpers/fake-server';
import { cryptoDeps, MemoryArea } from './fakes';

const PASSWORD = 's3cret';
const SERVER = 'https://mail.example.com';

function setup(options: Parameters<typeof fakeServer>[0] = {}, hasHost = true) {
  const server = fakeServer(options);
  const session = new MemoryArea();
  const local = new MemoryArea();
  const device = { ...defaultIdentity(cryptoDeps.randomBytes), deviceId: 'OWAITEST0001' };
  let n = 0;
  const pushes: EasRunView[][] = [];
  const logs: string[] = [];
  const eas = new EasService({
    fetch: server.fetch,
    session,
    local,
    now: () => 1_700_000_000_000,
    newId: () => `run-${++n}`,
    device: () => device,
    hasHost: async () => hasHost,
    log: (line) => void logs.push(line),
  });
  eas.onChange((runs) => void pushes.push(runs));
  return { server, session, local, eas, pushes, logs };
}

function run(reply: BgResponse): EasRunView {
  if (reply.type !== 'bg-ui-eas-run') throw new Error(JSON.stringify(reply));
  return reply.run;
}

function noPassword(env: ReturnType<typeof setup>): void {
  const everything = JSON.stringify([env.session.history, env.local.history, env.pushes, env.logs]);
  expect(everything).not.toContain(PASSWORD);
  expect(everything).not.toContain(btoa(`alice:${PASSWORD}`));
}

describe('ActiveSync in the worker', () => {
  it('OPTIONS lists the versions and the highest common one', async () => {
    const env = setup();
    const result = run(await env.eas.options({ server: SERVER, user: 'alice', password: PASSWORD }));
    expect(result).toMatchObject({ kind: 'options', state: 'done', server: `${SERVER}/Microsoft-Server-ActiveSync` });
    expect(result.options?.versions).toEqual(['2.5', '12.0', '12.1', '14.0', '14.1']);
    expect(result.options?.highestCommonVersion).toBe('14.1');
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]!.request.headers).toContainEqual(['Authorization', 'Basic [redacted]']);
    noPassword(env);
  });

  it('OPTIONS without a user on a server that wants one says so', async () => {
    const env = setup();
    const result = run(await env.eas.options({ server: SERVER }));
    expect(result.state).toBe('failed');
    expect(result.error?.message).toMatch(/only with a user name and password/);
  });

  it('Provision: each step, the policy, both keys; the final key stored in storage.local, nothing else', async () => {
    const env = setup();
    const result = run(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true }));
    expect(result.state).toBe('done');
    expect(result.steps.map((s) => s.step)).toEqual(['Provision: policy request (phase 1)', 'Provision: acknowledgement']);
    expect(result.steps[0]!.notes.join('\n')).toMatch(/Provision Status 1 Success/);
    expect(result.steps[0]!.response?.body?.xml).toContain('<PolicyKey>');
    // Raw bytes stay out of storage; XML is what pages show.
    expect(result.steps[0]!.response?.body?.base64).toBeUndefined();
    expect(result.policy?.entries.map((e) => e.name)).toEqual(['DevicePasswordEnabled', 'MinDevicePasswordLength', 'AllowCamera']);
    expect(result.temporaryKey).toBe('1001');
    expect(result.finalKey).toBe('1002');
    expect(Object.values(env.local.data[KEYS_KEY] as object)).toEqual([expect.objectContaining({ policyKey: '1002', protocolVersion: '14.1' })]);
    expect(Object.keys(env.local.data)).toEqual([KEYS_KEY]);
    // The device identity went out: DeviceId in the query, DeviceInformation in phase 1 (14.1).
    expect(env.server.requests[0]!.url).toContain('DeviceId=OWAITEST0001');
    expect(result.steps[0]!.request.body?.xml).toContain('<settings:Model>OWA Inspector</settings:Model>');
    // Progress was pushed step by step, and the run is kept in storage.session.
    expect(env.pushes.some((runs) => runs[0]!.state === 'running' && runs[0]!.steps.length === 1)).toBe(true);
    expect((env.session.data[RUNS_KEY] as EasRunView[])[0]!.finalKey).toBe('1002');
    noPassword(env);
  });

  it('phase 1 alone, then the acknowledgement as a second message', async () => {
    const env = setup();
    const first = run(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: false }));
    expect(first).toMatchObject({ state: 'awaiting-ack', temporaryKey: '1001' });
    expect(env.server.requests).toHaveLength(1);
    const second = run(await env.eas.acknowledge(first.id));
    expect(second).toMatchObject({ id: first.id, state: 'done', finalKey: '1002' });
    expect(second.steps).toHaveLength(2);
    // Only once: the password was dropped with the run.
    expect(await env.eas.acknowledge(first.id)).toMatchObject({ type: 'bg-ui-error' });
    noPassword(env);
  });

  it.each(['device', 'account'] as const)('a %s wipe is shown and never acknowledged; no key stored', async (kind) => {
    const env = setup({ remoteWipe: kind });
    const result = run(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true }));
    expect(result).toMatchObject({ state: 'remote-wipe', remoteWipe: kind });
    expect(result.error?.message).toMatch(/did NOT acknowledge/);
    expect(result.finalKey).toBeUndefined();
    expect(env.server.requests.filter((r) => r.command === 'Provision')).toHaveLength(1);
    expect(env.local.data[KEYS_KEY]).toBeUndefined();
  });

  it('a command with the stored key; a stale key makes it provision once and retry', async () => {
    const env = setup();
    run(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true }));
    const sent = run(await env.eas.send({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', command: 'FolderSync' }));
    expect(sent.command).toMatchObject({ command: 'FolderSync', httpStatus: 200, status: 1, policyKey: '1002', reprovisioned: false });
    env.server.invalidateKey();
    const again = run(await env.eas.send({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', command: 'FolderSync' }));
    expect(again.command?.reprovisioned).toBe(true);
    expect(again.steps.map((s) => s.step)).toEqual(['FolderSync', 'Provision: policy request (phase 1)', 'Provision: acknowledgement', 'FolderSync (retry after provisioning)']);
    expect(again.steps[0]!.notes.join(' ')).toMatch(/HTTP 449/);
    // One kept run per account and kind: the second send replaced the first.
    expect(env.eas.views().map((r) => r.kind)).toEqual(['send', 'provision']);
    noPassword(env);
  });

  it('refuses Basic credentials over plain HTTP to a host that is not loopback, and says why', async () => {
    const env = setup();
    const result = run(await env.eas.provision({ server: 'http://mail.example.com', user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true }));
    expect(result.state).toBe('failed');
    expect(result.error?.kind).toBe('insecure-transport');
    expect(env.server.requests).toHaveLength(0);
  });

  it('refuses without the host permission, and a bad device id', async () => {
    expect(await setup({}, false).eas.options({ server: SERVER })).toMatchObject({ type: 'bg-ui-error', error: expect.stringMatching(/no access to mail.example.com/) });
    const env = setup();
    expect(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true, device: { deviceId: 'not valid!' } })).toMatchObject({
      type: 'bg-ui-error',
      error: expect.stringMatching(/deviceId/),
    });
  });

  it('a worker restart marks unfinished runs as interrupted (the password is gone with it)', async () => {
    const env = setup();
    run(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: false }));
    const restarted = new EasService({
      fetch: env.server.fetch,
      session: env.session,
      local: env.local,
      now: () => 1_700_000_100_000,
      newId: () => 'x',
      device: () => defaultIdentity(cryptoDeps.randomBytes),
      hasHost: async () => true,
      log: () => undefined,
    });
    await restarted.load();
    expect(restarted.views()[0]).toMatchObject({ state: 'interrupted', temporaryKey: '1001' });
    expect(await restarted.acknowledge(restarted.views()[0]!.id)).toMatchObject({ type: 'bg-ui-error' });
  });
});
