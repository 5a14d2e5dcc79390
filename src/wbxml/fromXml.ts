// XML text → tree, so that users can paste or write a request. Reads the output of toXml and of
// libwbxml, and hand-written XML: namespaces are matched ignoring case and with or without the
// trailing colon ("AirSync:", "airsync:", "AirSync"), tag names also by their old names
// ("Recurrence_Type"). Text of byte-array tags is read as base64 (ConversationId) or taken as the
// bytes of the text (ComposeMail:Mime). Errors carry the line and column.

import { SaxesParser, type SaxesTagNS } from 'saxes';
import { contentKind, findTag, pageByNamespace } from './codepages.js';
import { parseAttributeTokenName, parseUnknownNamespace, parseUnknownTagName } from './names.js';
import { WBXML_PI_TARGET } from './XmlWriter.js';
import { createDocument, elementFor, resolveUnqualified } from './tree.js';
import type { WbxmlAttribute, WbxmlDocument, WbxmlElement, WbxmlNode } from './types.js';
import { fromBase64 } from '../shared/base64.js';
import { decodeUtf8, encodeUtf8 } from './utils/utf8.js';
import { WbxmlError, type WbxmlErrorCode } from './WbxmlError.js';

export interface FromXmlOptions {
  /** Accept several top-level elements (a header-less fragment). */
  fragment?: boolean;
  /**
   * Accept tag and attribute names no code page defines, as WBXML LITERALs (the encoder then
   * writes a string table). Off by default, so that a misspelt tag is reported.
   */
  literals?: boolean;
}

interface Position {
  line: number;
  column: number;
  offset: number;
}

export function fromXml(xml: string, options: FromXmlOptions = {}): WbxmlDocument {
  return new XmlReader(options).read(xml);
}

class XmlReader {
  private readonly parser: SaxesParser<{ xmlns: true; position: true; fragment: boolean }>;
  private readonly options: FromXmlOptions;
  private readonly stack: WbxmlElement[] = [];
  private readonly selfClosing: boolean[] = [];
  private readonly body: WbxmlNode[] = [];
  /** Offset of the "<" of the tag being read. */
  private tagStart = 0;
  private xml = '';

  constructor(options: FromXmlOptions) {
    this.options = options;
    this.parser = new SaxesParser({
      xmlns: true,
      position: true,
      fragment: options.fragment ?? false,
      // 1.1 lets character references name control characters (toXml writes them that way); a
      // document that declares version 1.0 is read as 1.0.
      defaultXMLVersion: '1.1',
    });
  }

  read(xml: string): WbxmlDocument {
    this.xml = xml;
    const parser = this.parser;
    parser.on('opentagstart', (tag) => {
      // The parser stands after "<name" and the character that ended the name: note the "<".
      this.tagStart = Math.max(0, parser.position - tag.name.length - 2);
    });
    parser.on('opentag', (tag) => this.openTag(tag));
    parser.on('closetag', () => this.closeTag());
    parser.on('text', (text) => this.addText(text));
    parser.on('cdata', (text) => this.addText(text));
    parser.on('processinginstruction', ({ target, body }) => this.addPi(target, body));
    parser.on('error', (error) => {
      const at = this.position();
      const message = error.message.replace(/^[^:]*:\d+:\d+: /, '');
      throw new WbxmlError('xml-syntax', `XML error at line ${at.line}, column ${at.column}: ${message}`, at.offset, at);
    });
    parser.write(xml).close();
    const root = this.body.find((node): node is WbxmlElement => node.kind === 'element');
    if (root === undefined) throw new WbxmlError('no-root', 'the XML holds no element', xml.length);
    const doc = createDocument(root);
    doc.body = this.body;
    doc.fragment = this.options.fragment ?? false;
    return doc;
  }

  private position(): Position {
    return { line: this.parser.line, column: this.parser.column + 1, offset: this.parser.position };
  }

  /** Line and column (1-based) of a character offset. */
  private locate(offset: number): Position {
    let line = 1;
    let lineStart = 0;
    for (let i = this.xml.indexOf('\n'); i >= 0 && i < offset; i = this.xml.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, column: offset - lineStart + 1, offset };
  }

  private fail(code: WbxmlErrorCode, message: string, offset: number = this.tagStart): never {
    const at = this.locate(offset);
    throw new WbxmlError(code, `${message} at line ${at.line}, column ${at.column}`, offset, at);
  }

  private get current(): WbxmlElement | undefined {
    return this.stack[this.stack.length - 1];
  }

  private add(node: WbxmlNode): void {
    const parent = this.current;
    if (parent) parent.children.push(node);
    else this.body.push(node);
  }

  private openTag(tag: SaxesTagNS): void {
    const element = this.resolve(tag);
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === 'xmlns' || (attribute.prefix === '' && attribute.local === 'xmlns')) continue;
      element.attributes.push(this.attribute(attribute.local, attribute.value));
    }
    this.add(element);
    this.stack.push(element);
    this.selfClosing.push(tag.isSelfClosing);
  }

  private resolve(tag: SaxesTagNS): WbxmlElement {
    const { uri, local } = tag;
    const parent = this.current;
    if (uri === '') {
      const found = resolveUnqualified(local, parent?.page ?? 0);
      if (found) return elementFor(found[0], found[1]);
      return this.unknown(local, parent?.page ?? 0, `no code page defines <${local}> (or several do: give its namespace)`);
    }
    const page = pageByNamespace(uri)?.index ?? parseUnknownNamespace(uri);
    if (page === undefined) return this.fail('unknown-tag', `unknown namespace ${JSON.stringify(uri)} of <${tag.name}>`);
    const token = findTag(page, local) ?? parseUnknownTagName(local);
    if (token !== undefined) return elementFor(page, token);
    return this.unknown(local, page, `no tag <${local}> in namespace ${JSON.stringify(uri)}`);
  }

  /** A name no page defines: a LITERAL if allowed, else an error. */
  private unknown(name: string, page: number, message: string): WbxmlElement {
    if (!this.options.literals) this.fail('unknown-tag', message);
    const element = elementFor(page, -1);
    element.name = name;
    return element;
  }

  private attribute(name: string, value: string): WbxmlAttribute {
    const token = parseAttributeTokenName(name);
    if (token === undefined && !this.options.literals) {
      this.fail('unknown-tag', `attribute ${JSON.stringify(name)}: ActiveSync defines no attributes`);
    }
    return {
      name,
      page: token?.page ?? 0,
      token: token?.token ?? -1,
      value: value === '' ? [] : [{ kind: 'text', value, offset: -1 }],
      offset: -1,
    };
  }

  private addText(text: string): void {
    const parent = this.current;
    if (parent === undefined) {
      if (text.trim() !== '') this.body.push({ kind: 'text', value: text, offset: -1 });
      return;
    }
    const last = parent.children[parent.children.length - 1];
    if (last?.kind === 'text') last.value += text;
    else parent.children.push({ kind: 'text', value: text, offset: -1 });
  }

  private closeTag(): void {
    const element = this.stack.pop()!;
    // <X></X> holds an empty string (STR_I ""), <X/> nothing: keep the difference.
    if (!this.selfClosing.pop() && element.children.length === 0) element.children.push({ kind: 'text', value: '', offset: -1 });
    const children = element.children;
    // White space between child elements is layout, not content.
    if (children.some((child) => child.kind === 'element')) {
      element.children = children.filter((child) => child.kind !== 'text' || child.value.trim() !== '');
    }
    const kind = element.token >= 0 ? contentKind(element.page, element.token) : 'text';
    if (kind === 'text') return;
    element.children = element.children.map((child) => {
      if (child.kind !== 'text') return child;
      if (kind === 'mime') return { kind: 'opaque', bytes: encodeUtf8(child.value), offset: -1 };
      const bytes = fromBase64(child.value);
      if (bytes === undefined) {
        this.fail('bad-value', `<${element.name}> holds bytes written as base64, but ${JSON.stringify(child.value.slice(0, 40))} is not base64`, this.parser.position);
      }
      return { kind: 'opaque', bytes, offset: -1 };
    });
  }

  /** `<?wbxml …?>` carries what XML has no syntax for; any other PI is a WBXML PI. */
  private addPi(target: string, body: string): void {
    if (target !== WBXML_PI_TARGET) {
      const pi = this.attribute(target, body);
      this.add({ kind: 'pi', target: pi, offset: -1 });
      return;
    }
    const [what, a = '', b = ''] = body.trim().split(/\s+/);
    const ext = Number(a);
    const isExt = ext === 0 || ext === 1 || ext === 2;
    let node: WbxmlNode | undefined;
    if (what === 'opaque') {
      const bytes = fromBase64(a);
      if (bytes) node = { kind: 'opaque', bytes, offset: -1 };
    } else if (what === 'entity' && /^\d+$/.test(a)) {
      node = { kind: 'entity', code: Number(a), offset: -1 };
    } else if (what === 'ext' && isExt) {
      node = { kind: 'ext', ext, form: 'token', offset: -1 };
    } else if (what === 'ext-t' && isExt && /^\d+$/.test(b)) {
      node = { kind: 'ext', ext, form: 'table', index: Number(b), offset: -1 };
    } else if (what === 'ext-i' && isExt) {
      const bytes = fromBase64(b);
      if (bytes) node = { kind: 'ext', ext, form: 'inline', text: decodeUtf8(bytes, 0, bytes.length), offset: -1 };
    }
    if (node === undefined) this.fail('bad-value', `cannot read <?${target} ${body}?>`, this.parser.position);
    this.add(node);
  }
}
