// HAR entries as Chrome's and Firefox's devtools.network hand them over, built from real bytes,
// for the unit tests and the panel's fallback browser test. The shapes follow what Chrome 156
// was seen to give (docs/BROWSER-NOTES.md, "What DevTools hands the panel"): request bodies as
// text (UTF-8 when valid, else one character per byte), response bodies through getContent as
// (base64, 'base64'); Firefox's getContent gives (base64, mimeType).
import { encodeXml } from '../../../src/wbxml';
import { toBase64 } from '../../../src/shared/base64';
import { isValidUtf8 } from '../../../src/wbxml/utils/utf8';

export const WBXML = 'application/vnd.ms-sync.wbxml';
export const ORIGIN = 'https://mail.contoso.com';
export const AUTH = `Basic ${Buffer.from('CONTOSO\\alice:Demo-Passw0rd').toString('base64')}`;

export interface ExchangeSpec {
  command: string;
  /** Request XML (encoded with the codec) or bytes. */
  request?: string | Uint8Array;
  response?: string | Uint8Array;
  status?: number;
  statusText?: string;
  version?: string;
  policyKey?: string;
  /** Defaults to a plain query for the command. */
  query?: string;
  startedDateTime?: string;
  time?: number;
  responseType?: string;
  responseHeaders?: Array<{ name: string; value: string }>;
  method?: string;
  url?: string;
}

const bytesOf = (body: string | Uint8Array | undefined): Uint8Array | undefined => (body === undefined ? undefined : typeof body === 'string' ? encodeXml(body) : body);

/** How Chrome renders a request body as postData.text. */
export function chromePostText(bytes: Uint8Array): string {
  if (isValidUtf8(bytes)) return new TextDecoder().decode(bytes);
  return String.fromCharCode(...bytes);
}

export interface BuiltEntry {
  entry: Record<string, unknown>;
  content: string | null;
  second: string | null;
}

export function harEntry(spec: ExchangeSpec, browser: 'chrome' | 'firefox' = 'chrome'): BuiltEntry {
  const request = bytesOf(spec.request);
  const response = bytesOf(spec.response);
  const status = spec.status ?? 200;
  const query = spec.query ?? `Cmd=${spec.command}&User=alice&DeviceId=ABCDEF0123456789&DeviceType=iPhone`;
  const url = spec.url ?? `${ORIGIN}/Microsoft-Server-ActiveSync?${query}`;
  const requestHeaders = [
    { name: 'Authorization', value: AUTH },
    { name: 'Cookie', value: 'cadata=SECRET-SESSION; X-BackEndCookie=abc' },
    { name: 'Host', value: new URL(url).host },
    { name: 'User-Agent', value: 'Apple-iPhone/1401.403' },
  ];
  if (spec.version) requestHeaders.push({ name: 'MS-ASProtocolVersion', value: spec.version });
  if (spec.policyKey !== undefined) requestHeaders.push({ name: 'X-MS-PolicyKey', value: spec.policyKey });
  if (request) {
    requestHeaders.push({ name: 'Content-Type', value: WBXML }, { name: 'Content-Length', value: String(request.length) });
  }
  const responseType = spec.responseType ?? (response ? WBXML : 'text/html');
  const responseHeaders = [
    { name: 'Content-Type', value: responseType },
    { name: 'Content-Length', value: String(response?.length ?? 0) },
    { name: 'MS-Server-ActiveSync', value: '15.1' },
    ...(spec.responseHeaders ?? []),
  ];
  const postData = request
    ? { mimeType: WBXML, text: browser === 'chrome' ? chromePostText(request) : new TextDecoder().decode(request), ...(browser === 'firefox' ? { params: [] } : {}) }
    : undefined;
  const entry: Record<string, unknown> = {
    startedDateTime: spec.startedDateTime ?? '2026-03-02T10:15:30.123Z',
    time: spec.time ?? 42.5,
    request: {
      method: spec.method ?? 'POST',
      url,
      httpVersion: 'HTTP/1.1',
      headers: requestHeaders,
      queryString: [],
      cookies: [{ name: 'cadata', value: 'SECRET-SESSION' }],
      headersSize: -1,
      bodySize: request ? (browser === 'chrome' ? new TextEncoder().encode(postData!.text).length : request.length) : 0,
      ...(postData ? { postData } : {}),
    },
    response: {
      status,
      statusText: spec.statusText ?? (status === 200 ? 'OK' : ''),
      httpVersion: 'HTTP/1.1',
      headers: responseHeaders,
      cookies: [],
      content: { size: response?.length ?? 0, mimeType: responseType, ...(browser === 'chrome' ? { compression: 0 } : {}) },
      redirectURL: '',
      headersSize: -1,
      bodySize: response?.length ?? 0,
    },
    cache: {},
    timings: { blocked: 1, dns: -1, connect: -1, send: 0, wait: 40, receive: 1.5, ssl: -1 },
    ...(browser === 'chrome' ? { _resourceType: 'fetch', _priority: 'High' } : {}),
  };
  const content = response ? toBase64(response) : '';
  const second = browser === 'chrome' ? (response ? 'base64' : '') : responseType;
  return { entry, content, second };
}

/** The demo-like Provision and FolderSync exchange, as the list's standard fixture. */
export const PROVISION_REQUEST = '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>';
export const PROVISION_RESPONSE =
  '<Provision xmlns="Provision:" xmlns:settings="Settings:"><settings:DeviceInformation><settings:Status>1</settings:Status></settings:DeviceInformation><Status>1</Status><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>1</Status><PolicyKey>1307199584</PolicyKey></Policy></Policies></Provision>';
export const FOLDERSYNC_REQUEST = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';
export const FOLDERSYNC_142 = '<FolderSync xmlns="FolderHierarchy:"><Status>142</Status></FolderSync>';
export const FOLDERSYNC_RESPONSE =
  '<FolderSync xmlns="FolderHierarchy:"><Status>1</Status><SyncKey>1</SyncKey><Changes><Count>2</Count><Add><ServerId>1</ServerId><ParentId>0</ParentId><DisplayName>Inbox</DisplayName><Type>2</Type></Add><Add><ServerId>2</ServerId><ParentId>0</ParentId><DisplayName>Entwürfe</DisplayName><Type>3</Type></Add></Changes></FolderSync>';
