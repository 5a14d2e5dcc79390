// A raw HTTP/1.x message as Fiddler saves it (raw/NN_c.txt, raw/NN_s.txt): start line, headers,
// empty line, body exactly as it went over the wire (chunked, gzip or deflate).
import { decodeLatin1 } from '../wbxml/utils/utf8.js';
import { decodeContent, dechunk } from './content-encoding.js';
import { headerValue } from './headers.js';
import type { CaptureBody, CaptureHeader } from './types.js';

export interface HttpMessage {
  startLine: string;
  headers: CaptureHeader[];
  body: CaptureBody;
  /** Bytes of the body as stored (before undoing the codings). */
  wireBodySize: number;
  /** What went wrong undoing the codings, when something did (the body is then what could be kept). */
  problem?: string;
}

function headerEnd(data: Uint8Array): { end: number; bodyStart: number } | undefined {
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] !== 0x0a) continue;
    if (data[i + 1] === 0x0a) return { end: i, bodyStart: i + 2 };
    if (data[i + 1] === 0x0d && data[i + 2] === 0x0a) return { end: i, bodyStart: i + 3 };
  }
  return undefined;
}

/** Reads one message. Undefined when the bytes have no start line at all. */
export function parseHttpMessage(data: Uint8Array): HttpMessage | undefined {
  const split = headerEnd(data) ?? { end: data.length, bodyStart: data.length };
  // Header bytes are ASCII by the RFC; ISO-8859-1 keeps any stray byte as one character.
  // (TextDecoder('latin1') is windows-1252 on the web and in Node: 0x80-0x9F would change.)
  const head = decodeLatin1(data, 0, split.end);
  const lines = head.split(/\r?\n/);
  const startLine = lines.shift()?.trim() ?? '';
  if (startLine === '') return undefined;
  const headers: CaptureHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  const wire = data.subarray(split.bodyStart);
  const decoded = decodeBody(wire, headers);
  return { startLine, headers, body: decoded.body, wireBodySize: wire.length, ...(decoded.problem !== undefined ? { problem: decoded.problem } : {}) };
}

/** The body as the application saw it: transfer coding and content coding undone. */
export function decodeBody(wire: Uint8Array, headers: readonly CaptureHeader[], transferDecoded = false): { body: CaptureBody; problem?: string } {
  let bytes = wire;
  let problem: string | undefined;
  if (!transferDecoded && /chunked/i.test(headerValue(headers, 'transfer-encoding') ?? '')) {
    const chunks = dechunk(wire);
    bytes = chunks.bytes;
    problem = chunks.problem;
  }
  if (bytes.length === 0) return problem !== undefined ? { body: { kind: 'missing', reason: problem }, problem } : { body: { kind: 'empty' } };
  const content = decodeContent(bytes, headerValue(headers, 'content-encoding'));
  if (!content.ok) return { body: { kind: 'missing', reason: content.reason }, problem: content.reason };
  return { body: { kind: 'bytes', bytes: content.bytes }, ...(problem !== undefined ? { problem } : {}) };
}
