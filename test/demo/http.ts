// Small HTTP helpers shared by every imitated endpoint: parsed requests, cookies, redirects,
// and the non-IANA status lines Exchange uses.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface DemoRequest {
  method: string;
  url: URL;
  /** The path and query exactly as received (TMG URLs such as '/CookieAuth.dll?GetLogon?curl=…' are not valid queries). */
  rawUrl: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  cookies: Map<string, string>;
  /** http://<Host header>: what the browser believes this server's origin is. */
  selfOrigin: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // A quoted value (2003's cadata="…") means the same as the bare one.
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export function header(req: DemoRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export interface CookieOptions {
  httpOnly?: boolean;
  path?: string;
}

/**
 * The demo is http on loopback, so no cookie is Secure (Chromium would drop it); real
 * Exchange marks its auth cookies Secure over https.
 */
export function setCookie(name: string, value: string, options: CookieOptions = {}): string {
  return `${name}=${value}; path=${options.path ?? '/'}${options.httpOnly ? '; HttpOnly' : ''}`;
}

/** How Exchange drops a cookie: an empty value that expired in 1970. */
export function clearCookie(name: string, path = '/'): string {
  return `${name}=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=${path}`;
}

export function redirect(res: ServerResponse, location: string, headers: OutgoingHttpHeaders = {}): void {
  const body = `<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="${escapeHtml(location)}">here</a>.</h2></body></html>`;
  res.writeHead(302, 'Found', {
    ...headers,
    Location: location,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function send(res: ServerResponse, status: number, body: string | Uint8Array, contentType: string, headers: OutgoingHttpHeaders = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, statusText(status), {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': bytes.length,
  });
  res.end(bytes);
}

export function sendHtml(res: ServerResponse, html: string, headers: OutgoingHttpHeaders = {}): void {
  send(res, 200, html, 'text/html; charset=utf-8', { 'Cache-Control': 'no-cache, no-store', ...headers });
}

export function sendError(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  const text = `${status} ${statusText(status)}`;
  send(res, status, `<html><head><title>${text}</title></head><body><h1>${text}</h1></body></html>`, 'text/html; charset=utf-8', headers);
}

/** Exchange's own status codes are not in Node's table; the exact reason phrase matters to clients. */
export function statusText(status: number): string {
  switch (status) {
    case 440:
      return 'Login Timeout';
    case 449:
      return 'Retry With';
    case 207:
      return 'Multi-Status';
    default:
      return STATUS_TEXT[status] ?? 'Unknown';
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A form body; undefined when the request is not application/x-www-form-urlencoded. */
export function formOf(req: DemoRequest): URLSearchParams | undefined {
  const type = header(req, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(req.body.toString('utf8'));
}

/**
 * Only a browser navigation can be answered with a redirect to the logon page; scripts
 * (XHR/fetch, WebDAV, POSTs) get 440 because they cannot show it. OWA tells them apart by
 * method and by the headers its scripts add.
 */
export function isPlainGet(req: DemoRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (header(req, 'x-requested-with')) return false;
  return !Object.keys(req.headers).some((name) => name.startsWith('x-owa-'));
}
