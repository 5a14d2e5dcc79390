import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/activesync/http';
import { element as el } from '../../src/wbxml';
import { client, manualTimers } from './helpers/client';
import { failure } from './helpers/failure';
import { fakeServer, wbxmlResponse } from './helpers/fake-server';

describe('the round trip', () => {
  it('503: waits out a short Retry-After once when allowed, with the given timers', async () => {
    const timers = manualTimers();
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return calls === 1 ? new Response(null, { status: 503, headers: { 'Retry-After': '2' } }) : wbxmlResponse(el('FolderHierarchy:FolderSync', el('FolderHierarchy:Status', '1')));
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
    const fetch: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
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
});

describe('configuration', () => {
  it('refuses plain HTTP to a remote host before sending anything, unless allowed', () => {
    const fetch: FetchLike = async () => {
      throw new Error('must not be called');
    };
    expect(() => client(fetch, { url: 'http://mail.example.com' })).toThrow(/over plain HTTP/);
    expect(() => client(fetch, { url: 'http://mail.example.com', allowInsecure: true })).not.toThrow();
    expect(() => client(fetch, { protocolVersion: 'latest' })).toThrow(/not a protocol version/);
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
