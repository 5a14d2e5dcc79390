// Copy and save: a request as a curl command, records as HAR, bodies as XML. Credentials stay
// out: curl gets the user name only (curl asks for the password), cookies are left out, and HAR
// has Authorization, Cookie and Set-Cookie values redacted.
import { redactHeaders } from '../../../activesync/trace';
import { toXml } from '../../../wbxml/toXml';
import { fromBase64, toBase64 } from '../../../shared/base64';
import { decodeUtf8Lossy } from '../../../wbxml/utils/utf8';
import type { Decoded } from './decoded';
import type { HarCookie, HarEntry, HarHeader } from './har';
import type { EasRecord } from './record';

/** A string as one shell word in single quotes. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Headers curl sets itself, and those that carry credentials. */
const CURL_SKIP = new Set(['host', 'content-length', 'connection', 'authorization', 'proxy-authorization', 'cookie', 'accept-encoding']);

/** The user name in a Basic Authorization value, if it is one. */
export function basicUser(authorization: string | undefined): string | undefined {
  const match = /^\s*Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const bytes = fromBase64(match[1]!);
  if (!bytes) return undefined;
  const decoded = decodeUtf8Lossy(bytes);
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
}

export interface CurlOptions {
  /** The request body, when it could be recovered. */
  body?: Uint8Array;
  /** Text to put in a comment when the body could not be recovered. */
  missingBody?: string;
}

/**
 * The request as a bash command. A WBXML body goes in as base64 piped through `base64 -d`
 * (binary cannot be a shell argument); Basic credentials become `--user NAME`, so curl asks for
 * the password; cookies are left out (OWA's cookies are a signed-in session).
 */
export function toCurl(record: EasRecord, options: CurlOptions = {}): string {
  const { request } = record.entry;
  const lines: string[] = [];
  const args: string[] = [];
  if (request.method !== 'GET' && !(request.method === 'POST' && options.body)) args.push(`-X ${request.method}`);
  const authorization = request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value;
  const user = basicUser(authorization);
  if (user !== undefined) args.push(`--user ${shellQuote(user)}`);
  for (const h of request.headers) {
    const name = h.name.toLowerCase();
    if (CURL_SKIP.has(name) || name.startsWith(':')) continue;
    args.push(`-H ${shellQuote(`${h.name}: ${h.value}`)}`);
  }
  if (authorization !== undefined && user === undefined) {
    lines.push(`# The ${authorization.split(/\s+/)[0] ?? ''} Authorization header was left out: add your own credentials.`);
  }
  if (request.headers.some((h) => h.name.toLowerCase() === 'cookie')) lines.push('# Cookies were left out: they are a signed-in session.');
  let prefix = '';
  if (options.body && options.body.length > 0) {
    prefix = `printf %s ${shellQuote(toBase64(options.body))} | base64 -d | `;
    args.push('--data-binary @-');
  } else if (options.missingBody) {
    lines.push(`# ${options.missingBody}`);
  }
  args.push(shellQuote(request.url));
  lines.push(`${prefix}curl ${args.join(' \\\n  ')}`);
  return lines.join('\n');
}

const REDACTED = '[redacted]';
const COOKIE_HEADERS = new Set(['cookie', 'set-cookie']);

function redactCookieHeaders(headers: readonly HarHeader[]): HarHeader[] {
  return redactHeaders(headers.map((h) => [h.name, h.value] as const)).map(([name, value]) => ({
    name,
    value: COOKIE_HEADERS.has(name.toLowerCase()) ? redactCookieValue(name, value) : value,
  }));
}

/** `a=1; b=2` → `a=[redacted]; b=[redacted]`; Set-Cookie keeps its attributes. */
function redactCookieValue(name: string, value: string): string {
  if (name.toLowerCase() === 'cookie') return value.split(/;\s*/).map((pair) => `${pair.split('=')[0]}=${REDACTED}`).join('; ');
  return value
    .split('\n')
    .map((line) => {
      const [first, ...attributes] = line.split(';');
      const cookieName = (first ?? '').split('=')[0];
      return [`${cookieName}=${REDACTED}`, ...attributes].join(';');
    })
    .join('\n');
}

function redactCookies(cookies: readonly HarCookie[] | undefined): HarCookie[] {
  return (cookies ?? []).map((c) => ({ ...c, value: REDACTED }));
}

export interface HarCreator {
  name: string;
  version: string;
}

/** One record as a HAR entry: bodies included as base64, credentials redacted. */
export function toHarEntry(record: EasRecord): HarEntry {
  const { request, response } = record.entry;
  const requestOut: HarEntry['request'] = {
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion ?? 'HTTP/1.1',
    headers: redactCookieHeaders(request.headers),
    cookies: redactCookies(request.cookies),
    queryString: request.queryString ?? [],
    headersSize: request.headersSize ?? -1,
    bodySize: record.requestBody.state === 'bytes' ? record.requestBody.bytes.length : (record.requestSize ?? -1),
  };
  const mimeType = request.postData?.mimeType ?? request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  if (record.requestBody.state === 'bytes') {
    // HAR 1.2 has no encoding for postData; `_encoding` says how to read `text`.
    requestOut.postData = { mimeType, text: toBase64(record.requestBody.bytes), _encoding: 'base64' };
  } else if (record.requestBody.state === 'unavailable') {
    requestOut.comment = `request body not exported: ${record.requestBody.reason}`;
  }
  const content: HarEntry['response']['content'] = {
    size: record.responseBody?.state === 'bytes' ? record.responseBody.bytes.length : (response.content.size ?? -1),
    mimeType: response.content.mimeType ?? '',
  };
  if (record.responseBody?.state === 'bytes') {
    content.text = toBase64(record.responseBody.bytes);
    content.encoding = 'base64';
  }
  return {
    startedDateTime: record.entry.startedDateTime,
    time: record.entry.time,
    request: requestOut,
    response: {
      status: response.status,
      statusText: response.statusText,
      httpVersion: response.httpVersion ?? 'HTTP/1.1',
      headers: redactCookieHeaders(response.headers),
      cookies: redactCookies(response.cookies),
      content,
      redirectURL: response.redirectURL ?? '',
      headersSize: response.headersSize ?? -1,
      bodySize: response.bodySize ?? -1,
    },
    cache: {},
    timings: { send: 0, wait: record.entry.time, receive: 0, ...record.entry.timings },
  };
}

export function toHar(records: readonly EasRecord[], creator: HarCreator): string {
  const log = {
    log: {
      version: '1.2',
      creator,
      pages: [],
      entries: records.map(toHarEntry),
    },
  };
  return JSON.stringify(log, null, 2);
}

/** A decoded body as an XML document, or undefined when it is not WBXML. */
export function toXmlDocument(decoded: Decoded): string | undefined {
  return decoded.kind === 'wbxml' ? toXml(decoded.doc, { declaration: true }) : undefined;
}

/** A file name for a record's export, e.g. "FolderSync-response-12.xml". */
export function fileName(record: EasRecord, suffix: string): string {
  return `${record.command.replace(/[^\w.-]+/g, '_') || 'request'}-${suffix}`;
}
