// A capture's exchange as the panel's record: the same list, filters, Status names, query
// decoding, copy and export as the inspected tab's traffic. The record keeps a HAR-shaped entry
// (headers, status) because the detail view and the exports read it.
import { byteLength, shareLazyBytes } from '../../../captures/lazy-bytes';
import type { CaptureBody, CaptureExchange, CaptureHeader } from '../../../captures/types';
import type { Body } from './body';
import { header, type HarEntry } from './har';
import { findBodyProtocolStatus } from './protocol-status';
import { isWbxml, recordFromEntry, type EasRecord, type RecordSource } from './record';
import { findXmlStatus } from './xml-status';

export function bodyFromCapture(body: CaptureBody): Body {
  switch (body.kind) {
    case 'empty':
      return { state: 'empty' };
    case 'bytes': {
      if (byteLength(body) === 0) return { state: 'empty' };
      // A capture's bytes may still be base64 (lazy-bytes.ts): read them only when wanted.
      const out = {
        state: 'bytes' as const,
        via: 'base64' as const,
        get bytes(): Uint8Array {
          return body.bytes;
        },
      };
      shareLazyBytes(out, body);
      return out;
    }
    case 'xml':
      return { state: 'xml', xml: body.xml };
    case 'missing':
      return { state: 'unavailable', reason: 'capture', detail: body.reason };
  }
}

function bodySize(body: Body): number | undefined {
  if (body.state === 'bytes') return byteLength(body);
  if (body.state === 'empty') return 0;
  return undefined;
}

export interface ExchangeParts {
  startedAt: number | undefined;
  durationMs: number | undefined;
  method: string;
  url: string;
  requestHeaders: readonly CaptureHeader[];
  responseHeaders: readonly CaptureHeader[];
  httpStatus: number | undefined;
  httpStatusText: string;
  request: Body;
  response: Body;
}

/** A record from an exchange known from elsewhere than DevTools (a capture, the extension's own run). */
export function recordFromParts(id: number, parts: ExchangeParts, source: RecordSource): EasRecord {
  // A time a Date cannot hold (a hostile or damaged file) is no time at all, not an exception.
  const started = parts.startedAt !== undefined && Number.isFinite(parts.startedAt) && Math.abs(parts.startedAt) <= 8.64e15 ? parts.startedAt : 0;
  const entry: HarEntry = {
    startedDateTime: new Date(started).toISOString(),
    time: parts.durationMs ?? 0,
    request: { method: parts.method, url: parts.url, headers: parts.requestHeaders.map((h) => ({ name: h.name, value: h.value })) },
    response: {
      status: parts.httpStatus ?? 0,
      statusText: parts.httpStatusText,
      headers: parts.responseHeaders.map((h) => ({ name: h.name, value: h.value })),
      content: {},
    },
  };
  const mimeType = header(entry.response.headers, 'content-type');
  if (mimeType !== undefined) entry.response.content.mimeType = mimeType;
  const base = recordFromEntry(id, entry);
  const record: EasRecord = {
    ...base,
    source,
    durationMs: parts.durationMs,
    requestBody: parts.request,
    responseBody: parts.response,
    requestSize: bodySize(parts.request),
    responseSize: bodySize(parts.response),
  };
  if (parts.response.state === 'bytes' && isWbxml(record, 'response')) record.protocolStatus = findBodyProtocolStatus(parts.response);
  else if (parts.response.state === 'xml') record.protocolStatus = findXmlStatus(parts.response.xml);
  return record;
}

/** One exchange of a capture file as a record of the panel. */
export function recordFromCapture(id: number, exchange: CaptureExchange): EasRecord {
  return recordFromParts(
    id,
    { ...exchange, request: bodyFromCapture(exchange.request), response: bodyFromCapture(exchange.response) },
    { kind: 'capture', file: exchange.file, index: exchange.index },
  );
}
