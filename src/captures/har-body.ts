// The bytes of a HAR body. HAR keeps bodies as text; how binary bodies became text depends on
// the tool that wrote it:
// - Chrome, Fiddler, Charles: response bodies as base64 with `"encoding": "base64"`; request
//   bodies (`postData.text`) as text, Latin-1 or UTF-8, checked against Content-Length.
// - Firefox: binary response bodies as base64, sometimes without the `encoding` field (the
//   mislabelled base64 the panel's body.ts also meets): taken as base64 when the MIME type is not
//   text and the decoded bytes start like WBXML while the text does not.
// - mitmproxy's har_dump.py: response as base64 when mostly binary; request as text decoded as
//   Latin-1, or as UTF-8 with "surrogateescape" (bytes 0x80-0xFF as U+DC80-U+DCFF).
import { canonicalBase64Length, decodeBase64, decodeBase64Ascii } from './base64.js';
import { RawText } from './har-entry.js';
import { lazyBase64Body } from './lazy-bytes.js';
import { bytesFromText, isTextMimeType } from '../ui/devtools/model/body.js';
import { encodeUtf8 } from '../wbxml/utils/utf8.js';
import type { CaptureBody } from './types.js';

const REASONS = {
  'not-captured': 'the capture holds no body, though the headers announce one',
  lossy: 'the tool that wrote the capture turned the bytes into text in a way that lost some of them',
  truncated: 'the capture keeps only the first part of this body',
  capture: 'the capture holds a body its reader could not recover',
} as const;

export function looksLikeWbxml(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0]! <= 0x03;
}

/** Text written by Python's "surrogateescape": lone U+DC80..U+DCFF stand for the bytes 0x80..0xFF. */
function surrogateEscaped(text: string): Uint8Array | undefined {
  if (!/[\uDC80-\uDCFF]/.test(text)) return undefined;
  const parts: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc80 && code <= 0xdcff) parts.push(code - 0xdc00);
    else if (code < 0x80) parts.push(code);
    else {
      const wide = code >= 0xd800 && code <= 0xdbff ? text.slice(i, i + 2) : text[i]!;
      if (wide.length === 2) i++;
      for (const b of encodeUtf8(wide)) parts.push(b);
    }
  }
  return Uint8Array.from(parts);
}

function fromText(text: string, length: number | undefined): CaptureBody {
  const escaped = surrogateEscaped(text);
  if (escaped) return { kind: 'bytes', bytes: escaped };
  const body = bytesFromText(text, length, looksLikeWbxml);
  if (body.state === 'bytes') return { kind: 'bytes', bytes: body.bytes };
  if (body.state === 'empty') return { kind: 'empty' };
  // bytesFromText never answers with XML (only a capture's XML body does); kept for the type.
  if (body.state === 'xml') return { kind: 'xml', xml: body.xml };
  return { kind: 'missing', reason: REASONS[body.reason] };
}

export interface HarBodyInput {
  /** The text, or its bytes as they stand in the file (har-entry.ts) when they hold no escape. */
  text: string | RawText | undefined;
  /** HAR `encoding` (content.encoding, or postData.encoding as some tools write). */
  encoding: string | undefined;
  mimeType: string | undefined;
  /** Content-Length when it gives the length of these bytes (not of a compressed form). */
  length: number | undefined;
  /** HAR size or bodySize, when positive: says whether a body existed. */
  declaredSize: number | undefined;
}

const base64Labelled = (input: HarBodyInput): boolean => input.encoding?.toLowerCase() === 'base64';
/** Firefox's unlabelled base64: a MIME type that is not text, and text that does not start like WBXML. */
const maybeBase64 = (input: HarBodyInput, first: number): boolean => input.mimeType !== undefined && input.mimeType !== '' && !isTextMimeType(input.mimeType) && first > 0x03;

/**
 * A body whose text is still bytes: canonical base64 is kept as it is and decoded when its bytes
 * are first read (lazy-bytes.ts); anything else is read as a string, as before.
 */
function rawBody(input: HarBodyInput, raw: RawText): CaptureBody {
  const b = raw.bytes;
  if (b.length > 0 && (base64Labelled(input) || maybeBase64(input, b[0]!))) {
    const length = canonicalBase64Length(b, raw.digits);
    if (length !== undefined) {
      // Every byte was a base64 digit or `=`: the JSON string was valid too.
      raw.knownValid();
      // Two groups decode to the first bytes (or to all of a short body).
      if (base64Labelled(input) || (length >= 4 && looksLikeWbxml(decodeBase64Ascii(b.subarray(0, 8))))) return lazyBase64Body(b, length);
    }
  }
  return harBody({ ...input, text: raw.text() });
}

export function harBody(input: HarBodyInput): CaptureBody {
  if (input.text instanceof RawText) return rawBody(input, input.text);
  const { text } = input;
  if (text === undefined || text === '') {
    const size = input.length ?? input.declaredSize;
    return size !== undefined && size > 0 ? { kind: 'missing', reason: REASONS['not-captured'] } : { kind: 'empty' };
  }
  if (base64Labelled(input)) {
    const bytes = decodeBase64(text);
    if (bytes) return { kind: 'bytes', bytes };
  } else if (maybeBase64(input, text.charCodeAt(0))) {
    const bytes = decodeBase64(text);
    if (bytes && looksLikeWbxml(bytes)) return { kind: 'bytes', bytes };
  }
  return fromText(text, input.length);
}
