// Building ActiveSync HTTP requests (MS-ASHTTP 2.2.1): the URL with its query in either form and
// the headers, and refusing to send Basic credentials where they could be read on the wire.
import { toBase64 } from '../shared/base64';
import { isLoopbackHost } from '../shared/loopback';
import { PRODUCT_USER_AGENT } from '../shared/version';
import { encodeUtf8 } from '../wbxml/utils/utf8';
import { ActiveSyncError } from './errors';
import { encodeBase64Query, encodePlainQuery, type EasQuery } from './query-string';
import { compareVersions } from './versions';

/** Part of the client's API (src/activesync/index.ts); the rule itself is shared with OWA's sign-in. */
export { isLoopbackHost };

export const EAS_PATH = '/Microsoft-Server-ActiveSync';
export const WBXML_CONTENT_TYPE = 'application/vnd.ms-sync.wbxml';
export const DEFAULT_USER_AGENT = PRODUCT_USER_AGENT;
export const DEFAULT_DEVICE_TYPE = 'OWAInspector';

export interface HttpRequest {
  method: 'POST' | 'OPTIONS';
  url: string;
  headers: Array<[string, string]>;
  body?: Uint8Array;
}

/**
 * The ActiveSync endpoint for what a user typed: "https://mail.example.com",
 * "mail.example.com/" or the full ".../Microsoft-Server-ActiveSync" all give the same URL.
 */
export function activeSyncUrl(input: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `https://${input}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ActiveSyncError('invalid-input', `"${input}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ActiveSyncError('invalid-input', `"${input}" is not an http or https URL`);
  }
  if (url.username || url.password) {
    throw new ActiveSyncError('invalid-input', 'put the user name in --user, not in the URL');
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.toLowerCase().endsWith(EAS_PATH.toLowerCase())) {
    url.pathname = url.pathname.replace(/\/+$/, '') + EAS_PATH;
  }
  return url.toString();
}

/**
 * Basic credentials over plain HTTP can be read by anyone on the path, so they only go to a
 * loopback host unless the caller explicitly allows it.
 */
export function checkTransportSecurity(url: string, allowInsecure: boolean): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname) && !allowInsecure) {
    throw new ActiveSyncError(
      'insecure-transport',
      `refusing to send the password to ${parsed.host} over plain HTTP: anyone on the network could read it. ` +
        'Use https://, or pass --insecure if you accept that risk (e.g. on a lab network).',
    );
  }
}

/** `Basic base64(user:password)`, UTF-8 as browsers and Exchange use; `DOMAIN\user` stays as typed. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${toBase64(encodeUtf8(`${user}:${password}`))}`;
}

export interface CommandRequestInput {
  url: string;
  command: string;
  user: string;
  deviceId: string;
  deviceType: string;
  protocolVersion: string;
  /** Sent as X-MS-PolicyKey (or in the base64 query); "0" before provisioning. */
  policyKey: string;
  authorization: string;
  userAgent: string;
  body?: Uint8Array;
  queryEncoding?: 'plain' | 'base64';
  /** Command parameters such as CollectionId or ItemId. */
  parameters?: Readonly<Record<string, string>>;
}

export function buildCommandRequest(input: CommandRequestInput): HttpRequest {
  const query: EasQuery = {
    command: input.command,
    user: input.user,
    deviceId: input.deviceId,
    deviceType: input.deviceType,
  };
  if (input.parameters) query.parameters = input.parameters;
  const headers: Array<[string, string]> = [['Authorization', input.authorization]];
  let search: string;
  if (input.queryEncoding === 'base64') {
    if (compareVersions(input.protocolVersion, '12.1') < 0) {
      throw new ActiveSyncError('invalid-input', `the base64 query form needs protocol 12.1 or later (MS-ASHTTP); ${input.protocolVersion} must use the plain form`);
    }
    // The base64 form carries version and key itself, and the headers SHOULD then be left out.
    search = encodeBase64Query({ ...query, protocolVersion: input.protocolVersion, policyKey: input.policyKey });
  } else {
    search = encodePlainQuery(query);
    headers.push(['MS-ASProtocolVersion', input.protocolVersion], ['X-MS-PolicyKey', input.policyKey]);
  }
  headers.push(['User-Agent', input.userAgent]);
  if (input.body) headers.push(['Content-Type', WBXML_CONTENT_TYPE]);
  const request: HttpRequest = { method: 'POST', url: `${input.url}?${search}`, headers };
  if (input.body) request.body = input.body;
  return request;
}

export function buildOptionsRequest(url: string, userAgent: string, authorization?: string): HttpRequest {
  const headers: Array<[string, string]> = [];
  if (authorization) headers.push(['Authorization', authorization]);
  headers.push(['User-Agent', userAgent]);
  return { method: 'OPTIONS', url, headers };
}
