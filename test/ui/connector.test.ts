import { describe, expect, it, vi } from 'vitest';
import { createConnector } from '../../src/ui/connect/connector';

function deps(granted: boolean) {
  return {
    send: vi.fn(async () => ({ type: 'bg-ui-ok' }) as const),
    requestOrigins: vi.fn(async () => granted),
    requestPermissions: vi.fn(async () => granted),
    connect: vi.fn(),
    activeTabUrl: vi.fn(async () => null),
  };
}

describe('connector.watchOrigin', () => {
  it('requests the host permission of exactly that origin in the click, and sends the watch at once, to wait for the grant', async () => {
    const d = deps(true);
    expect(await createConnector(d).watchOrigin('https://mail.example.com:8443/owa/')).toEqual({ type: 'bg-ui-ok' });
    expect(d.requestOrigins).toHaveBeenCalledWith(['https://mail.example.com/*']);
    expect(d.send).toHaveBeenCalledWith({ type: 'ui-bg-watch-origin', origin: 'https://mail.example.com:8443', awaitGrant: true });
    // Asked first (the click's user gesture), and the watch sent without waiting for the answer:
    // in Chromium the prompt closes the popup, and nothing after the answer would run.
    expect(d.requestOrigins.mock.invocationCallOrder[0]!).toBeLessThan(d.send.mock.invocationCallOrder[0]!);
    const pending = { ...deps(true), requestOrigins: vi.fn(() => new Promise<boolean>(() => undefined)) };
    void createConnector(pending).watchOrigin('https://mail.example.com');
    expect(pending.send).toHaveBeenCalledWith({ type: 'ui-bg-watch-origin', origin: 'https://mail.example.com', awaitGrant: true });
  });

  it('assumes https for a bare host name', async () => {
    const d = deps(true);
    await createConnector(d).watchOrigin('mail.example.com');
    expect(d.requestOrigins).toHaveBeenCalledWith(['https://mail.example.com/*']);
    // Read as the ActiveSync server box reads it (originFromInput): spaces around do not matter.
    await createConnector(d).watchOrigin('  mail.example.org/owa/ ');
    expect(d.requestOrigins).toHaveBeenLastCalledWith(['https://mail.example.org/*']);
  });

  it('says so when the user refuses (the worker, waiting for a grant, never gets one), and never asks for junk', async () => {
    const refused = deps(false);
    expect(await createConnector(refused).watchOrigin('https://mail.example.com')).toMatchObject({ type: 'bg-ui-error' });
    const junk = deps(true);
    expect(await createConnector(junk).watchOrigin('ftp://x')).toMatchObject({ type: 'bg-ui-error' });
    expect(junk.requestOrigins).not.toHaveBeenCalled();
  });

  it('asks for notifications only when turning warnings on', async () => {
    const d = deps(true);
    await createConnector(d).setNotify('https://m.example.com', true);
    expect(d.requestPermissions).toHaveBeenCalledWith(['notifications']);
    expect(d.send).toHaveBeenCalledWith({ type: 'ui-bg-set-settings', origin: 'https://m.example.com', settings: { notify: true } });
    const off = deps(true);
    await createConnector(off).setNotify('https://m.example.com', false);
    expect(off.requestPermissions).not.toHaveBeenCalled();
    const refused = deps(false);
    expect(await createConnector(refused).setNotify('https://m.example.com', true)).toMatchObject({ type: 'bg-ui-error' });
    expect(refused.send).not.toHaveBeenCalled();
  });

  it('subscribes through the sessions port', () => {
    const listeners: Array<(m: unknown) => void> = [];
    const port = { onMessage: { addListener: (l: (m: unknown) => void) => listeners.push(l) }, disconnect: vi.fn() };
    const d = { ...deps(true), connect: vi.fn(() => port) };
    const seen: unknown[] = [];
    const stop = createConnector(d).subscribeSessions((u) => seen.push(u));
    expect(d.connect).toHaveBeenCalledWith('bg-ui-sessions');
    listeners[0]!({ type: 'bg-ui-sessions', sessions: [], vault: 'none' });
    listeners[0]!({ type: 'other' });
    expect(seen).toEqual([{ sessions: [], vault: 'none' }]);
    stop();
    expect(port.disconnect).toHaveBeenCalled();
  });

  it('asks for the ActiveSync server host in the click, then runs it in the worker', async () => {
    const d = deps(true);
    const run = { server: 'mail.example.com:8443', user: 'u', password: 'p', protocolVersion: '14.1' };
    await createConnector(d).runEas({ type: 'ui-bg-eas-provision', acknowledge: true, ...run });
    expect(d.requestOrigins).toHaveBeenCalledWith(['https://mail.example.com/*']);
    expect(d.send).toHaveBeenCalledWith({ type: 'ui-bg-eas-provision', acknowledge: true, ...run, awaitGrant: true });
    expect(d.requestOrigins.mock.invocationCallOrder[0]!).toBeLessThan(d.send.mock.invocationCallOrder[0]!);
    const refused = deps(false);
    expect(await createConnector(refused).runEas({ type: 'ui-bg-eas-options', server: 'http://127.0.0.1:5000' })).toMatchObject({ type: 'bg-ui-error' });
    expect(refused.requestOrigins).toHaveBeenCalledWith(['http://127.0.0.1/*']);
    // The acknowledgement goes to a server already granted.
    const ack = deps(true);
    await createConnector(ack).runEas({ type: 'ui-bg-eas-acknowledge', runId: 'r1' });
    expect(ack.requestOrigins).not.toHaveBeenCalled();
  });

  it('subscribes a timeline port to one origin', () => {
    const listeners: Array<(m: unknown) => void> = [];
    const port = { onMessage: { addListener: (l: (m: unknown) => void) => listeners.push(l) }, postMessage: vi.fn(), disconnect: vi.fn() };
    const d = { ...deps(true), connect: vi.fn(() => port) };
    const seen: unknown[] = [];
    createConnector(d).subscribeTimeline('https://m.example.com', (events) => seen.push(events));
    expect(d.connect).toHaveBeenCalledWith('bg-ui-timeline');
    expect(port.postMessage).toHaveBeenCalledWith({ type: 'ui-bg-get-timeline', origin: 'https://m.example.com' });
    listeners[0]!({ type: 'bg-ui-timeline', origin: 'https://other.example.com', events: [1] });
    listeners[0]!({ type: 'bg-ui-timeline', origin: 'https://m.example.com', events: [2] });
    expect(seen).toEqual([[2]]);
  });
});

describe('connector subscriptions across a background restart', () => {
  class FakePort {
    readonly messages: Array<(m: unknown) => void> = [];
    readonly closes: Array<() => void> = [];
    readonly posted: unknown[] = [];
    disconnected = false;
    onMessage = { addListener: (l: (m: unknown) => void) => void this.messages.push(l) };
    onDisconnect = { addListener: (l: () => void) => void this.closes.push(l) };
    postMessage(m: unknown) {
      this.posted.push(m);
    }
    disconnect() {
      this.disconnected = true;
    }
    push(m: unknown) {
      for (const l of this.messages) l(m);
    }
    /** The background stopped: the page's end hears onDisconnect. */
    close() {
      for (const l of this.closes) l();
    }
  }

  function setup() {
    const ports: FakePort[] = [];
    let started: (() => void) | null = null;
    const d = {
      ...deps(true),
      connect: vi.fn(() => {
        const port = new FakePort();
        ports.push(port);
        return port;
      }),
      onBackgroundStarted: (listener: () => void) => {
        started = listener;
      },
    };
    return { d, ports, start: () => started!() };
  }

  it('connects again when the background says it started, and gets the new pushes', () => {
    const { d, ports, start } = setup();
    const seen: unknown[] = [];
    createConnector(d).subscribeSessions((u) => seen.push(u));
    ports[0]!.close();
    // Not at once: connecting would wake the stopped background (an event page restarted every 30 s).
    expect(d.connect).toHaveBeenCalledTimes(1);
    start();
    expect(d.connect).toHaveBeenCalledTimes(2);
    ports[1]!.push({ type: 'bg-ui-sessions', sessions: [], vault: 'locked' });
    expect(seen).toEqual([{ sessions: [], vault: 'locked' }]);
    // Started again with every port alive: nothing to do.
    start();
    expect(d.connect).toHaveBeenCalledTimes(2);
  });

  it('a timeline subscription asks for its origin again on the new port', () => {
    const { d, ports, start } = setup();
    createConnector(d).subscribeTimeline('https://m.example.com', () => undefined);
    ports[0]!.close();
    start();
    expect(ports[1]!.posted).toEqual([{ type: 'ui-bg-get-timeline', origin: 'https://m.example.com' }]);
  });

  it('connects again after any answer from the background (the page talked to it: it is up)', async () => {
    const { d, ports } = setup();
    const connector = createConnector(d);
    connector.subscribeEas(() => undefined);
    ports[0]!.close();
    await connector.send({ type: 'ui-bg-ping' });
    expect(d.connect).toHaveBeenCalledTimes(2);
    expect(d.connect).toHaveBeenLastCalledWith('bg-ui-eas');
  });

  it('an unsubscribed page is not connected again', () => {
    const { d, ports, start } = setup();
    const stop = createConnector(d).subscribeSettings(() => undefined);
    ports[0]!.close();
    stop();
    start();
    expect(d.connect).toHaveBeenCalledTimes(1);
    const stopLive = createConnector(d).subscribeSettings(() => undefined);
    stopLive();
    expect(ports[1]!.disconnected).toBe(true);
    ports[1]!.close();
    start();
    expect(d.connect).toHaveBeenCalledTimes(2);
  });
});
