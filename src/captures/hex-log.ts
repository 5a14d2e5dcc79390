// WBXML written as text into any log: hex with spaces ("03 01 6a 00 …", and the unpadded
// "3 1 6a 0 0 …" EAS-4-TbSync writes under "WBXML: Sending data" / "Receiving data"), hex without
// spaces ("03016a00…"), or base64 ("AwFqAA…"). Every ActiveSync document starts 03 01 6A 00
// (WBXML 1.3, unknown public id, UTF-8, no string table): that is what is looked for. A body
// written over several lines continues while the following lines hold nothing but hex.
// Consecutive documents are paired: one the log calls sent, then one it calls received.
import { parseBase64Text, parseHexText } from '../shared/paste.js';
import { blobLines } from './blob-stream.js';
import { CaptureBuilder } from './capture-builder.js';
import type { CaptureBody, CaptureReadResult, ReadOptions } from './types.js';
import { Parser } from '../wbxml/Parser.js';
import { tagName } from '../wbxml/codepages.js';

// "3 1 6a 0", "03 01 6A 00", "0x03, 0x01, 0x6a, 0x00", "03:01:6a:00", then more bytes.
const SPACED_HEX = /(?<![0-9a-z])(?:0x)?0?[0-3][ ,:]+(?:0x)?0?1[ ,:]+(?:0x)?6a[ ,:]+(?:0x)?0?0(?:[ ,:]+(?:0x)?[0-9a-f]{1,2})+(?![0-9a-z])/i;
const PLAIN_HEX = /(?<![0-9a-z])0[0-3]016a00(?:[0-9a-f]{2})+(?![0-9a-z])/i;
const BASE64 = /(?<![A-Za-z0-9+/])A[wQgA]FqA[A-Za-z0-9+/]*={0,2}/;
// Separators are required between bytes: with optional ones the pattern could split "abcdef…"
// in exponentially many ways before failing on a long line.
const HEX_ONLY_LINE = /^\s*(?:0x)?[0-9a-f]{1,2}(?:[ ,:]+(?:0x)?[0-9a-f]{1,2})*[ ,:]*$/i;
const TIME = /\b(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)/;

type Direction = 'request' | 'response' | undefined;

/** A time written on the line; one without a zone is read as UTC (the log does not say which zone). */
function timeOf(line: string): number | undefined {
  const match = TIME.exec(line);
  if (!match) return undefined;
  const text = match[1]!.replace(' ', 'T');
  const at = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(at) ? undefined : at;
}

function directionOf(context: string): Direction {
  if (/\b(receiv|respon|incoming|answer|reply)|<<|<--/i.test(context)) return 'response';
  if (/\b(send|sending|sent|request|outgoing|post)|>>|-->/i.test(context)) return 'request';
  return undefined;
}

/** The root element's name, read without building a tree. */
function rootName(bytes: Uint8Array): string | undefined {
  let name: string | undefined;
  class Stop extends Error {}
  try {
    new Parser().parse(bytes, {
      openElement(page, token, literal) {
        name = literal ?? tagName(page, token);
        throw new Stop();
      },
      closeElement() {},
      text() {},
      opaque() {},
      other() {},
    });
  } catch {
    // Stop, or bytes that are not WBXML: the name read so far (if any) is the answer.
  }
  return name;
}

interface Found {
  bytes: Uint8Array;
  line: number;
  direction: Direction;
  at: number | undefined;
}

function findOnLine(line: string): { bytes: Uint8Array; hex: boolean } | undefined {
  const spaced = SPACED_HEX.exec(line);
  if (spaced) {
    const bytes = parseHexText(spaced[0]);
    if (bytes) return { bytes, hex: true };
  }
  const plain = PLAIN_HEX.exec(line);
  if (plain) {
    const bytes = parseHexText(plain[0]);
    if (bytes) return { bytes, hex: true };
  }
  const base64 = BASE64.exec(line);
  if (base64 && base64[0].length >= 8) {
    const bytes = parseBase64Text(base64[0]);
    if (bytes && bytes[1] === 0x01 && bytes[2] === 0x6a) return { bytes, hex: false };
  }
  return undefined;
}

const body = (found: Found | undefined): CaptureBody => (found ? { kind: 'bytes', bytes: found.bytes } : { kind: 'missing', reason: 'the log holds no document for this side' });

export async function readHexLog(file: string, blob: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> {
  const builder = new CaptureBuilder(file, 'hex-log');
  const found: Found[] = [];
  let previous = '';
  // Logs stamp a line before the body more often than the body's own line.
  let lastTime: number | undefined;
  let open: { parts: string[]; line: number; direction: Direction; at: number | undefined } | undefined;
  const close = (): void => {
    if (!open) return;
    const bytes = parseHexText(open.parts.join(' '));
    if (bytes) found.push({ bytes, line: open.line, direction: open.direction, at: open.at });
    open = undefined;
  };
  for await (const { line, number } of blobLines(blob, options)) {
    if (open && HEX_ONLY_LINE.test(line) && line.trim() !== '') {
      open.parts.push(line);
      continue;
    }
    close();
    const hit = findOnLine(line);
    if (hit) {
      const context = `${previous} ${line}`;
      const at = timeOf(line) ?? lastTime ?? NaN;
      const direction = directionOf(context);
      if (hit.hex) {
        const text = SPACED_HEX.exec(line)?.[0] ?? PLAIN_HEX.exec(line)![0];
        open = { parts: [text], line: number, direction, at: Number.isNaN(at) ? undefined : at };
      } else {
        found.push({ bytes: hit.bytes, line: number, direction, at: Number.isNaN(at) ? undefined : at });
      }
    }
    if (line.trim() !== '') previous = line;
    lastTime = timeOf(line) ?? lastTime;
  }
  close();
  if (found.length === 0) {
    builder.setFormat(undefined);
    builder.problem('the whole file', 'no ActiveSync WBXML (hex or base64 starting 03 01 6A 00) in this text');
    return builder.result();
  }
  // Pair a request with the response after it; a side the log does not name takes the place
  // the order gives it.
  for (let i = 0; i < found.length; i++) {
    const first = found[i]!;
    const next = found[i + 1];
    const firstIsRequest = first.direction !== 'response';
    const paired = firstIsRequest && next !== undefined && next.direction !== 'request';
    const request = firstIsRequest ? first : undefined;
    const response = firstIsRequest ? (paired ? next : undefined) : first;
    if (paired) i++;
    const command = rootName((request ?? response)!.bytes);
    builder.add({
      startedAt: first.at,
      durationMs: response?.at !== undefined && request?.at !== undefined ? response.at - request.at : undefined,
      method: 'POST',
      url: '',
      requestHeaders: [],
      responseHeaders: [],
      httpStatus: undefined,
      httpStatusText: '',
      request: body(request),
      response: body(response),
      ...(command !== undefined ? { command } : {}),
    });
  }
  return builder.result();
}
