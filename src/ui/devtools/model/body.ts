// Getting the exact bytes of request and response bodies out of devtools.network, which hands
// them over as strings in ways that differ by browser and body (see docs/BROWSER-NOTES.md
// "What DevTools hands the panel" and the tests in test/ui/devtools/body.test.ts):
//
// Response bodies, `request.getContent(callback)`:
// - Chrome calls back `(content, encoding)`: binary types (application/vnd.ms-sync.wbxml) as
//   base64 with encoding 'base64'; text types (an HTML error page) as text with encoding ''.
// - Firefox calls back `(content, mimeType)`: the second argument is the MIME type, not the
//   encoding. Bodies of types it does not count as text come base64-encoded, text as text. It
//   keeps only the first devtools.netmonitor.responseBodyLimit bytes (1 MB by default).
//
// Request bodies, HAR `request.postData.text` (there is no getContent for them):
// - Chrome 156 gives a body that is valid UTF-8 as UTF-8 text (any size); one that is not, one
//   character per byte (Latin-1) up to 65,536 bytes, and above that, or when sent as a Blob, as
//   UTF-8 with U+FFFD where bytes were not UTF-8, which loses them. Its `request.bodySize` is
//   the UTF-8 length of that text, not the body's length: Content-Length is the reliable figure.
// - Firefox decodes posted bytes as text too.
// So a request body is taken only when one reading of the text gives exactly Content-Length
// bytes, and never when it holds U+FFFD; otherwise the panel says it cannot show it.

import { fromBase64 } from '../../../shared/base64';
import { encodeUtf8, isValidUtf8 } from '../../../wbxml/utils/utf8';

export type UnavailableReason =
  /** The browser gave no body (not captured, or DevTools opened too late). */
  | 'not-captured'
  /** The browser turned the bytes into text in a way that lost some of them. */
  | 'lossy'
  /** Firefox keeps only the first part of large bodies. */
  | 'truncated'
  /** A capture file holds no body, or one its reader could not recover (`detail` says why). */
  | 'capture';

export type Body =
  | { state: 'empty' }
  | {
      state: 'bytes';
      bytes: Uint8Array;
      /** How the bytes were recovered. */
      via: 'base64' | 'text' | 'utf8' | 'latin1';
      /** Recovered from text without a Content-Length to check against. */
      unverified?: boolean;
    }
  /** Only XML text is known (Exchange's mailbox log, the extension's trimmed traces): no WBXML bytes. */
  | { state: 'xml'; xml: string }
  | { state: 'unavailable'; reason: UnavailableReason; detail?: string };

const REPLACEMENT = '\uFFFD';

/** Firefox's rule (NetworkHelper.isTextMimeType), simplified: which bodies it passes as text. */
export function isTextMimeType(mimeType: string): boolean {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('text/')) return true;
  if (/^application\/[\w.-]+(\+xml|[-+]json)$/.test(type)) return true;
  return ['application/xml', 'application/json', 'application/javascript', 'application/x-javascript', 'application/ecmascript', 'application/xhtml+xml', 'image/svg+xml'].includes(type);
}

function latin1Bytes(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return undefined;
    bytes[i] = code;
  }
  return bytes;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * The bytes a browser's text rendering of a body stands for, when they can be told exactly.
 * `expectedLength` is the Content-Length, when known. `plausible` decides between two readings
 * when there is no length to check (e.g. "does it decode as WBXML").
 */
export function bytesFromText(text: string, expectedLength: number | undefined, plausible: (bytes: Uint8Array) => boolean = () => true): Body {
  if (text === '') return expectedLength === undefined || expectedLength === 0 ? { state: 'empty' } : { state: 'unavailable', reason: 'not-captured' };
  if (text.includes(REPLACEMENT)) return { state: 'unavailable', reason: 'lossy' };
  if (isAscii(text)) {
    const bytes = latin1Bytes(text)!;
    if (expectedLength !== undefined && bytes.length !== expectedLength) return { state: 'unavailable', reason: 'lossy' };
    return { state: 'bytes', bytes, via: 'text' };
  }
  const utf8 = encodeUtf8(text);
  const latin1 = latin1Bytes(text);
  if (expectedLength !== undefined) {
    if (utf8.length === expectedLength) return { state: 'bytes', bytes: utf8, via: 'utf8' };
    if (latin1 && latin1.length === expectedLength) return { state: 'bytes', bytes: latin1, via: 'latin1' };
    return { state: 'unavailable', reason: 'lossy' };
  }
  // Characters above U+00FF, or a Latin-1 reading that is valid UTF-8 (browsers would have shown
  // that as UTF-8): the text is a UTF-8 decoding.
  if (!latin1 || isValidUtf8(latin1)) return { state: 'bytes', bytes: utf8, via: 'utf8', unverified: true };
  if (plausible(latin1) && !plausible(utf8)) return { state: 'bytes', bytes: latin1, via: 'latin1', unverified: true };
  return { state: 'bytes', bytes: utf8, via: 'utf8', unverified: true };
}

/** A Content-Length header value as a number, when it is one. */
export function contentLength(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

export interface RequestBodyInput {
  method: string;
  /** HAR request.postData.text */
  text: string | undefined;
  contentLength: number | undefined;
  plausible?: (bytes: Uint8Array) => boolean;
}

export function requestBody({ method, text, contentLength: length, plausible }: RequestBodyInput): Body {
  if (text === undefined) {
    if (length === 0 || (length === undefined && (method === 'GET' || method === 'OPTIONS' || method === 'HEAD'))) return { state: 'empty' };
    return { state: 'unavailable', reason: 'not-captured' };
  }
  return bytesFromText(text, length, plausible);
}

export interface ResponseBodyInput {
  /** First argument of getContent's callback (or HAR content.text). */
  content: string | null | undefined;
  /** Second argument: Chrome's encoding ('base64' or ''), or Firefox's MIME type. */
  second: string | null | undefined;
  /** HAR response.content.encoding, when the entry carries one (getHAR logs, imported HAR). */
  harEncoding?: string | undefined;
  /** Content-Length of the response, when sent and the body was not compressed in transit. */
  contentLength: number | undefined;
  plausible?: (bytes: Uint8Array) => boolean;
}

export function responseBody(input: ResponseBodyInput): Body {
  const { content, second } = input;
  if (content === null || content === undefined) return input.contentLength === 0 ? { state: 'empty' } : { state: 'unavailable', reason: 'not-captured' };
  if (content === '') return input.contentLength ? { state: 'unavailable', reason: 'not-captured' } : { state: 'empty' };
  const secondIsMime = typeof second === 'string' && second.includes('/');
  const base64 =
    second === 'base64' ||
    input.harEncoding === 'base64' ||
    // Firefox: the second argument is the MIME type, and non-text types come base64-encoded.
    (secondIsMime && !isTextMimeType(second));
  if (base64) {
    const bytes = fromBase64(content);
    if (bytes) {
      if (input.contentLength !== undefined && bytes.length < input.contentLength) return { state: 'unavailable', reason: 'truncated' };
      return { state: 'bytes', bytes, via: 'base64' };
    }
    // Not base64 after all: fall through and read it as text.
  }
  return bytesFromText(content, input.contentLength, input.plausible);
}
