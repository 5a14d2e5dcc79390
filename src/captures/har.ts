// HAR 1.2 files (Chrome, Firefox, Fiddler, Charles, mitmproxy's har_dump): read as a stream of
// entries (har-scanner.ts), each entry parsed alone, so a 1 GB file is read in bounded memory.
// An entry is read from its bytes by har-entry.ts (only the fields an exchange needs, bodies
// decoded from the file's bytes); what that reader leaves to JSON.parse is read as before.
import { isRecord } from '../shared/is-record.js';
import { absoluteUrl, isActiveSyncTarget } from './activesync-url.js';
import { blobChunks } from './blob-stream.js';
import { CaptureBuilder, type UnnumberedExchange } from './capture-builder.js';
import { harBody } from './har-body.js';
import { forgetInterned, RawText, readPlainEntry } from './har-entry.js';
import { HarScanner, type ScannedEntry } from './har-scanner.js';
import { headerValue } from './headers.js';
import { MAX_RECORD_BYTES } from './limits.js';
import type { CaptureHeader, CaptureReadResult, ReadOptions } from './types.js';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
/** A body's text: a string, or the bytes har-entry.ts left it as. */
const textOf = (value: unknown): string | RawText | undefined => (typeof value === 'string' || value instanceof RawText ? value : undefined);
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

type EntryOutcome = { problem: string } | { other: true } | { exchange: UnnumberedExchange };

/**
 * What one parsed HAR entry is: an ActiveSync exchange, other traffic, or a problem. Throws
 * NotPlain (from a RawText) when the entry must be read by JSON.parse after all; has no effect
 * before it returns, so the entry can then be read again.
 */
function harEntryOutcome(value: unknown): EntryOutcome {
  if (!isRecord(value) || !isRecord(value.request)) return { problem: 'not a HAR entry (no request object)' };
  const request = value.request;
  const response = isRecord(value.response) ? value.response : undefined;
  const method = str(request.method);
  const rawUrl = str(request.url);
  if (method === undefined || rawUrl === undefined) return { problem: 'the request has no method or URL' };
  const requestHeaders = headerList(request.headers);
  if (!isActiveSyncTarget(rawUrl)) return { other: true };
  const responseHeaders = headerList(response?.headers);
  const postData = isRecord(request.postData) ? request.postData : undefined;
  const content = response && isRecord(response.content) ? response.content : undefined;
  const started = Date.parse(str(value.startedDateTime) ?? '');
  const status = num(response?.status);
  const bodySize = num(request.bodySize);
  const contentSize = num(content?.size);
  const exchange: UnnumberedExchange = {
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
      text: textOf(postData?.text),
      encoding: str(postData?.encoding),
      mimeType: str(postData?.mimeType),
      length: plainLength(requestHeaders),
      declaredSize: bodySize !== undefined && bodySize > 0 ? bodySize : undefined,
    }),
    response:
      response === undefined
        ? { kind: 'missing', reason: 'the capture holds no response' }
        : harBody({
            text: textOf(content?.text),
            encoding: str(content?.encoding),
            mimeType: str(content?.mimeType),
            length: plainLength(responseHeaders),
            declaredSize: contentSize !== undefined && contentSize > 0 ? contentSize : undefined,
          }),
  };
  return { exchange };
}

function addOutcome(builder: CaptureBuilder, outcome: EntryOutcome, where: string): void {
  if ('problem' in outcome) builder.problem(where, outcome.problem);
  else if ('other' in outcome) builder.other();
  else builder.add(outcome.exchange);
}

/** Where JSON.parse stopped, as "position N" → a byte in the file (close enough for ASCII JSON). */
function jsonWhere(error: unknown, base: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  return position ? ` near byte ${base + Number(position[1])}` : '';
}

/** The entry read from its bytes by har-entry.ts, or undefined when JSON.parse must read it. */
function plainOutcome(bytes: Uint8Array): EntryOutcome | undefined {
  try {
    const { value, raws } = readPlainEntry(bytes);
    const outcome = harEntryOutcome(value);
    // A body not decoded (other traffic, a problem) must still be a valid JSON string.
    for (const raw of raws) raw.checked();
    return outcome;
  } catch (error) {
    // NotPlain, or anything else that went wrong (a stack too deep): JSON.parse decides.
    if (error instanceof Error) return undefined;
    throw error;
  }
}

function parseEntry(builder: CaptureBuilder, entry: ScannedEntry, decoder: TextDecoder): void {
  const where = `entry ${entry.number} (byte ${entry.offset})`;
  const plain = plainOutcome(entry.bytes);
  if (plain !== undefined) {
    addOutcome(builder, plain, where);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(entry.bytes));
  } catch (error) {
    builder.problem(where, `invalid JSON${jsonWhere(error, entry.offset)}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  addOutcome(builder, harEntryOutcome(value), where);
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
  try {
    for await (const chunk of blobChunks(blob, options, sliceBytes)) {
      scanner.push(chunk);
      // The scanner keeps no view of a chunk once pushed (har-scanner.ts): what was found in it
      // may go, the chunk's buffer with it (the capture worker transfers it to the page).
      if (options.onExchanges) builder.flush(options.onExchanges);
    }
  } finally {
    forgetInterned();
  }
  const end = scanner.end();
  if (end.truncated !== undefined) builder.problem(`byte ${blob.size}`, `${end.truncated}: the file is cut short; the entries before it are shown`);
  if (!end.sawEntries) {
    builder.setFormat(undefined);
    builder.problem('the whole file', 'no log.entries array: this JSON is not a HAR file');
  } else if (end.truncated === undefined && end.skeleton !== undefined) {
    // The entries were each checked (har-entry.ts or JSON.parse); this checks everything around them.
    try {
      JSON.parse(decoder.decode(end.skeleton));
    } catch (error) {
      builder.problem('outside the entries', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return builder.result();
}
