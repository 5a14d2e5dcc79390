// A hostile site for the adversarial tests: another loopback origin (127.0.0.2 by default, a
// different site from the demo Exchange on 127.0.0.1) that serves the pages a test gives it and
// records every request it receives, bodies included: where a password sent astray would land.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface HostileSite {
  /** e.g. 'http://127.0.0.2:40123' */
  origin: string;
  /** Every request received, in order. */
  requests: HostileRequest[];
  /** Serves `html` at `path` (a page of the attack); anything else is answered 200 'ok'. */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startHostileSite(host = '127.0.0.2'): Promise<HostileSite> {
  const pages = new Map<string, string>();
  const requests: HostileRequest[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers, body });
      const html = pages.get((req.url ?? '/').split('?')[0] ?? '/');
      res.writeHead(200, { 'Content-Type': html === undefined ? 'text/plain' : 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html ?? 'ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    page(path, html) {
      pages.set(path, html);
      return origin + path;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
