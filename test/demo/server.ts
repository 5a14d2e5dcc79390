// startDemoExchange: one node:http server imitating one Exchange generation, recording every
// request so tests can see where each password went. Loopback-only unless told otherwise.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Accounts, DEFAULT_USERS } from './accounts';
import { activeSync } from './activesync';
import type { ExchangeContext, Route } from './context';
import { parseCookies, readBody, sendError, type DemoRequest } from './http';
import { nonFormsRoute } from './non-forms';
import { owa2003 } from './owa-2003';
import { owa2010, OWA_VERSION } from './owa-2010';
import { owa2016 } from './owa-2016';
import { SessionStore } from './sessions';
import { createTestCertificate, DEMO_HOSTNAME, type TestCertificate } from './tls';
import type { DemoExchange, DemoExchangeOptions, Generation, RecordedRequest } from './types';

/** Where credentials are posted: the forms endpoints of each generation, TMG and AD FS. */
const LOGON_POST_PATHS = new Set(['/owa/auth.owa', '/owa/auth/owaauth.dll', '/exchweb/bin/auth/owaauth.dll', '/cookieauth.dll', '/adfs/ls/', '/adfs/ls']);

/** The demo's own control, used by the mailbox pages' "Expire session now" button. */
const EXPIRE_PATH = '/demo-exchange/expire';

export async function startDemoExchange(options: DemoExchangeOptions): Promise<DemoExchange> {
  const fbaMode = options.fbaMode ?? 'forms';
  if (options.generation === '2003' && (fbaMode === 'adfs' || fbaMode === 'entra')) {
    throw new Error(`fbaMode '${fbaMode}' needs generation '2010' or '2016': Exchange 2003 had no claims or modern authentication`);
  }
  const now = options.now ?? Date.now;
  const publicTimeoutSeconds = options.publicTimeoutSeconds ?? 60;
  const privateTimeoutSeconds = options.privateTimeoutSeconds ?? 180;
  const accounts = new Accounts(options.users ?? DEFAULT_USERS);
  const ctx: ExchangeContext = {
    generation: options.generation,
    fbaMode,
    checkOrigin: options.checkOrigin ?? false,
    activesync: options.activesync ?? false,
    notificationHoldMs: options.notificationHoldMs ?? 25_000,
    publicTimeoutSeconds,
    privateTimeoutSeconds,
    now,
    accounts,
    sessions: new SessionStore(now, { publicMs: publicTimeoutSeconds * 1000, privateMs: privateTimeoutSeconds * 1000 }),
    heldTimeouts: { toHold: 0, held: [] },
  };
  const routes: Route[] = [];
  if (options.activesync) routes.push(activeSync);
  const formsRoutes = { '2003': owa2003, '2010': owa2010, '2016': owa2016 } as const;
  routes.push(fbaMode === 'forms' ? formsRoutes[options.generation] : nonFormsRoute(ctx));

  const requests: RecordedRequest[] = [];
  // Logon POSTs received but not yet answered (see DemoExchange.holdLogonPosts).
  const heldPosts: { toHold: number; held: Array<() => void> } = { toHold: 0, held: [] };
  let logonPostRedirect: { status: number; location: string } | null = null;
  const tls = options.tls;
  const scheme = tls ? 'https' : 'http';
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (tls) secureCookies(res);
    handle(req, res).catch((error: unknown) => {
      options.log?.(`demo exchange: ${req.method} ${pathOf(req.url)} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendError(res, 500);
      else res.destroy();
    });
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest) : createServer(onRequest);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = now();
    const body = await readBody(req);
    requests.push(record(req, body, at));
    if (options.log) res.on('finish', () => options.log?.(`${req.method} ${pathOf(req.url)} ${res.statusCode}`));
    if (req.method === 'POST' && LOGON_POST_PATHS.has(pathOf(req.url).toLowerCase()) && heldPosts.toHold > 0) {
      heldPosts.toHold--;
      await new Promise<void>((resolve) => heldPosts.held.push(resolve));
    }
    if (req.method === 'POST' && LOGON_POST_PATHS.has(pathOf(req.url).toLowerCase()) && logonPostRedirect) {
      const { status, location } = logonPostRedirect;
      res.writeHead(status, { Location: location, 'Content-Length': 0 }).end();
      return;
    }
    const request = demoRequest(req, body, fallbackHost, scheme);
    serverHeaders(res, ctx.generation);
    if (request.url.pathname === EXPIRE_PATH && req.method === 'POST') {
      ctx.sessions.expireAll();
      res.writeHead(204, 'No Content').end();
      return;
    }
    for (const route of routes) {
      if (await route(ctx, request, res)) return;
    }
    sendError(res, 404);
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const name = options.hostname ?? host;
  const fallbackHost = `${name.includes(':') ? `[${name}]` : name}:${port}`;
  const origin = `${scheme}://${fallbackHost}`;

  return {
    origin,
    address: { host, port },
    generation: options.generation,
    requests,
    logonPosts: () => requests.filter((r) => r.method === 'POST' && LOGON_POST_PATHS.has(pathOf(r.url).toLowerCase())),
    expireSessions: () => ctx.sessions.expireAll(),
    holdLoginTimeouts: (count) => {
      ctx.heldTimeouts.toHold = count;
    },
    heldLoginTimeouts: () => ctx.heldTimeouts.held.length,
    releaseLoginTimeouts: () => {
      for (const send of ctx.heldTimeouts.held.splice(0)) send();
    },
    holdLogonPosts: (count) => {
      heldPosts.toHold = count;
    },
    heldLogonPosts: () => heldPosts.held.length,
    releaseLogonPosts: () => {
      for (const answer of heldPosts.held.splice(0)) answer();
    },
    redirectLogonPosts: (redirect) => {
      logonPostRedirect = redirect;
    },
    sessions: () => ctx.sessions.live(),
    setPassword: (user, password) => accounts.setPassword(user, password),
    close: () =>
      new Promise<void>((resolve, reject) => {
        ctx.heldTimeouts.held.length = 0;
        heldPosts.held.length = 0;
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

function record(req: IncomingMessage, body: Buffer, at: number): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers, body: body.toString('utf8'), bodyBytes: new Uint8Array(body), at };
}

function demoRequest(req: IncomingMessage, body: Buffer, fallbackHost: string, scheme: 'http' | 'https'): DemoRequest {
  const selfOrigin = `${scheme}://${req.headers.host ?? fallbackHost}`;
  const rawUrl = req.url ?? '/';
  return {
    method: req.method ?? 'GET',
    url: new URL(rawUrl, selfOrigin),
    rawUrl,
    headers: req.headers,
    body,
    cookies: parseCookies(req.headers.cookie),
    selfOrigin,
  };
}

/** What IIS and Exchange put on every answer; X-Demo-Exchange says plainly that this is not one. */
/** Over HTTPS, as real Exchange does, every cookie the demo sets is Secure. */
function secureCookies(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    if (name.toLowerCase() !== 'set-cookie') return setHeader(name, value);
    const lines = (Array.isArray(value) ? value : [String(value)]).map((line) => (/;\s*secure\b/i.test(line) ? line : `${line}; Secure`));
    return setHeader(name, lines);
  };
}

function serverHeaders(res: ServerResponse, generation: Generation): void {
  res.setHeader('X-Demo-Exchange', `OWA Inspector demo Exchange ${generation} (a test tool, not a real server)`);
  res.setHeader('X-Powered-By', 'ASP.NET');
  if (generation === '2003') {
    res.setHeader('Server', 'Microsoft-IIS/6.0');
    res.setHeader('MicrosoftOfficeWebServer', '5.0_Pub');
  } else {
    res.setHeader('Server', 'Microsoft-IIS/10.0');
    res.setHeader('request-id', randomUUID());
    res.setHeader('X-FEServer', 'DEMO-EX01');
    res.setHeader('X-OWA-Version', OWA_VERSION);
  }
}

/**
 * The demo over HTTPS on a host name, as users reach Exchange: a certificate made for the run
 * (`createTestCertificate`), served on 127.0.0.1. Browsers map the name with chromiumArgsFor
 * (Chromium) or the harness's loopbackHosts (Firefox).
 */
export async function startDemoExchangeOverHttps(
  options: Omit<DemoExchangeOptions, 'host' | 'hostname' | 'tls'>,
  hostname = DEMO_HOSTNAME,
): Promise<{ demo: DemoExchange; certificate: TestCertificate }> {
  const certificate = createTestCertificate(hostname);
  const demo = await startDemoExchange({ ...options, host: '127.0.0.1', hostname: certificate.hostname, tls: certificate });
  return { demo, certificate };
}
