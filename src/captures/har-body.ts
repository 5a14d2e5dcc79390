// The bytes of a HAR body. HAR keeps bodies as text; how binary bodies became text depends on
// the tool that wrote it:
// - Chrome, Fiddler, Charles: response bodies as base64 with `"encoding": "base64"`; request
//   bodies (`postData.text`) as text, Latin-1 or UTF-8, checked against Content-Length.
// - Firefox: binary response bodies as base64, sometimes without the `encoding` field (the
//   mislabelled base64 the panel's body.ts also meets): taken as base64 when the MIME type is not
//   text and the decoded bytes start like WBXML while the text does not.
// - mitmproxy's har_dump.py: response as base64 when mostly binary; request as text decoded as
//   Latin-1, or as UTF-8 with "surrogateescape" (bytes 0x80-0xFF as U+DC80-U+DCFF).
import { decodeBase64 } from './base64.js';
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
  text: string | undefined;
  /** HAR `encoding` (content.encoding, or postData.encoding as some tools write). */
  encoding: string | undefined;
  mimeType: string | undefined;
  /** Content-Length when it gives the length of these bytes (not of a compressed form). */
  length: number | undefined;
  /** HAR size or bodySize, when positive: says whether a body existed. */
  declaredSize: number | undefined;
}

export function harBody(input: HarBodyInput): CaptureBody {
  const { text } = input;
  if (text === undefined || text === '') {
    const size = input.length ?? input.declaredSize;
    return size !== undefined && size > 0 ? { kind: 'missing', reason: REASONS['not-captured'] } : { kind: 'empty' };
  }
  if (input.encoding?.toLowerCase() === 'base64') {
    const bytes = decodeBase64(text);
    if (bytes) return { kind: 'bytes', bytes };
  } else if (input.mimeType !== undefined && input.mimeType !== '' && !isTextMimeType(input.mimeType) && text.charCodeAt(0) > 0x03) {
    const bytes = decodeBase64(text);
    if (bytes && looksLikeWbxml(bytes)) return { kind: 'bytes', bytes };
  }
  return fromText(text, input.length);
}
