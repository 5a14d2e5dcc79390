// A body shown as XML (WBXML decoded with the project's codec, a mailbox log's XML as it is) or
// as a tree for the diff. Decoding happens here, when a body is shown, searched or compared,
// never while a capture is listed.
import { Decoder } from '../wbxml/Decoder.js';
import { fromXml } from '../wbxml/fromXml.js';
import { decodeToXml } from '../wbxml/toXml.js';
import type { WbxmlElement } from '../wbxml/types.js';
import { WbxmlError } from '../wbxml/WbxmlError.js';
import { looksLikeWbxml } from './har-body.js';
import type { CaptureBody } from './types.js';

export type BodyXml =
  | { kind: 'empty' }
  | { kind: 'xml'; xml: string }
  /** Not WBXML (an HTML error page, plain text): shown as text. */
  | { kind: 'text'; text: string }
  | { kind: 'error'; message: string };

function isText(bytes: Uint8Array): boolean {
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) {
    const b = bytes[i]!;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) return false;
  }
  return true;
}

export function bodyXml(body: CaptureBody): BodyXml {
  switch (body.kind) {
    case 'empty':
      return { kind: 'empty' };
    case 'missing':
      return { kind: 'error', message: body.reason };
    case 'xml':
      return { kind: 'xml', xml: body.xml };
    case 'bytes':
      if (body.bytes.length === 0) return { kind: 'empty' };
      if (looksLikeWbxml(body.bytes)) {
        try {
          return { kind: 'xml', xml: decodeToXml(body.bytes) };
        } catch (error) {
          if (!(error instanceof WbxmlError)) throw error;
          return { kind: 'error', message: `not valid WBXML: ${error.message}` };
        }
      }
      if (isText(body.bytes)) return { kind: 'text', text: new TextDecoder().decode(body.bytes) };
      return { kind: 'error', message: `${body.bytes.length} bytes that are neither WBXML nor text` };
  }
}

/** The body's root element, or why there is none. */
export function bodyTree(body: CaptureBody): { root: WbxmlElement } | { root: undefined; reason: string } {
  try {
    if (body.kind === 'bytes' && looksLikeWbxml(body.bytes)) return { root: new Decoder().decode(body.bytes).root };
    // Mailbox logs write data-less tags as <Subject bytes="19"/>; attributes are kept as literals.
    if (body.kind === 'xml') return { root: fromXml(body.xml, { literals: true }).root };
  } catch (error) {
    return { root: undefined, reason: error instanceof Error ? error.message : String(error) };
  }
  return { root: undefined, reason: body.kind === 'missing' ? body.reason : body.kind === 'empty' ? 'empty body' : 'not WBXML' };
}
