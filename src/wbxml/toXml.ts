// Tree → XML: walks the tree (with an explicit stack) and feeds XmlWriter, the same writer the
// direct bytes → XML path uses.

import { NO_ATTRIBUTES, Parser, type DecodeOptions } from './Parser.js';
import { hasContent, topLevelNodes, walk } from './tree.js';
import type { WbxmlDocument, WbxmlElement } from './types.js';
import { WbxmlError } from './WbxmlError.js';
import { utf8ToString } from './utils/utf8.js';
import { defaultMaxOutput, XmlWriter, type ToXmlOptions } from './XmlWriter.js';

export type { ToXmlOptions } from './XmlWriter.js';

/** A tree as XML, in UTF-8 bytes. */
export function toXmlBytes(input: WbxmlDocument | WbxmlElement, options?: ToXmlOptions): Uint8Array {
  const writer = new XmlWriter(options);
  writer.begin();
  if ('root' in input && !input.fragment) {
    writer.documentHeader(input.version, input.publicId, input.publicIdIndex, input.charset, input.stringTable);
  }
  walk(topLevelNodes(input), {
    enter: (el) => {
      if (el.switches) writer.switches(el.switches);
      const attributes = el.attributes.length > 0 || el.emptyAttributes ? el.attributes : NO_ATTRIBUTES;
      writer.openElement(el.page, el.token, el.token < 0 ? el.name : undefined, attributes, hasContent(el), el.offset, el.index, el.attributeSwitchesBeforeEnd);
    },
    leave: (el) => {
      if (hasContent(el)) {
        if (el.switchesBeforeEnd) writer.switches(el.switchesBeforeEnd);
        writer.closeElement();
      }
    },
    content: (node) => {
      if (node.switches) writer.switches(node.switches);
      if (node.kind === 'text') writer.textNode(node);
      else if (node.kind === 'opaque') writer.opaqueBytes(node.bytes);
      else writer.other(node);
    },
  });
  if ('root' in input && input.trailingSwitches) writer.switches(input.trailingSwitches);
  return writer.finish();
}

/** The longest string V8 makes (2^29 - 24 UTF-16 units); longer XML is a too-large error, not a RangeError. */
const MAX_STRING_LENGTH = (1 << 29) - 24;

function xmlString(bytes: Uint8Array): string {
  try {
    return utf8ToString(bytes);
  } catch (error) {
    if (bytes.length <= MAX_STRING_LENGTH) throw error;
    throw new WbxmlError('too-large', `the XML (${bytes.length} bytes) is longer than a JavaScript string can be; use the bytes (toXmlBytes, decodeToXmlBytes)`, bytes.length);
  }
}

/** A tree as indented XML with Microsoft's namespaces. */
export function toXml(input: WbxmlDocument | WbxmlElement, options?: ToXmlOptions): string {
  return xmlString(toXmlBytes(input, options));
}

/**
 * WBXML bytes straight to XML in UTF-8 bytes, without building a tree: text is copied from the
 * input and escaped, never turned into JS strings. Same XML as `toXml(decode(bytes))`.
 */
export function decodeToXmlBytes(bytes: Uint8Array, options?: DecodeOptions & ToXmlOptions): Uint8Array {
  const maxOutput = options?.maxOutput ?? defaultMaxOutput(bytes.length);
  const writer = new XmlWriter({ ...options, maxOutput });
  // XML with its tag names and indentation is about 1.5 times the WBXML (measured on Sync
  // responses); never more up front than the limit allows.
  writer.begin(Math.min(bytes.length * 2, maxOutput, 1 << 30));
  new Parser(options).parse(bytes, writer);
  return writer.finish();
}

/** WBXML bytes straight to XML text (see decodeToXmlBytes). */
export function decodeToXml(bytes: Uint8Array, options?: DecodeOptions & ToXmlOptions): string {
  return xmlString(decodeToXmlBytes(bytes, options));
}
