// The WBXML codec: pure TypeScript, the same in Node and the browser.
//
//   decode(bytes) → tree        encode(tree) → bytes (03 01 6A 00 header, STR_I, OPAQUE)
//   toXml(tree) → XML text      fromXml(text) → tree
//   decodeToXml(bytes)          encodeXml(text)

import { Decoder, type DecodeOptions } from './Decoder.js';
import { Encoder, type EncodeOptions } from './Encoder.js';
import { fromXml, type FromXmlOptions } from './fromXml.js';
import { decodeToXml, decodeToXmlBytes, toXml, toXmlBytes } from './toXml.js';
import type { WbxmlDocument, WbxmlElement } from './types.js';
import { decodeXmlBytes } from './xmlBytes.js';

export type { DecodeOptions } from './Decoder.js';
export type { EncodeOptions } from './Encoder.js';
export type { FromXmlOptions } from './fromXml.js';
export type { ToXmlOptions } from './XmlWriter.js';
export type * from './types.js';
export { Decoder, DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES } from './Decoder.js';
export { Encoder } from './Encoder.js';
export { Parser, type ParseHandler, type WbxmlHeader } from './Parser.js';
export { XmlWriter, ACTIVESYNC_DOCTYPE, DEFAULT_MAX_XML_BYTES, defaultMaxOutput } from './XmlWriter.js';
export { WbxmlError, type WbxmlErrorCode } from './WbxmlError.js';
export { CODE_PAGES, codePage, contentKind, findTag, findTagOnAnyPage, lookupTag, pageByNamespace, tagAliases, tagName, type CodePage, type ContentKind } from './codepages.js';
export { contentOf, createDocument, element, elementFor, findChild, findChildren, findPath, hasContent, hasName, textOf, walk, type TreeVisitor } from './tree.js';
export { fromXml, toXml, toXmlBytes, decodeToXml, decodeToXmlBytes, decodeXmlBytes };

/** Decodes WBXML bytes to a tree. Throws WbxmlError for malformed input. */
export function decode(bytes: Uint8Array, options?: DecodeOptions): WbxmlDocument {
  return new Decoder(options).decode(bytes);
}

/** Encodes a tree as real ActiveSync clients do: header 03 01 6A 00, no string table. */
export function encode(input: WbxmlDocument | WbxmlElement, options?: EncodeOptions): Uint8Array {
  return new Encoder().encode(input, options);
}

/** XML text straight to WBXML bytes. */
export function encodeXml(xml: string, options?: FromXmlOptions): Uint8Array {
  return encode(fromXml(xml, options));
}

/**
 * XML bytes (a file) to WBXML bytes, reading them in the encoding the XML declares (or its
 * byte-order mark); bytes not valid in it are a WbxmlError with line and column.
 */
export function encodeXmlBytes(xml: Uint8Array, options?: FromXmlOptions): Uint8Array {
  return encodeXml(decodeXmlBytes(xml), options);
}
