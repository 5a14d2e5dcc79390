import { describe, expect, it } from 'vitest';
import { ActiveSyncClient } from '../../src/activesync/client';
import type { ClientConfig } from '../../src/activesync/connection';
import type { FetchLike, Timers } from '../../src/activesync/http';
import { MemoryKeyStore } from '../../src/activesync/key-store';
import { element as el, findChild, toXml } from '../../src/wbxml';
import { failure } from './helpers/failure';
import { fakeServer, wbxmlResponse } from './helpers/fake-server';

const PASSWORD = 's3cret';
const PASSWORD_BASE64 = btoa(`alice:${PASSWORD}`);

function client(fetch: FetchLike, extra: Partial<ClientConfig> = {}) {
  const keyStore = new MemoryKeyStore();
  const c = new ActiveSyncClient({
    url: 'https://mail.example.com',
    user: 'alice',
    password: PASSWORD,
    deviceId: 'DEV1',
    fetch,
    keyStore,
    ...extra,
  });
  return { c, keyStore };
}

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  const timers: Timers = {
    setTimeout(callback, ms) {
      pending.set(next, { callback, ms });
      return next++;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending,
    fireAll(): void {
      for (const [id, timer] of [...pending]) {
        pending.delete(id);
        timer.callback();
      }
    },
  };
}

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
    for (const [version, expected] of [['12.1', false], ['14.1', true], ['16.0', true]] as const) {
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

  it('reports a Provision Status other than 1 with its meaning', async () => {
    const { c } = client(async () =>
      wbxmlResponse(el('Provision:Provision', el('Provision:Status', '139'))),
    );
    const error = await failure(c.provision());
    expect(error.kind).toBe('provision-failed');
    expect(error.status).toBe(139);
    expect(error.message).toMatch(/Provision Status 139 DeviceNotFullyProvisionable/);
  });
});

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
    expect(c.trace.map((s) => s.step)).toEqual([
      'FolderSync',
      'Provision: policy request (phase 1)',
      'Provision: acknowledgement',
      'FolderSync (retry after provisioning)',
    ]);
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
      expect.arrayContaining([
        'Status 144 InvalidPolicyKey: The policy key sent is not the current one: provision again.',
        'HTTP 449 with Status 144: provisioning, then retrying once',
      ]),
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

  it('stops on Status 140: the server wants a remote wipe', async () => {
    const { c } = client(async () => wbxmlResponse(el('FolderHierarchy:FolderSync', el('AirSync:Status', '140'))));
    const error = await failure(c.send('FolderSync'));
    expect(error.kind).toBe('remote-wipe');
    expect(error.status).toBe(140);
    expect(error.message).toMatch(/REMOTE WIPE.*never acknowledges a wipe/);
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

describe('HTTP statuses and bad answers', () => {
  it('401: a clear error naming the user, with the trace, never the password', async () => {
    const server = fakeServer({ password: 'other' });
    const { c } = client(server.fetch);
    const error = await failure(c.provision());
    expect(error.kind).toBe('unauthorized');
    expect(error.httpStatus).toBe(401);
    expect(error.message).toBe('Provision: policy request (phase 1): HTTP 401: the server refused the credentials of alice (it asks for: Basic)');
    const everything = JSON.stringify({ trace: c.trace, error: { ...error, message: error.message } });
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(PASSWORD_BASE64);
    expect(c.trace[0]?.request.headers).toContainEqual(['Authorization', 'Basic [redacted]']);
  });

  it.each([
    [403, {}, 'forbidden', /not allowed to use ActiveSync/],
    [456, {}, 'blocked', /account of alice is blocked/],
    [457, { 'X-MS-Credential-Service-Url': 'https://pw.example.com' }, 'password-expired', /expired; change it at https:\/\/pw.example.com/],
    [503, { 'Retry-After': '120' }, 'unavailable', /retry after 120 s/],
    [500, {}, 'http', /unexpected HTTP 500/],
  ] as const)('HTTP %i -> %s', async (status, headers, kind, message) => {
    const { c } = client(async () => new Response('nope', { status, headers }));
    const error = await failure(c.send('FolderSync'));
    expect(error.kind).toBe(kind);
    expect(error.httpStatus).toBe(status);
    expect(error.message).toMatch(message);
    if (status === 503) expect(error.retryAfterSeconds).toBe(120);
  });

  it('451 to the same origin: follows X-MS-Location once and keeps using it', async () => {
    const server = fakeServer({
      intercept: (r) =>
        r.url.startsWith('https://mail.example.com/Microsoft-Server-ActiveSync')
          ? // Another spelling of the same origin: host case and the default port do not make it another.
            new Response(null, { status: 451, headers: { 'X-MS-Location': 'https://MAIL.example.com:443/eas2/Microsoft-Server-ActiveSync' } })
          : undefined,
    });
    const { c } = client(server.fetch);
    await c.provision();
    expect(c.url).toBe('https://mail.example.com/eas2/Microsoft-Server-ActiveSync');
    expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/Microsoft-Server-ActiveSync',
      '/eas2/Microsoft-Server-ActiveSync',
      '/eas2/Microsoft-Server-ActiveSync',
    ]);
    expect(c.trace[0]?.notes).toContain('Redirected to https://mail.example.com/eas2/Microsoft-Server-ActiveSync; this client uses it from now on');
  });

  /** The home server answers every request with 451 to `location`; `elsewhere` is the server there. */
  function movedTo(location: string) {
    const home = fakeServer({ intercept: () => new Response(null, { status: 451, headers: { 'X-MS-Location': location } }) });
    const elsewhere = fakeServer();
    const fetch: FetchLike = (url, init) => (new URL(url).origin === 'https://mail.example.com' ? home.fetch(url, init) : elsewhere.fetch(url, init));
    return { home, elsewhere, fetch };
  }

  it.each([
    ['another port', 'https://mail.example.com:8443/Microsoft-Server-ActiveSync'],
    ['another host', 'https://eas.attacker.example/Microsoft-Server-ActiveSync'],
  ])('451 to %s: stops, sends nothing there, and the error carries the new URL', async (_what, location) => {
    const { home, elsewhere, fetch } = movedTo(location);
    const { c } = client(fetch);
    for (const run of [() => c.options(), () => c.provision(), () => c.send('FolderSync')]) {
      const error = await failure(run());
      expect(error.kind).toBe('redirect-other-origin');
      expect(error.location).toBe(location);
      expect(error.httpStatus).toBe(451);
      expect(error.message).toContain(`moved this mailbox to ${location}`);
      expect(error.message).toMatch(/not sent there/);
      expect(error.trace.at(-1)?.error?.kind).toBe('redirect-other-origin');
    }
    // Not one request, so never the Authorization header, reached the other origin.
    expect(elsewhere.requests).toEqual([]);
    expect(home.requests.every((r) => r.url.startsWith('https://mail.example.com/'))).toBe(true);
    expect(c.url).toBe('https://mail.example.com/Microsoft-Server-ActiveSync');
  });

  it('451 from https to http on the same host is refused as another origin', async () => {
    const { elsewhere, fetch } = movedTo('http://mail.example.com/Microsoft-Server-ActiveSync');
    const { c } = client(fetch, { allowInsecure: true });
    const error = await failure(c.send('FolderSync'));
    expect(error.kind).toBe('redirect-other-origin');
    expect(error.location).toBe('http://mail.example.com/Microsoft-Server-ActiveSync');
    expect(elsewhere.requests).toEqual([]);
  });

  it('451 without a location asks for Autodiscover', async () => {
    const bare = client(async () => new Response(null, { status: 451 }));
    const error = await failure(bare.c.send('FolderSync'));
    expect(error.kind).toBe('redirect');
    expect(error.message).toMatch(/without X-MS-Location: the client must run Autodiscover/);
  });

  it('503: waits out a short Retry-After once when allowed, with the given timers', async () => {
    const timers = manualTimers();
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return calls === 1
        ? new Response(null, { status: 503, headers: { 'Retry-After': '2' } })
        : wbxmlResponse(el('FolderHierarchy:FolderSync', el('FolderHierarchy:Status', '1')));
    };
    const { c } = client(fetch, { timers: timers.timers, maxRetryAfterSeconds: 5 });
    const pending = c.send('FolderSync');
    await new Promise((resolve) => setImmediate(resolve));
    expect([...timers.pending.values()].map((t) => t.ms)).toContain(2000);
    timers.fireAll();
    const result = await pending;
    expect(result.status).toBe(1);
    expect(c.trace.map((s) => s.step)).toEqual(['FolderSync', 'FolderSync (retry after 503)']);
  });

  it('times out with the given timers and keeps the trace', async () => {
    const timers = manualTimers();
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const { c } = client(fetch, { timers: timers.timers, timeoutMs: 5000 });
    const pending = failure(c.options());
    await new Promise((resolve) => setImmediate(resolve));
    timers.fireAll();
    const error = await pending;
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('OPTIONS: no complete answer within 5 s');
    expect(error.trace[0]?.error?.kind).toBe('timeout');
  });

  it('network errors say what failed', async () => {
    const { c } = client(async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });
    const error = await failure(c.options());
    expect(error.kind).toBe('network');
    expect(error.message).toBe('OPTIONS: fetch failed (ECONNREFUSED)');
  });

  it('an HTML page where WBXML belongs is "not WBXML", with a readable preview in the trace', async () => {
    const { c } = client(async () => new Response('<html>Please log in</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    const error = await failure(c.provision());
    expect(error.kind).toBe('not-wbxml');
    expect(error.message).toBe('Provision: policy request (phase 1): expected a WBXML body, got 26 bytes of text/html');
    expect(c.trace[0]?.response?.body?.text).toBe('<html>Please log in</html>');
  });

  it('a WBXML body that does not decode gives the byte offset', async () => {
    const { c } = client(async () => new Response(Uint8Array.of(3, 1, 0x6a, 0, 0x45, 0x46), { headers: { 'Content-Type': 'application/vnd.ms-sync.wbxml' } }));
    const error = await failure(c.provision());
    expect(error.kind).toBe('not-wbxml');
    expect(error.offset).toBe(6);
    expect(error.message).toMatch(/not valid WBXML at byte 6/);
  });

  it('a response that is not Provision is malformed', async () => {
    const { c } = client(async () => wbxmlResponse(el('FolderHierarchy:FolderSync')));
    const error = await failure(c.provision());
    expect(error.kind).toBe('malformed-response');
    expect(error.message).toMatch(/expected a Provision response, got FolderHierarchy:FolderSync/);
  });
});

describe('OPTIONS and configuration', () => {
  it('returns what the server offers, even with a 401', async () => {
    const server = fakeServer({ password: 'other' });
    const { c } = client(server.fetch);
    const options = await c.options();
    expect(options.httpStatus).toBe(401);
    const ok = client(fakeServer().fetch);
    expect(await ok.c.options()).toMatchObject({ httpStatus: 200, highestCommonVersion: '14.1', serverVersion: '14.1' });
  });

  it('refuses plain HTTP to a remote host before sending anything, unless allowed', () => {
    const fetch: FetchLike = async () => {
      throw new Error('must not be called');
    };
    expect(() => client(fetch, { url: 'http://mail.example.com' })).toThrow(/over plain HTTP/);
    expect(() => client(fetch, { url: 'http://mail.example.com', allowInsecure: true })).not.toThrow();
    expect(() => client(fetch, { protocolVersion: 'latest' })).toThrow(/not a protocol version/);
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

describe('the trace', () => {
  it('hands each step to onStep once the client has read it, in order', async () => {
    const seen: Array<[string, string[]]> = [];
    const server = fakeServer();
    const { c } = client(server.fetch, { onStep: (step) => seen.push([step.step, [...step.notes]]) });
    await c.send('FolderSync');
    expect(seen.map(([step]) => step)).toEqual(c.trace.map((s) => s.step));
    expect(seen[0]?.[1]).toContain('HTTP 449 with Status 142: provisioning, then retrying once');
    expect(seen[1]?.[1]).toContain(`Temporary policy key: ${server.state.temporaryKey}`);
    expect(seen[2]?.[1]).toContain(`Final policy key: ${server.state.finalKey}`);
  });

  it('records request and response bodies as bytes and as XML', async () => {
    const server = fakeServer();
    const { c } = client(server.fetch);
    await c.provision();
    const step = c.trace[0];
    expect(step?.request.body?.xml).toContain('<PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>');
    expect(step?.request.body?.base64).toMatch(/^AwFqAA/);
    expect(step?.response?.body?.xml).toContain('<MinDevicePasswordLength>6</MinDevicePasswordLength>');
    expect(step?.response?.status).toBe(200);
    expect(step?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
