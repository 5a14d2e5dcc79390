// HAR 1.2 files (Chrome, Firefox, Fiddler, Charles, mitmproxy's har_dump): read as a stream of
// entries (har-scanner.ts), each entry parsed alone, so a 1 GB file is read in bounded memory.
import { isRecord } from '../shared/is-record.js';
import { absoluteUrl, isActiveSyncTarget } from './activesync-url.js';
import { blobChunks } from './blob-stream.js';
import { CaptureBuilder } from './capture-builder.js';
import { harBody } from './har-body.js';
import { HarScanner, type ScannedEntry } from './har-scanner.js';
import { headerValue } from './headers.js';
import { MAX_RECORD_BYTES } from './limits.js';
import type { CaptureHeader, CaptureReadResult, ReadOptions } from './types.js';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function headerList(value: unknown): CaptureHeader[] {
  if (!Array.isArray(value)) return [];
  const out: CaptureHeader[] = [];
  for (const h of value) if (isRecord(h) && typeof h.name === 'string' && typeof h.value === 'string') out.push({ name: h.name, value: h.value });
  return out;
}

/** Content-Length as a number, when the body was not compressed in transit (HAR bodies are decoded). */
function plainLength(headers: readonly CaptureHeader[]): number | undefined {
  const encoding = headerValue(headers, 'content-encoding');
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  const value = headerValue(headers, 'content-length');
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** Adds one parsed HAR entry to the builder: an ActiveSync exchange, other traffic, or a problem. */
export function addHarEntry(builder: CaptureBuilder, value: unknown, where: string): void {
  if (!isRecord(value) || !isRecord(value.request)) {
    builder.problem(where, 'not a HAR entry (no request object)');
    return;
  }
  const request = value.request;
  const response = isRecord(value.response) ? value.response : undefined;
  const method = str(request.method);
  const rawUrl = str(request.url);
  if (method === undefined || rawUrl === undefined) {
    builder.problem(where, 'the request has no method or URL');
    return;
  }
  const requestHeaders = headerList(request.headers);
  if (!isActiveSyncTarget(rawUrl)) {
    builder.other();
    return;
  }
  const responseHeaders = headerList(response?.headers);
  const postData = isRecord(request.postData) ? request.postData : undefined;
  const content = response && isRecord(response.content) ? response.content : undefined;
  const started = Date.parse(str(value.startedDateTime) ?? '');
  const status = num(response?.status);
  const bodySize = num(request.bodySize);
  const contentSize = num(content?.size);
  builder.add({
    startedAt: Number.isNaN(started) ? undefined : started,
    durationMs: num(value.time),
    method,
    url: absoluteUrl(rawUrl, headerValue(requestHeaders, 'host')),
    requestHeaders,
    responseHeaders,
    // Chrome writes status 0 for a request that never got an answer.
    httpStatus: status !== undefined && status > 0 ? status : undefined,
    httpStatusText: str(response?.statusText) ?? '',
    request: harBody({
      text: str(postData?.text),
      encoding: str(postData?.encoding),
      mimeType: str(postData?.mimeType),
      length: plainLength(requestHeaders),
      declaredSize: bodySize !== undefined && bodySize > 0 ? bodySize : undefined,
    }),
    response:
      response === undefined
        ? { kind: 'missing', reason: 'the capture holds no response' }
        : harBody({
            text: str(content?.text),
            encoding: str(content?.encoding),
            mimeType: str(content?.mimeType),
            length: plainLength(responseHeaders),
            declaredSize: contentSize !== undefined && contentSize > 0 ? contentSize : undefined,
          }),
  });
}

/** Where JSON.parse stopped, as "position N" → a byte in the file (close enough for ASCII JSON). */
function jsonWhere(error: unknown, base: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  return position ? ` near byte ${base + Number(position[1])}` : '';
}

function parseEntry(builder: CaptureBuilder, entry: ScannedEntry, decoder: TextDecoder): void {
  const where = `entry ${entry.number} (byte ${entry.offset})`;
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(entry.bytes));
  } catch (error) {
    builder.problem(where, `invalid JSON${jsonWhere(error, entry.offset)}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  addHarEntry(builder, value, where);
}

/** `sliceBytes` is how much is read at a time (tests make it tiny to cross every boundary). */
export async function readHar(file: string, blob: Blob, options: ReadOptions = {}, sliceBytes?: number): Promise<CaptureReadResult> {
  const builder = new CaptureBuilder(file, 'har');
  const decoder = new TextDecoder('utf-8');
  const scanner = new HarScanner(
    (entry) => parseEntry(builder, entry, decoder),
    (number, offset, size) => builder.problem(`entry ${number} (byte ${offset})`, `the entry is ${size} bytes, more than the ${MAX_RECORD_BYTES} one entry may have; left out`),
    MAX_RECORD_BYTES,
  );
  for await (const chunk of blobChunks(blob, options, sliceBytes)) scanner.push(chunk);
  const end = scanner.end();
  if (end.truncated !== undefined) builder.problem(`byte ${blob.size}`, `${end.truncated}: the file is cut short; the entries before it are shown`);
  if (!end.sawEntries) {
    builder.setFormat(undefined);
    builder.problem('the whole file', 'no log.entries array: this JSON is not a HAR file');
  } else if (end.truncated === undefined && end.skeleton !== undefined) {
    // The entries were each checked by JSON.parse; this checks everything around them.
    try {
      JSON.parse(decoder.decode(end.skeleton));
    } catch (error) {
      builder.problem('outside the entries', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return builder.result();
}
