import type { EasElement } from './tree';

/**
 * What the ActiveSync core needs from the WBXML codec. The core receives it instead of
 * importing the codec, so it can be tested with any codec and stays free of build order;
 * `src/activesync/codec.ts` adapts the project's own codec to it.
 */
export interface WbxmlPort {
  /** Decodes a whole WBXML document to its root element; throws an error with `offset` on bad input. */
  decode(bytes: Uint8Array): EasElement;
  /** Encodes a tree with the header real clients send (03 01 6A 00). */
  encode(root: EasElement): Uint8Array;
  /** Indented XML for traces and printouts. */
  toXml(root: EasElement): string;
  /** XML text (as a user writes it, `xmlns="FolderHierarchy:"`) to WBXML bytes. */
  encodeXml(xml: string): Uint8Array;
}
