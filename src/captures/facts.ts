// What the list shows for an exchange, read from its URL, headers and the first Status of its
// response: the command, protocol version, policy key, device, user, protocol Status and sizes.
import { decodeQuery, type DecodedQuery } from '../activesync/query-string.js';
import { fromBase64 } from '../shared/base64.js';
import { describeProtocolStatus, findBodyProtocolStatus, type ProtocolStatus } from '../ui/devtools/model/protocol-status.js';
import { headerValue } from './headers.js';
import { byteLength, leadingBytes } from './lazy-bytes.js';
import type { CaptureBody, CaptureExchange } from './types.js';

export interface ExchangeFacts {
  /** Cmd of the query; OPTIONS; the exchange's own `command` (hex logs); else the method. */
  command: string;
  query: DecodedQuery | undefined;
  protocolVersion: string | undefined;
  policyKey: string | undefined;
  deviceId: string | undefined;
  deviceType: string | undefined;
  /** User of the query, else the user name of a Basic Authorization header. */
  user: string | undefined;
  /** The first Status of the response in the root's namespace (see protocol-status.ts). */
  status: ProtocolStatus | undefined;
  /** "142 DeviceNotProvisioned", "1 Success", "2 Protocol error": the code and its name. */
  statusName: string | undefined;
  /** "142 DeviceNotProvisioned: …": the code, its name and meaning. */
  statusMeaning: string | undefined;
  requestSize: number | undefined;
  responseSize: number | undefined;
}

function queryOf(url: string): DecodedQuery | undefined {
  const at = url.indexOf('?');
  if (at < 0 || at === url.length - 1) return undefined;
  try {
    return decodeQuery(url.slice(at + 1).split('#', 1)[0]!);
  } catch {
    return undefined;
  }
}

/** The user name of `Basic base64(user:password)`; never the password. */
export function basicUser(authorization: string | undefined): string | undefined {
  const match = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  const bytes = match && fromBase64(match[1]!);
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes);
  const colon = text.indexOf(':');
  return colon >= 0 ? text.slice(0, colon) : undefined;
}

/** The first Status element of an XML body (a mailbox log's), preferring the root's own namespace (no prefix). */
function xmlStatus(xml: string): ProtocolStatus | undefined {
  const root = /<([A-Za-z][\w.-]*)[\s>/]/.exec(xml.replace(/<\?[^>]*\?>/g, ''))?.[1] ?? '';
  const own = /<Status>\s*(\d{1,9})\s*<\/Status>/.exec(xml);
  const any = own ?? /<(\w+):Status>\s*(\d{1,9})\s*<\/\1:Status>/.exec(xml);
  if (!any) return undefined;
  const code = Number(own ? own[1] : any[2]);
  // The element the Status is in: the innermost one still open before it.
  const open: string[] = [];
  for (const tag of xml.slice(0, any.index).matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (tag[1] === '/') open.pop();
    else if (tag[3] !== '/') open.push(tag[2]!.replace(/^\w+:/, ''));
  }
  const parent = open[open.length - 1] ?? '';
  const namespace = own ? root : any[1]!;
  return { code, namespace: namespace === 'provision' ? 'Provision' : namespace, parent };
}

export function bodyStatus(body: CaptureBody): ProtocolStatus | undefined {
  if (body.kind === 'bytes') return byteLength(body) >= 4 && leadingBytes(body, 1).bytes[0]! <= 0x03 ? findBodyProtocolStatus(body) : undefined;
  if (body.kind === 'xml') return xmlStatus(body.xml);
  return undefined;
}

function size(body: CaptureBody): number | undefined {
  if (body.kind === 'bytes') return byteLength(body);
  if (body.kind === 'empty') return 0;
  if (body.kind === 'xml') return new TextEncoder().encode(body.xml).length;
  return undefined;
}

/** The root element's name of an XML body, e.g. "FolderSync". */
function xmlRoot(xml: string): string | undefined {
  return /<(?:\w+:)?([A-Za-z][\w.-]*)[\s>/]/.exec(xml.replace(/<\?[^>]*\?>/g, '').replace(/<!--[\s\S]*?-->/g, ''))?.[1];
}

export function exchangeFacts(exchange: CaptureExchange): ExchangeFacts {
  const query = queryOf(exchange.url);
  const h = exchange.requestHeaders;
  const command =
    exchange.method === 'OPTIONS'
      ? 'OPTIONS'
      : query?.command || exchange.command || (exchange.request.kind === 'xml' ? xmlRoot(exchange.request.xml) : undefined) || exchange.method || 'unknown';
  // The Provision status a mailbox log's XML gives is in the Provision namespace, as protocol-status.ts names it.
  let status = bodyStatus(exchange.response);
  if (status && exchange.response.kind === 'xml' && command === 'Provision') status = { ...status, namespace: 'Provision' };
  const meaning = status && describeProtocolStatus(command, status);
  return {
    command,
    query,
    protocolVersion: headerValue(h, 'ms-asprotocolversion') ?? query?.protocolVersion,
    policyKey: headerValue(h, 'x-ms-policykey') ?? query?.policyKey,
    deviceId: query?.deviceId || undefined,
    deviceType: query?.deviceType || undefined,
    user: query?.user || basicUser(headerValue(h, 'authorization')),
    status,
    statusName: meaning?.split(':', 1)[0],
    statusMeaning: meaning,
    requestSize: size(exchange.request),
    responseSize: size(exchange.response),
  };
}
