// TEMPORARY: replaced by the capture readers branch at merge
// A stand-in with the real module's signature, so the panel can be built and tested before the
// readers land: HAR only, read whole (no streaming), bodies as the panel's body.ts reads them.
import { isRecord } from '../shared/is-record';
import { contentLength, requestBody, responseBody, type Body } from '../ui/devtools/model/body';
import { header, parseHarEntry } from '../ui/devtools/model/har';
import { isActiveSyncUrl } from '../ui/devtools/model/record';
import type { CaptureBody, CaptureReadResult, ReadOptions } from './types';

function captureBody(body: Body): CaptureBody {
  if (body.state === 'empty') return { kind: 'empty' };
  if (body.state === 'bytes') return { kind: 'bytes', bytes: body.bytes };
  if (body.state === 'xml') return { kind: 'xml', xml: body.xml };
  return { kind: 'missing', reason: body.reason };
}

export async function readCapture(file: string, source: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> {
  const result: CaptureReadResult = { file, format: undefined, exchanges: [], otherRequests: 0, problems: [] };
  options.signal?.throwIfAborted();
  const text = await source.text();
  options.onProgress?.(source.size, source.size);
  options.signal?.throwIfAborted();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    result.problems.push({ file, where: 'byte 0', message: `not a HAR file: ${error instanceof Error ? error.message : String(error)}` });
    return result;
  }
  const entries = isRecord(parsed) && isRecord(parsed.log) && Array.isArray(parsed.log.entries) ? (parsed.log.entries as unknown[]) : undefined;
  if (!entries) {
    result.problems.push({ file, where: 'log.entries', message: 'not a HAR file: no log.entries' });
    return result;
  }
  result.format = 'har';
  entries.forEach((raw, i) => {
    const entry = parseHarEntry(raw);
    if (!entry) {
      result.problems.push({ file, where: `entry ${i + 1}`, message: 'not a HAR entry' });
      return;
    }
    if (!isActiveSyncUrl(entry.request.url)) {
      result.otherRequests++;
      return;
    }
    const started = Date.parse(entry.startedDateTime);
    const encoding = isRecord(raw) && isRecord(raw.request) && isRecord(raw.request.postData) ? raw.request.postData._encoding : undefined;
    const reqText = entry.request.postData?.text;
    const request =
      encoding === 'base64' && reqText !== undefined
        ? responseBody({ content: reqText, second: 'base64', contentLength: undefined })
        : requestBody({ method: entry.request.method, text: reqText, contentLength: contentLength(header(entry.request.headers, 'content-length')) });
    const response = responseBody({ content: entry.response.content.text, second: entry.response.content.encoding ?? '', contentLength: undefined });
    result.exchanges.push({
      file,
      index: result.exchanges.length + 1,
      format: 'har',
      startedAt: Number.isNaN(started) ? undefined : started,
      durationMs: entry.time,
      method: entry.request.method,
      url: entry.request.url,
      requestHeaders: entry.request.headers,
      responseHeaders: entry.response.headers,
      httpStatus: entry.response.status > 0 ? entry.response.status : undefined,
      httpStatusText: entry.response.statusText,
      request: captureBody(request),
      response: captureBody(response),
    });
  });
  return result;
}
