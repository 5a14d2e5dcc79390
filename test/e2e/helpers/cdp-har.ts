// A HAR 1.2 file of what a Chromium tab sent and received, recorded from the DevTools protocol's
// Network events as DevTools' own network panel records them (its HAR export is not reachable
// from a test): request bodies as the text Chromium reports (`postData`), response bodies from
// Network.getResponseBody (base64 for binary types, `encoding: "base64"`), headers as received.
import type { CDPSession, Page } from 'puppeteer-core';

interface Pending {
  requestId: string;
  wallTime: number;
  timestamp: number;
  request: { method: string; url: string; headers: Record<string, string>; postData?: string };
  response?: { status: number; statusText: string; headers: Record<string, string>; mimeType: string; protocol?: string };
  finishedAt?: number;
  encodedDataLength?: number;
}

const pairs = (headers: Record<string, string>) => Object.entries(headers).map(([name, value]) => ({ name, value }));

export interface HarRecorder {
  /** Waits for every request seen to finish, then writes the HAR log as JSON. */
  har(): Promise<string>;
  stop(): Promise<void>;
}

export async function recordHar(page: Page): Promise<HarRecorder> {
  const session: CDPSession = await page.createCDPSession();
  await session.send('Network.enable', { maxPostDataSize: 1024 * 1024 });
  const requests = new Map<string, Pending>();
  const order: string[] = [];
  session.on('Network.requestWillBeSent', (e) => {
    // A redirect reuses the id: the earlier hop is not kept (the demo client makes none).
    if (!requests.has(e.requestId)) order.push(e.requestId);
    const request: Pending['request'] = { method: e.request.method, url: e.request.url + (e.request.urlFragment ?? ''), headers: e.request.headers };
    if (e.request.postData !== undefined) request.postData = e.request.postData;
    requests.set(e.requestId, { requestId: e.requestId, wallTime: e.wallTime, timestamp: e.timestamp, request });
  });
  session.on('Network.responseReceived', (e) => {
    const pending = requests.get(e.requestId);
    if (pending)
      pending.response = { status: e.response.status, statusText: e.response.statusText, headers: e.response.headers, mimeType: e.response.mimeType, protocol: e.response.protocol };
  });
  session.on('Network.loadingFinished', (e) => {
    const pending = requests.get(e.requestId);
    if (pending) {
      pending.finishedAt = e.timestamp;
      pending.encodedDataLength = e.encodedDataLength;
    }
  });
  session.on('Network.loadingFailed', (e) => {
    const pending = requests.get(e.requestId);
    if (pending) pending.finishedAt = e.timestamp;
  });

  return {
    async har() {
      const entries = [];
      for (const id of order) {
        const p = requests.get(id)!;
        if (p.finishedAt === undefined || !p.response) continue;
        let content: { size: number; mimeType: string; text?: string; encoding?: string } = { size: 0, mimeType: p.response.mimeType };
        try {
          const body = (await session.send('Network.getResponseBody', { requestId: id })) as { body: string; base64Encoded: boolean };
          content = { size: body.base64Encoded ? Buffer.from(body.body, 'base64').length : Buffer.byteLength(body.body), mimeType: p.response.mimeType, text: body.body };
          if (body.base64Encoded) content.encoding = 'base64';
        } catch {
          // No body (OPTIONS, 449 without one, a 302).
        }
        const httpVersion = p.response.protocol === 'h2' ? 'HTTP/2.0' : 'HTTP/1.1';
        const requestHeaders = pairs(p.request.headers);
        entries.push({
          startedDateTime: new Date(p.wallTime * 1000).toISOString(),
          time: Math.max(0, (p.finishedAt - p.timestamp) * 1000),
          request: {
            method: p.request.method,
            url: p.request.url,
            httpVersion,
            headers: requestHeaders,
            queryString: [...new URL(p.request.url).searchParams].map(([name, value]) => ({ name, value })),
            cookies: [],
            headersSize: -1,
            bodySize: p.request.postData !== undefined ? Buffer.byteLength(p.request.postData) : 0,
            ...(p.request.postData !== undefined ? { postData: { mimeType: p.request.headers['Content-Type'] ?? '', text: p.request.postData } } : {}),
          },
          response: {
            status: p.response.status,
            statusText: p.response.statusText,
            httpVersion,
            headers: pairs(p.response.headers),
            cookies: [],
            content,
            redirectURL: '',
            headersSize: -1,
            bodySize: p.encodedDataLength ?? -1,
          },
          cache: {},
          timings: { send: 0, wait: Math.max(0, (p.finishedAt - p.timestamp) * 1000), receive: 0 },
        });
      }
      const version = (await page.browser().version()).replace(/^[^/]*\//, '');
      return JSON.stringify({ log: { version: '1.2', creator: { name: 'Chromium (DevTools protocol Network events)', version }, pages: [], entries } }, null, 2);
    },
    async stop() {
      await session.detach().catch(() => undefined);
    },
  };
}
