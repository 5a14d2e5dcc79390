// Copy and save: a request as a curl command, records as HAR, bodies as XML. Credentials stay
// out: curl gets the user name only (curl asks for the password), cookies are left out, and HAR
// has Authorization, Cookie and Set-Cookie values redacted.
import { redactHeaders } from '../../../activesync/trace';
import { toXml } from '../../../wbxml/toXml';
import { fromBase64, toBase64 } from '../../../shared/base64';
import { decodeUtf8Lossy } from '../../../wbxml/utils/utf8';
import { canBeArgument, commentText, shellQuote } from './shell';
import type { Decoded } from './decoded';
import type { HarCookie, HarEntry, HarHeader } from './har';
import type { EasRecord } from './record';

/** Headers curl sets itself, and those that carry credentials. */
const CURL_SKIP = new Set(['host', 'content-length', 'connection', 'authorization', 'proxy-authorization', 'cookie', 'accept-encoding']);

/** An HTTP token (RFC 9110): what fetch() and XMLHttpRequest accept as a method or header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A URL as browsers record it: serialized URLs hold no white space or control characters. One
 * that does would have curl put them in the request line (a line break starts a new header).
 */
const SENDABLE_URL = /^[^\x00-\x20\x7f]+$/;

/** Header values curl would send as more than one line, or cannot be given at all. */
const UNSENDABLE_VALUE = /[\0\r\n]/;

/** What curl treats as an empty value after "Name:" (it then leaves the header out). */
const BLANK = /^[ \t\v\f]*$/;

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
 * The request as a bash command. Every part taken from the traffic is one quoted word (see
 * shell.ts), and the URL goes in with --globoff and --url, so that curl neither expands `[1-3]`
 * and `{a,b}` nor reads a URL as an option. A body goes in as base64 piped through `base64 -d`
 * (binary cannot be a shell argument); Basic credentials become `--user NAME`, so curl asks for
 * the password; cookies are left out (OWA's cookies are a signed-in session). A request no
 * browser could have sent (its method not a token, white space in its URL) gives only a comment:
 * curl would send something else. Comments hold no text from the traffic but an alphanumeric
 * scheme name, because an interactive zsh without interactive_comments runs `#` lines.
 */
export function toCurl(record: EasRecord, options: CurlOptions = {}): string {
  const { request } = record.entry;
  if (!TOKEN.test(request.method) || !SENDABLE_URL.test(request.url)) {
    return '# This request cannot be written as a curl command: its method or URL holds characters no browser sends.';
  }
  const lines: string[] = [];
  const args: string[] = [];
  const body = options.body && options.body.length > 0 ? options.body : undefined;
  // curl sends GET, or POST when given data: any other method is named.
  if (request.method !== (body ? 'POST' : 'GET')) args.push(`-X ${shellQuote(request.method)}`);
  const authorization = request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value;
  const basic = basicUser(authorization);
  const user = basic !== undefined && canBeArgument(basic) ? basic : undefined;
  if (user !== undefined) args.push(`--user ${shellQuote(user)}`);
  let leftOut = 0;
  for (const h of request.headers) {
    const name = h.name.toLowerCase();
    if (CURL_SKIP.has(name) || name.startsWith(':')) continue;
    if (!TOKEN.test(h.name) || UNSENDABLE_VALUE.test(h.value)) {
      leftOut++;
      continue;
    }
    // "Name:" with nothing after it makes curl leave the header out; "Name;" sends it empty.
    args.push(`-H ${shellQuote(BLANK.test(h.value) ? `${h.name};` : `${h.name}: ${h.value}`)}`);
  }
  if (leftOut > 0) {
    lines.push(`# ${leftOut} ${leftOut === 1 ? 'header was' : 'headers were'} left out: curl cannot send their name or value as it was.`);
  }
  if (authorization !== undefined && user === undefined) {
    const scheme = authorization.trim().split(/[ \t]+/)[0] ?? '';
    lines.push(`# The ${/^[A-Za-z0-9-]+$/.test(scheme) ? `${scheme} ` : ''}Authorization header was left out: add your own credentials.`);
  }
  if (request.headers.some((h) => h.name.toLowerCase() === 'cookie')) lines.push('# Cookies were left out: they are a signed-in session.');
  let prefix = '';
  if (body) {
    prefix = `printf %s ${shellQuote(toBase64(body))} | base64 -d | `;
    args.push('--data-binary @-');
  } else if (options.missingBody) {
    lines.push(`# ${commentText(options.missingBody)}`);
  }
  args.push(`--globoff --url ${shellQuote(request.url)}`);
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
  if (name.toLowerCase() === 'cookie')
    return value
      .split(/;\s*/)
      .map((pair) => `${pair.split('=')[0]}=${REDACTED}`)
      .join('; ');
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
  } else if (record.requestBody.state === 'xml') {
    // Only XML is known (a mailbox log): exported as XML text, which is not what went over the wire.
    requestOut.postData = { mimeType: 'text/xml', text: record.requestBody.xml };
    requestOut.comment = 'request body as XML text: the capture held no WBXML bytes';
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
  } else if (record.responseBody?.state === 'xml') {
    content.text = record.responseBody.xml;
    content.mimeType = 'text/xml';
    content.comment = 'response body as XML text: the capture held no WBXML bytes';
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
  // The command comes from the traffic: no leading dot or dash (a hidden file, an option to a
  // tool given the name), and short enough for any file system.
  const stem = record.command
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 64);
  return `${stem || 'request'}-${suffix}`;
}
