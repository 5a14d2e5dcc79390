import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/activesync/http';
import { client } from './helpers/client';
import { failure } from './helpers/failure';
import { fakeServer } from './helpers/fake-server';

describe('HTTP 451', () => {
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
    expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual(['/Microsoft-Server-ActiveSync', '/eas2/Microsoft-Server-ActiveSync', '/eas2/Microsoft-Server-ActiveSync']);
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
});
