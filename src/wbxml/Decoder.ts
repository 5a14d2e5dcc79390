// WBXML bytes → tree: builds WbxmlDocument from what the Parser reports.

import { tagName } from './codepages.js';
import { namespaceOf, unknownTagName } from './names.js';
import { Parser, type DecodeOptions, type ParseHandler } from './Parser.js';
import type { WbxmlAttribute, WbxmlDocument, WbxmlElement, WbxmlEntity, WbxmlExtension, WbxmlNode, WbxmlPi } from './types.js';
import { decodeLatin1, decodeUtf8 } from './utils/utf8.js';

export { DEFAULT_MAX_DEPTH, type DecodeOptions } from './Parser.js';

export class Decoder implements ParseHandler {
  private readonly parser: Parser;
  private body: WbxmlNode[] = [];
  private stack: WbxmlElement[] = [];
  private children: WbxmlNode[] = this.body;
  private tableCache = new Map<number, string>();

  constructor(options: DecodeOptions = {}) {
    this.parser = new Parser(options);
  }

  decode(bytes: Uint8Array): WbxmlDocument {
    this.body = this.children = [];
    this.stack = [];
    this.tableCache = new Map();
    try {
      const header = this.parser.parse(bytes, this);
      const root = this.body.find((node): node is WbxmlElement => node.kind === 'element')!;
      const document: WbxmlDocument = {
        version: header.version,
        publicId: header.publicId,
        charset: header.charset,
        stringTable: bytes.slice(header.tableStart, header.tableEnd),
        root,
        body: this.body,
        fragment: this.parser.isFragment,
      };
      if (header.publicIdText !== undefined) document.publicIdText = header.publicIdText;
      return document;
    } finally {
      this.body = this.children = [];
      this.stack = [];
      this.tableCache = new Map();
    }
  }

  openElement(page: number, token: number, literal: string | undefined, attributes: WbxmlAttribute[], hasContent: boolean, offset: number): void {
    const known = literal === undefined ? tagName(page, token) : undefined;
    const element: WbxmlElement = {
      kind: 'element',
      page,
      token,
      name: literal ?? known ?? unknownTagName(token),
      namespace: namespaceOf(page),
      known: known !== undefined,
      attributes: attributes.length > 0 ? attributes : [],
      children: [],
      offset,
    };
    this.children.push(element);
    if (hasContent) {
      this.stack.push(element);
      this.children = element.children;
    }
  }

  closeElement(): void {
    this.stack.pop();
    this.children = this.stack.length > 0 ? this.stack[this.stack.length - 1]!.children : this.body;
  }

  text(input: Uint8Array, start: number, end: number, latin1: boolean, tableIndex: number, offset: number): void {
    let value: string | undefined;
    if (tableIndex >= 0) {
      value = this.tableCache.get(tableIndex);
      if (value === undefined) {
        value = latin1 ? decodeLatin1(input, start, end) : decodeUtf8(input, start, end);
        this.tableCache.set(tableIndex, value);
      }
    } else {
      value = latin1 ? decodeLatin1(input, start, end) : decodeUtf8(input, start, end);
    }
    this.children.push({ kind: 'text', value, offset });
  }

  opaque(input: Uint8Array, start: number, end: number, offset: number): void {
    // Copied, so that the tree does not keep the whole input alive.
    this.children.push({ kind: 'opaque', bytes: input.slice(start, end), offset });
  }

  other(node: WbxmlEntity | WbxmlExtension | WbxmlPi): void {
    this.children.push(node);
  }
}
