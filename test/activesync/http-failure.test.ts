import { describe, expect, it } from 'vitest';
import { client, PASSWORD, PASSWORD_BASE64 } from './helpers/client';
import { failure } from './helpers/failure';
import { fakeServer } from './helpers/fake-server';

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
});
