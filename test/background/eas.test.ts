// ActiveSync runs in the worker: OPTIONS, Provision (both phases, or phase 1 and a later
// acknowledgement), a command with the stored key; progress and results in storage.session,
// keys in storage.local, and the password nowhere but in the requests to its own server.
import { describe, expect, it, vi } from 'vitest';
import { EasService, KEPT_HOSTS_KEY, KEYS_KEY, RUNS_KEY, type EasDeps } from '../../src/background/eas';
import { defaultIdentity } from '../../src/activesync/device-identity';
import type { FetchLike } from '../../src/activesync/http';
import type { BgResponse, EasRunRequest, EasRunView } from '../../src/messages/protocol';
import { decode } from '../../src/wbxml';
import { fakeServer } from '../activesync/helpers/fake-server';
import { cryptoDeps, MemoryArea } from './fakes';

const PASSWORD = 's3cret';
const SERVER = 'https://mail.example.com';

interface Env {
  hasHost?: boolean;
  /** What the user answers the permission prompt (for runs that wait for it); never answered by default. */
  grant?: Promise<boolean>;
  /** The session watcher's origins. */
  watched?: string[];
  wrapFetch?: (fetch: FetchLike) => FetchLike;
  timers?: EasDeps['timers'];
  local?: MemoryArea;
  /** permissions.remove refuses (Chrome: a host granted at install). */
  releaseFails?: boolean;
}

function setup(options: Parameters<typeof fakeServer>[0] = {}, env: Env = {}) {
  const server = fakeServer(options);
  const session = new MemoryArea();
  const local = env.local ?? new MemoryArea();
  const device = { ...defaultIdentity(cryptoDeps.randomBytes), deviceId: 'OWAITEST0001' };
  let n = 0;
  const pushes: EasRunView[][] = [];
  const logs: string[] = [];
  /** The origins whose host permission was given back, in order. */
  const released: string[] = [];
  const watched = env.watched ?? [];
  const eas = new EasService({
    fetch: env.wrapFetch ? env.wrapFetch(server.fetch) : server.fetch,
    session,
    local,
    now: () => 1_700_000_000_000,
    newId: () => `run-${++n}`,
    device: () => device,
    hasHost: async () => env.hasHost ?? true,
    waitForHost: () => env.grant ?? new Promise<boolean>(() => undefined),
    releaseHost: async (origin) => {
      if (env.releaseFails) throw new Error('You cannot remove required permissions.');
      released.push(origin);
    },
    watchedOrigins: () => watched,
    ...(env.timers ? { timers: env.timers } : {}),
    log: (line) => void logs.push(line),
  });
  eas.onChange((runs) => void pushes.push(runs));
  return { server, session, local, eas, pushes, logs, released, watched };
}

/**
 * A promise that knows whether anyone waits on it: `await` calls `then` of a promise of another
 * class than Promise (the promises it makes are plain ones).
 */
class AwaitedPromise<T> extends Promise<T> {
  awaited = false;
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }
  override then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.awaited = true;
    return super.then(onFulfilled, onRejected);
  }
}

/** What a second EasService (a restarted worker) is given: the same storage and server. */
function envDeps(env: ReturnType<typeof setup>): EasDeps {
  return {
    fetch: env.server.fetch,
    session: env.session,
    local: env.local,
    now: () => 1_700_000_000_000,
    newId: () => 'x',
    device: () => defaultIdentity(cryptoDeps.randomBytes),
    hasHost: async () => true,
    waitForHost: async () => true,
    releaseHost: async () => undefined,
    watchedOrigins: () => [],
    log: () => undefined,
  };
}

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    timers: {
      setTimeout: (callback: () => void) => (pending.set(next, callback), next++),
      clearTimeout: (handle: unknown) => void pending.delete(handle as number),
    },
    fireAll(): void {
      for (const [id, callback] of [...pending]) {
        pending.delete(id);
        callback();
      }
    },
  };
}

const provisionRequest = (extra: Partial<EasRunRequest & { acknowledge: boolean }> = {}) => ({
  server: SERVER,
  user: 'alice',
  password: PASSWORD,
  protocolVersion: '14.1',
  acknowledge: true,
  ...extra,
});

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

  it("the raw bodies of the kept runs stay in the worker's memory only, for the panel (ui-bg-eas-bodies)", async () => {
    const env = setup();
    const result = run(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true }));
    const bodies = env.eas.bodies();
    expect(bodies.map((b) => [b.runId, b.step])).toEqual([
      [result.id, 0],
      [result.id, 1],
    ]);
    // The bytes the server got and sent, exactly.
    expect(decode(Buffer.from(bodies[0]!.request!, 'base64')).root).toEqual(env.server.requests[0]!.body);
    expect(bodies[0]!.response).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // Nothing of them in storage, no password anywhere.
    expect(JSON.stringify(env.session.data)).not.toContain(bodies[0]!.request!);
    expect(JSON.stringify(bodies)).not.toContain(Buffer.from(`alice:${PASSWORD}`).toString('base64'));
    // A worker that starts again has the runs (storage.session) but not their bytes.
    const restarted = new EasService({ ...envDeps(env), now: () => 1_700_000_100_000 });
    await restarted.load();
    expect(restarted.views()).toHaveLength(1);
    expect(restarted.bodies()).toEqual([]);
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

  it('a run asked for with the prompt waits for the grant and runs, whether or not the page is still there', async () => {
    let answer!: (granted: boolean) => void;
    const grant = new AwaitedPromise<boolean>((resolve) => (answer = resolve));
    const env = setup({}, { hasHost: false, grant });
    const reply = env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true, awaitGrant: true });
    // The run waits on the grant (it has awaited the promise): whatever it sends before that, it has sent.
    await vi.waitFor(() => expect(grant.awaited).toBe(true));
    expect(env.server.requests).toHaveLength(0);
    answer(true);
    expect(await reply).toMatchObject({ type: 'bg-ui-eas-run' });
    expect(env.eas.views()[0]).toMatchObject({ kind: 'provision', state: 'done' });
    const refused = setup({}, { hasHost: false, grant: Promise.resolve(false) });
    expect(await refused.eas.options({ server: SERVER, awaitGrant: true })).toMatchObject({ type: 'bg-ui-error', error: { key: 'bg_error_no_eas_access' } });
    expect(refused.server.requests).toHaveLength(0);
  });

  it('refuses without the host permission, and a bad device id', async () => {
    expect(await setup({}, { hasHost: false }).eas.options({ server: SERVER })).toMatchObject({ type: 'bg-ui-error', error: { key: 'bg_error_no_eas_access', subs: ['mail.example.com'] } });
    const env = setup();
    expect(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: true, device: { deviceId: 'not valid!' } })).toMatchObject({
      type: 'bg-ui-error',
      error: { key: 'bg_text', subs: [expect.stringMatching(/deviceId/)] },
    });
  });

  it('a worker restart marks unfinished runs as interrupted (the password is gone with it)', async () => {
    const env = setup();
    run(await env.eas.provision({ server: SERVER, user: 'alice', password: PASSWORD, protocolVersion: '14.1', acknowledge: false }));
    const released: string[] = [];
    const restarted = new EasService({
      fetch: env.server.fetch,
      session: env.session,
      local: env.local,
      now: () => 1_700_000_100_000,
      newId: () => 'x',
      device: () => defaultIdentity(cryptoDeps.randomBytes),
      hasHost: async () => true,
      waitForHost: async () => true,
      releaseHost: async (origin) => void released.push(origin),
      watchedOrigins: () => [],
      log: () => undefined,
    });
    await restarted.load();
    expect(restarted.views()[0]).toMatchObject({ state: 'interrupted', temporaryKey: '1001' });
    expect(await restarted.acknowledge(restarted.views()[0]!.id)).toMatchObject({ type: 'bg-ui-error' });
    // The run that needed the host is gone: its access is given back.
    expect(env.released).toEqual([]);
    expect(released).toEqual([SERVER]);
  });

  it('a 451 to another server ends the run with the new URL; nothing is sent there', async () => {
    const location = 'https://eas.elsewhere.example/Microsoft-Server-ActiveSync';
    const env = setup({ intercept: () => new Response(null, { status: 451, headers: { 'X-MS-Location': location } }) });
    const result = run(await env.eas.provision(provisionRequest()));
    expect(result.state).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'redirect-other-origin', location, httpStatus: 451 });
    expect(result.error?.message).toContain(`moved this mailbox to ${location}`);
    expect(env.server.requests.map((r) => new URL(r.url).origin)).toEqual([SERVER]);
    expect((env.session.data[RUNS_KEY] as EasRunView[])[0]!.error?.location).toBe(location);
    noPassword(env);
  });
});

describe('the host permission of an ActiveSync run', () => {
  it('is given back once a run of a server nobody watches has ended, done or failed', async () => {
    const env = setup();
    run(await env.eas.options({ server: SERVER, user: 'alice', password: PASSWORD }));
    expect(env.released).toEqual([SERVER]);
    expect(run(await env.eas.provision(provisionRequest({ password: 'wrong' }))).state).toBe('failed');
    expect(run(await env.eas.send({ ...provisionRequest(), command: 'FolderSync' })).state).toBe('done');
    expect(env.released).toEqual([SERVER, SERVER, SERVER]);
    expect(env.logs.at(-1)).toMatch(/host access to mail.example.com given back/);
  });

  it('a browser that refuses to give it back does not fail the run; the log says so', async () => {
    const env = setup({}, { releaseFails: true });
    expect(run(await env.eas.provision(provisionRequest())).state).toBe('done');
    expect(env.logs.at(-1)).toBe('activesync: host access to mail.example.com not given back: You cannot remove required permissions.');
  });

  it('is given back when the run stops before its first request (plain HTTP refused, bad device id)', async () => {
    const env = setup();
    run(await env.eas.provision(provisionRequest({ server: 'http://mail.example.com' })));
    expect(await env.eas.provision(provisionRequest({ device: { deviceId: 'not valid!' } }))).toMatchObject({ type: 'bg-ui-error' });
    expect(env.released).toEqual(['http://mail.example.com', SERVER]);
    // Nothing to give back without access.
    const refused = setup({}, { hasHost: false });
    await refused.eas.options({ server: SERVER });
    expect(refused.released).toEqual([]);
  });

  it('is kept while the session watcher watches that host, on any port (a host permission has none)', async () => {
    const env = setup({}, { watched: ['https://mail.example.com:8443'] });
    run(await env.eas.provision(provisionRequest()));
    expect(env.released).toEqual([]);
    // Watching the host over http needs http://mail.example.com/* only, not the https access.
    const other = setup({}, { watched: ['http://mail.example.com', 'https://owa.example.com'] });
    run(await other.eas.provision(provisionRequest()));
    expect(other.released).toEqual([SERVER]);
  });

  it('is kept when the user asked to keep it, for later runs and after a worker restart too', async () => {
    const env = setup();
    run(await env.eas.provision(provisionRequest({ keepHost: true })));
    expect(env.released).toEqual([]);
    expect(env.local.data[KEPT_HOSTS_KEY]).toEqual([SERVER]);
    run(await env.eas.send({ ...provisionRequest(), command: 'FolderSync' }));
    run(await env.eas.options({ server: 'https://mail.example.com:8443' }));
    expect(env.released).toEqual([]);
    const restarted = setup({}, { local: env.local });
    run(await restarted.eas.options({ server: SERVER, user: 'alice', password: PASSWORD }));
    expect(restarted.released).toEqual([]);
    expect(restarted.local.data[KEPT_HOSTS_KEY]).toEqual([SERVER]);
    // Another host is not kept by it.
    run(await restarted.eas.options({ server: 'https://owa.example.com', user: 'alice', password: PASSWORD }));
    expect(restarted.released).toEqual(['https://owa.example.com']);
  });

  it('is kept while a Provision waits for its acknowledgement; given back once acknowledged', async () => {
    const env = setup();
    const first = run(await env.eas.provision(provisionRequest({ acknowledge: false })));
    expect(first.state).toBe('awaiting-ack');
    expect(env.released).toEqual([]);
    run(await env.eas.acknowledge(first.id));
    expect(env.released).toEqual([SERVER]);
  });

  it('a Provision left waiting gives it back when the wait expires or the run is replaced', async () => {
    const timers = manualTimers();
    const env = setup({}, { timers: timers.timers });
    run(await env.eas.provision(provisionRequest({ acknowledge: false })));
    timers.fireAll();
    await vi.waitFor(() => expect(env.released).toEqual([SERVER]));

    const again = setup();
    run(await again.eas.provision(provisionRequest({ acknowledge: false })));
    // The same account and kind: the new run replaces the waiting one, and needs the host itself.
    const second = run(await again.eas.provision(provisionRequest({ acknowledge: false })));
    expect(again.released).toEqual([]);
    run(await again.eas.acknowledge(second.id));
    expect(again.released).toEqual([SERVER]);
  });

  it('is not given back under a run still in flight when another run of the same host ends', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held = 0;
    const env = setup(
      {},
      {
        wrapFetch: (fetch) => async (url, init) => {
          if (++held === 1) await gate;
          return fetch(url, init);
        },
      },
    );
    const slow = env.eas.provision(provisionRequest());
    // The Provision's first request is on its way when the OPTIONS run starts and ends.
    await vi.waitFor(() => expect(held).toBe(1));
    run(await env.eas.options({ server: SERVER, user: 'alice', password: PASSWORD }));
    expect(env.released).toEqual([]);
    open();
    expect(run(await slow).state).toBe('done');
    expect(env.released).toEqual([SERVER]);
  });
});
