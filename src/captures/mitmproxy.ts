// mitmproxy's flow files (`mitmdump -w FILE`, the console's save): one tnetstring dictionary per
// flow, back to back. Read in TypeScript, without Python. Checked against mitmproxy 8.1.1 (flow
// format 17, Debian 12) and the later formats 18–21 (mitmproxy 9–12: same request and response
// fields; dictionary keys as text since format 13, as bytes before). Bodies are stored as
// received, content encoding included; chunked transfer coding is already undone.
import { decodeLatin1 } from '../wbxml/utils/utf8.js';
import { isActiveSyncTarget } from './activesync-url.js';
import { Progress, readRange } from './blob-stream.js';
import { CaptureBuilder } from './capture-builder.js';
import { decodeBody } from './http-message.js';
import { MAX_RECORD_BYTES } from './limits.js';
import { parseTNetString, readPrefix, TNetError, type TNetDict, type TNetValue } from './tnetstring.js';
import type { CaptureBody, CaptureHeader, CaptureReadResult, ReadOptions } from './types.js';

/** Bytes read from the file at a time; a flow larger than this is read on its own. */
const WINDOW = 4 * 1024 * 1024;

const asDict = (value: TNetValue | undefined): TNetDict | undefined => (value instanceof Map ? value : undefined);
const asText = (value: TNetValue | undefined): string | undefined => (typeof value === 'string' ? value : value instanceof Uint8Array ? decodeLatin1(value, 0, value.length) : undefined);
const asNumber = (value: TNetValue | undefined): number | undefined => (typeof value === 'number' ? value : undefined);

function headerList(value: TNetValue | undefined): CaptureHeader[] {
  if (!Array.isArray(value)) return [];
  const out: CaptureHeader[] = [];
  for (const pair of value) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const name = asText(pair[0]);
    const headerValue = asText(pair[1]);
    if (name !== undefined && headerValue !== undefined) out.push({ name, value: headerValue });
  }
  return out;
}

function body(message: TNetDict, headers: CaptureHeader[], builder: CaptureBuilder, where: string): CaptureBody {
  const content = message.get('content');
  if (content === null || content === undefined) return { kind: 'missing', reason: 'mitmproxy kept no body (streamed, or the flow was cut)' };
  const bytes = content instanceof Uint8Array ? content : typeof content === 'string' ? new TextEncoder().encode(content) : new Uint8Array();
  const decoded = decodeBody(bytes, headers, true);
  if (decoded.problem !== undefined) builder.problem(where, decoded.problem);
  return decoded.body;
}

function urlOf(request: TNetDict): string {
  const scheme = asText(request.get('scheme')) ?? 'http';
  const host = asText(request.get('authority')) || asText(request.get('host')) || '';
  const port = asNumber(request.get('port'));
  const path = asText(request.get('path')) ?? '/';
  if (/^[a-z]+:\/\//i.test(path)) return path;
  const defaultPort = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80);
  const hostPort = host.includes(':') || port === undefined || defaultPort ? host : `${host}:${port}`;
  return `${scheme}://${hostPort}${path}`;
}

function addFlow(builder: CaptureBuilder, flow: TNetValue, where: string): void {
  const dict = asDict(flow);
  if (!dict) {
    builder.problem(where, 'not a flow (no dictionary)');
    return;
  }
  const type = asText(dict.get('type'));
  const request = asDict(dict.get('request'));
  if (type !== 'http' || !request) {
    // TCP, UDP, DNS flows: traffic, but not HTTP requests the reader could show.
    builder.other();
    return;
  }
  const url = urlOf(request);
  if (!isActiveSyncTarget(url)) {
    builder.other();
    return;
  }
  const response = asDict(dict.get('response'));
  const requestHeaders = headerList(request.get('headers'));
  const responseHeaders = response ? headerList(response.get('headers')) : [];
  const started = asNumber(request.get('timestamp_start'));
  const ended = asNumber(response?.get('timestamp_end')) ?? asNumber(request.get('timestamp_end'));
  const error = asDict(dict.get('error'));
  builder.add({
    startedAt: started !== undefined ? Math.round(started * 1000) : undefined,
    durationMs: started !== undefined && ended !== undefined ? Math.round((ended - started) * 1000) : undefined,
    method: asText(request.get('method')) ?? '',
    url,
    requestHeaders,
    responseHeaders,
    httpStatus: asNumber(response?.get('status_code')),
    httpStatusText: asText(response?.get('reason')) ?? '',
    request: body(request, requestHeaders, builder, `${where}, request`),
    response: response
      ? body(response, responseHeaders, builder, `${where}, response`)
      : { kind: 'missing', reason: `no response${error ? `: ${asText(error.get('msg')) ?? 'error'}` : ''}` },
  });
}

export async function readMitmproxy(file: string, blob: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> {
  const builder = new CaptureBuilder(file, 'mitmproxy');
  const progress = new Progress(blob.size, options);
  let window: Uint8Array = new Uint8Array();
  let windowStart = 0;
  const bytesAt = async (start: number, length: number): Promise<Uint8Array> => {
    if (start < windowStart || start + length > windowStart + window.length) {
      windowStart = start;
      window = await readRange(blob, start, start + Math.max(length, WINDOW));
    }
    return window.subarray(start - windowStart, start - windowStart + length);
  };
  let at = 0;
  let number = 0;
  while (at < blob.size) {
    progress.at(at);
    number++;
    const where = `flow ${number} (byte ${at})`;
    let prefix: ReturnType<typeof readPrefix>;
    try {
      prefix = readPrefix(await bytesAt(at, 16), 0);
    } catch (error) {
      builder.problem(where, `${error instanceof Error ? error.message : String(error)}; reading stops here`);
      break;
    }
    if (!prefix) {
      builder.problem(where, 'the file ends inside a length prefix: cut short');
      break;
    }
    const total = prefix.dataStart + prefix.length + 1;
    if (at + total > blob.size) {
      builder.problem(where, `the flow claims ${prefix.length} bytes, the file has ${blob.size - at - prefix.dataStart} left: cut short or damaged; reading stops here`);
      break;
    }
    if (total > MAX_RECORD_BYTES) {
      builder.problem(where, `the flow is ${total} bytes, more than the ${MAX_RECORD_BYTES} one flow may have; left out`);
      at += total;
      continue;
    }
    try {
      addFlow(builder, parseTNetString(await bytesAt(at, total)), where);
    } catch (error) {
      if (!(error instanceof TNetError)) throw error;
      builder.problem(where, `${error.message} (at byte ${at + error.offset})`);
    }
    at += total;
  }
  progress.at(blob.size, true);
  return builder.result();
}
