// The panel's records as src/captures' exchanges, so that the summary and the diff of the panel
// are the ones `owa-inspector inspect` computes: any row can take part (a capture's, the
// inspected tab's, the extension's own run), not only rows of capture files.
import type { CaptureBody, CaptureExchange } from '../../../captures/types';
import type { Body } from './body';
import type { EasRecord } from './record';

function captureBody(body: Body | undefined): CaptureBody {
  if (body === undefined) return { kind: 'missing', reason: 'the response has not arrived yet' };
  switch (body.state) {
    case 'empty':
      return { kind: 'empty' };
    case 'bytes':
      return { kind: 'bytes', bytes: body.bytes };
    case 'xml':
      return { kind: 'xml', xml: body.xml };
    case 'unavailable':
      return { kind: 'missing', reason: body.detail ?? body.reason };
  }
}

/** Where a record came from, as a file name: the capture's file, else the extension or the tab. */
export function sourceName(record: EasRecord): string {
  if (record.source?.kind === 'capture') return record.source.file;
  if (record.source?.kind === 'extension') return 'extension';
  return 'tab';
}

export function exchangeFromRecord(record: EasRecord): CaptureExchange {
  const { entry } = record;
  return {
    file: sourceName(record),
    index: record.source?.kind === 'capture' ? record.source.index : record.id,
    format: 'har',
    // 0 is the record's "no time" (capture-record.ts); the summary wants undefined then.
    startedAt: record.startedAt || undefined,
    durationMs: record.durationMs,
    method: record.method,
    url: record.url,
    requestHeaders: entry.request.headers.map((h) => ({ name: h.name, value: h.value })),
    responseHeaders: entry.response.headers.map((h) => ({ name: h.name, value: h.value })),
    httpStatus: record.httpStatus || undefined,
    httpStatusText: record.httpStatusText,
    request: captureBody(record.requestBody),
    response: captureBody(record.responseBody),
    command: record.command,
  };
}
