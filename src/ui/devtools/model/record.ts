// A HAR entry read as an ActiveSync exchange: what the list shows and the detail view starts from.
import { byteLength, leadingBytes } from '../../../captures/lazy-bytes';
import { decodeQuery, type DecodedQuery } from '../../../activesync/query-string';
import { describeHttpStatus, isCommandSuccess } from '../../../activesync/status';
import { Decoder } from '../../../wbxml/Decoder';
import { contentLength, requestBody, responseBody, type Body } from './body';
import { header, type HarEntry, type HarHeader } from './har';
import { describeProtocolStatus, findProtocolStatus, type ProtocolStatus } from './protocol-status';

/** Where a record came from when not from the inspected tab: a capture file, or the extension's own run. */
export type RecordSource = { kind: 'capture'; file: string; index: number } | { kind: 'extension'; run: string; step: string };

export interface EasRecord {
  /** Stable id within one panel session. */
  id: number;
  /** Undefined for the inspected tab's own traffic. */
  source?: RecordSource;
  entry: HarEntry;
  /** ms since the epoch. */
  startedAt: number;
  /** Undefined where the source gives no time (Exchange's mailbox log). */
  durationMs: number | undefined;
  method: string;
  url: string;
  /** Cmd from the query, or the method for OPTIONS. */
  command: string;
  query: DecodedQuery | undefined;
  /** Why the query could not be read, when it could not. */
  queryError: string | undefined;
  protocolVersion: string | undefined;
  policyKey: string | undefined;
  httpStatus: number;
  httpStatusText: string;
  requestBody: Body;
  /** Undefined while getContent has not answered. */
  responseBody: Body | undefined;
  /** Response bytes on the wire (or decoded), for the Size column. */
  responseSize: number | undefined;
  requestSize: number | undefined;
  protocolStatus: ProtocolStatus | undefined;
}

const EAS_PATH = '/microsoft-server-activesync';

/** Whether a URL is an ActiveSync endpoint (also `/Microsoft-Server-ActiveSync/default.eas`). */
export function isActiveSyncUrl(url: string): boolean {
  try {
    const path = new URL(url).pathname.toLowerCase().replace(/\/+$/, '');
    return path === EAS_PATH || path.startsWith(`${EAS_PATH}/`);
  } catch {
    return false;
  }
}

/** Bytes that start like a WBXML document: version 1.0 to 1.3, then a public id. */
export function looksLikeWbxml(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0]! <= 0x03;
}

/** Whether bytes decode as WBXML: decides between two readings of a request body's text. */
function decodes(bytes: Uint8Array): boolean {
  try {
    new Decoder().decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function isWbxmlContentType(value: string | undefined): boolean {
  return value !== undefined && /wbxml/i.test(value);
}

/** The query string of a URL; mailbox logs give only a path and query, so relative URLs count too. */
export function searchOf(url: string): string {
  try {
    return new URL(url, 'http://relative.invalid').search;
  } catch {
    return '';
  }
}

/**
 * The last URLs' decoded queries: a capture repeats the same few URLs thousands of times (a
 * device's Sync, Ping, FolderSync), and URL parsing and decoding cost more than the rest of a
 * row. The decoded query is shared by the records with that URL; nothing changes it.
 */
const recentQueries = new Map<string, { query?: DecodedQuery; error?: string }>();
const RECENT_QUERIES = 256;

function queryOf(url: string): { query?: DecodedQuery; error?: string } {
  const known = recentQueries.get(url);
  if (known) return known;
  const decoded = decodeQueryOf(url);
  if (recentQueries.size >= RECENT_QUERIES) recentQueries.clear();
  recentQueries.set(url, decoded);
  return decoded;
}

function decodeQueryOf(url: string): { query?: DecodedQuery; error?: string } {
  const search = searchOf(url);
  if (search === '' || search === '?') return {};
  try {
    return { query: decodeQuery(search) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The Content-Length of a response when it gives the body's own length (not a compressed one). */
function responseLength(headers: readonly HarHeader[]): number | undefined {
  const encoding = header(headers, 'content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return undefined;
  return contentLength(header(headers, 'content-length'));
}

export function recordFromEntry(id: number, entry: HarEntry): EasRecord {
  const { request, response } = entry;
  const { query, error } = queryOf(request.url);
  const started = Date.parse(entry.startedDateTime);
  const requestLength = contentLength(header(request.headers, 'content-length'));
  const record: EasRecord = {
    id,
    entry,
    startedAt: Number.isNaN(started) ? 0 : started,
    durationMs: entry.time,
    method: request.method,
    url: request.url,
    command: request.method === 'OPTIONS' ? 'OPTIONS' : query?.command || request.method,
    query,
    queryError: error,
    protocolVersion: header(request.headers, 'ms-asprotocolversion') ?? query?.protocolVersion,
    policyKey: header(request.headers, 'x-ms-policykey') ?? query?.policyKey,
    httpStatus: response.status,
    httpStatusText: response.statusText,
    requestBody: requestBody({ method: request.method, text: request.postData?.text, contentLength: requestLength, plausible: decodes }),
    responseBody: undefined,
    responseSize: response.content.size ?? (response.bodySize !== undefined && response.bodySize >= 0 ? response.bodySize : undefined),
    requestSize: requestLength,
    protocolStatus: undefined,
  };
  if (response.content.text !== undefined) {
    // A getHAR log or an imported HAR carries the body in the entry.
    return withResponseContent(record, response.content.text, response.content.encoding ?? '');
  }
  return record;
}

/** The record with its response body, from getContent's two callback arguments. */
export function withResponseContent(record: EasRecord, content: string | null | undefined, second: string | null | undefined): EasRecord {
  const { response } = record.entry;
  const body = responseBody({
    content,
    second,
    harEncoding: response.content.encoding,
    contentLength: responseLength(response.headers),
    plausible: looksLikeWbxml,
  });
  const next: EasRecord = { ...record, responseBody: body };
  if (body.state === 'bytes') {
    next.responseSize ??= body.bytes.length;
    if (isWbxml(next, 'response')) next.protocolStatus = findProtocolStatus(body.bytes);
  }
  return next;
}

/** Whether a body of the record is WBXML (by its Content-Type or its first bytes). */
export function isWbxml(record: EasRecord, which: 'request' | 'response'): boolean {
  const body = which === 'request' ? record.requestBody : record.responseBody;
  if (body?.state !== 'bytes') return false;
  const headers = which === 'request' ? record.entry.request.headers : record.entry.response.headers;
  const type = header(headers, 'content-type') ?? (which === 'response' ? record.entry.response.content.mimeType : record.entry.request.postData?.mimeType);
  // A capture's body may still be base64 (lazy-bytes.ts): only its first byte is decoded here.
  return isWbxmlContentType(type) || (type === undefined && byteLength(body) >= 4 && leadingBytes(body, 1).bytes[0]! <= 0x03);
}

export function httpStatusMeaning(record: EasRecord): string {
  return describeHttpStatus(record.httpStatus);
}

export function protocolStatusMeaning(record: EasRecord): string | undefined {
  return record.protocolStatus && describeProtocolStatus(record.command, record.protocolStatus);
}

/** Whether the exchange went wrong: an HTTP status other than 2xx, or a failure Status. */
export function isProblem(record: EasRecord): boolean {
  if (record.httpStatus < 200 || record.httpStatus >= 300) return true;
  return record.protocolStatus !== undefined && !isCommandSuccess(record.command, record.protocolStatus.code);
}
