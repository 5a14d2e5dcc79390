// XML text → tree, so that users can paste or write a request. Reads the output of toXml and of
// libwbxml, and hand-written XML: namespaces are matched ignoring case and with or without the
// trailing colon ("AirSync:", "airsync:", "AirSync"), tag names also by their old names
// ("Recurrence_Type"). Text of byte-array tags is read as base64 (ConversationId) or taken as the
// bytes of the text (ComposeMail:Mime). Errors carry the line and column.

import { SaxesParser, type SaxesTagNS } from 'saxes';
import { contentKind, findTag, pageByNamespace } from './codepages.js';
import { readAttributesMarker, readLiteralMarker, readPiMarker } from './exact.js';
import { parseAttributeTokenName, parseUnknownNamespace, parseUnknownTagName } from './names.js';
import { readableAttributes, readablePi, WBXML_PI_TARGET } from './XmlWriter.js';
import { createDocument, elementFor, resolveUnqualified } from './tree.js';
import type { WbxmlAttribute, WbxmlDocument, WbxmlElement, WbxmlNode, WbxmlPi, WbxmlText } from './types.js';
import { fromBase64, fromHex } from '../shared/base64.js';
import { decodeUtf8, encodeUtf8 } from './utils/utf8.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES } from './Parser.js';
import { WbxmlError, type WbxmlErrorCode } from './WbxmlError.js';

/** How a `<?wbxml as …?>` marker says the text after it was carried. */
type Carried = { as: 'str-i' } | { as: 'str-t'; index: number } | { as: 'opaque' };

export interface FromXmlOptions {
  /** Accept several top-level elements (a header-less fragment). */
  fragment?: boolean;
  /**
   * Accept tag and attribute names no code page defines, as WBXML LITERALs (the encoder then
   * writes a string table). Off by default, so that a misspelt tag is reported.
   */
  literals?: boolean;
  /** Deepest element nesting accepted (default 100, as for WBXML). */
  maxDepth?: number;
  /** Most nodes the tree may hold (default DEFAULT_MAX_NODES, as for WBXML). */
  maxNodes?: number;
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
  /** Text nodes that follow a `<?wbxml as …?>` marker, and how they were carried. */
  private readonly carried = new Map<WbxmlText, Carried>();
  /** Elements marked `<?wbxml empty?>`. */
  private readonly empty = new Set<WbxmlElement>();
  /** The header given by `<?wbxml header …?>`. */
  private header: Partial<Pick<WbxmlDocument, 'version' | 'publicId' | 'publicIdIndex' | 'charset' | 'stringTable'>> = {};
  private readonly maxDepth: number;
  private readonly maxNodes: number;
  private nodes = 0;
  /** XML with libwbxml's ActiveSync DOCTYPE: ComposeMail:Mime holds base64, as libwbxml writes it. */
  private libwbxml = false;
  /** Pages of `<?wbxml switch …?>` for the next node, end tag, or the end of the document. */
  private pendingSwitches: number[] | undefined;
  /** `<?wbxml as entity?>`: the next character is an ENTITY token. */
  private pendingEntity = false;
  /** `<?wbxml pi …?>`: the exact form of the processing instruction that follows it. */
  private pendingPi: WbxmlPi | undefined;
  /** `<?wbxml literal …?>` and `<?wbxml attributes …?>` for the next element. */
  private pendingLiteral: { name: string; index?: number } | undefined;
  private pendingAttributes: { attributes: WbxmlAttribute[]; end?: number[] } | undefined;
  /** `<?wbxml binary hex?>`: byte arrays are written in hex, not base64. */
  private hex = false;

  constructor(options: FromXmlOptions) {
    this.options = options;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
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
      // Checked before saxes resolves namespaces, which costs time in proportion to the depth.
      if (this.stack.length >= this.maxDepth) {
        this.fail('too-deep', `<${tag.name}> nests deeper than ${this.maxDepth} levels`);
      }
    });
    parser.on('opentag', (tag) => this.openTag(tag));
    parser.on('closetag', () => this.closeTag());
    parser.on('text', (text) => this.addText(text));
    parser.on('cdata', (text) => this.addText(text));
    parser.on('doctype', (doctype) => {
      if (/-\/\/MICROSOFT\/\/DTD ActiveSync\/\/EN/i.test(doctype)) this.libwbxml = true;
    });
    parser.on('processinginstruction', ({ target, body }) => this.addPi(target, body));
    parser.on('error', (error) => {
      const at = this.position();
      // saxes starts its message with "file:line:column: ", or "line:column: " without a file
      // name ("2:0: unclosed tag" came out after our own line and column).
      const message = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
      throw new WbxmlError('xml-syntax', `XML error at line ${at.line}, column ${at.column}: ${message}`, at.offset, at);
    });
    try {
      parser.write(xml).close();
    } catch (error) {
      if (error instanceof WbxmlError) throw error;
      // saxes throws plain errors too (a RangeError for "<!" and a lone surrogate).
      const at = this.position();
      const message = error instanceof Error ? error.message : String(error);
      throw new WbxmlError('xml-syntax', `XML error at line ${at.line}, column ${at.column}: ${message}`, at.offset, at);
    }
    if (this.pendingEntity || this.pendingPi !== undefined || this.pendingLiteral !== undefined || this.pendingAttributes !== undefined)
      this.fail('bad-value', 'the XML ends after a <?wbxml …?> marker for what follows', xml.length);
    const root = this.body.find((node): node is WbxmlElement => node.kind === 'element');
    if (root === undefined) throw new WbxmlError('no-root', 'the XML holds no element', xml.length);
    const doc = createDocument(root);
    doc.body = this.body;
    doc.fragment = this.options.fragment ?? false;
    Object.assign(doc, this.header);
    if (this.pendingSwitches !== undefined) doc.trailingSwitches = this.pendingSwitches;
    if (doc.publicId === 0) {
      const index = doc.publicIdIndex ?? 0;
      const end = doc.stringTable.indexOf(0, index);
      if (end < 0) this.fail('bad-value', `the header's public identifier index ${index} names no string of the string table`, 0);
      doc.publicIdText = decodeUtf8(doc.stringTable, index, end);
    }
    return doc;
  }

  private count(): void {
    if (++this.nodes > this.maxNodes) {
      this.fail('too-large', `the tree would hold more than ${this.maxNodes} nodes; raise maxNodes (--max-nodes) to read it`, this.parser.position);
    }
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
    this.count();
    if (this.pendingSwitches !== undefined) {
      node.switches = this.pendingSwitches;
      this.pendingSwitches = undefined;
    }
    const parent = this.current;
    if (parent) parent.children.push(node);
    else this.body.push(node);
  }

  /** `<?wbxml as entity?>` must be followed by its character, `<?wbxml pi …?>` by its PI. */
  private noPendingMarker(): void {
    if (this.pendingEntity) this.fail('bad-value', '<?wbxml as entity?> is not followed by a character', this.parser.position);
    if (this.pendingPi !== undefined) this.fail('bad-value', '<?wbxml pi …?> is not followed by its processing instruction', this.parser.position);
  }

  private openTag(tag: SaxesTagNS): void {
    this.noPendingMarker();
    const literal = this.pendingLiteral;
    const marked = this.pendingAttributes;
    this.pendingLiteral = this.pendingAttributes = undefined;
    const element = literal === undefined ? this.resolve(tag) : this.literal(tag, literal);
    const shown: Array<[string, string]> = [];
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === 'xmlns' || (attribute.prefix === '' && attribute.local === 'xmlns')) continue;
      if (marked !== undefined) shown.push([attribute.local, attribute.value]);
      else element.attributes.push(this.attribute(attribute.local, attribute.value));
    }
    if (marked !== undefined) {
      // The marker is exact, the attributes are its readable form: an edit to one alone is refused, not lost.
      if (JSON.stringify(shown) !== JSON.stringify(readableAttributes(marked.attributes))) {
        this.fail('bad-value', `the attributes of <${tag.name}> differ from its <?wbxml attributes …?> marker: change the marker too, or remove it`);
      }
      element.attributes = marked.attributes;
      if (marked.attributes.length === 0) element.emptyAttributes = true;
      if (marked.end !== undefined) element.attributeSwitchesBeforeEnd = marked.end;
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

  /** An element marked `<?wbxml literal …?>`: a LITERAL with that name, on the page of its namespace. */
  private literal(tag: SaxesTagNS, literal: { name: string; index?: number }): WbxmlElement {
    const page = tag.uri === '' ? (this.current?.page ?? 0) : (pageByNamespace(tag.uri)?.index ?? parseUnknownNamespace(tag.uri));
    if (page === undefined) return this.fail('unknown-tag', `unknown namespace ${JSON.stringify(tag.uri)} of <${tag.name}>`);
    const element = elementFor(page, -1);
    element.name = literal.name;
    if (literal.index !== undefined) element.index = literal.index;
    return element;
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
    if (this.pendingPi !== undefined) this.noPendingMarker();
    if (this.pendingEntity) {
      // The first character is the ENTITY, the rest text of its own.
      this.pendingEntity = false;
      const code = text.codePointAt(0)!;
      this.add({ kind: 'entity', code, offset: -1 });
      text = text.slice(code > 0xffff ? 2 : 1);
      if (text === '') return;
    }
    const parent = this.current;
    if (parent === undefined) {
      if (text.trim() !== '') this.add({ kind: 'text', value: text, offset: -1 });
      return;
    }
    const last = parent.children[parent.children.length - 1];
    if (last?.kind === 'text' && this.pendingSwitches === undefined) last.value += text;
    else this.add({ kind: 'text', value: text, offset: -1 });
  }

  private closeTag(): void {
    this.noPendingMarker();
    const element = this.stack.pop()!;
    const selfClosing = this.selfClosing.pop()!;
    if (this.pendingSwitches !== undefined) {
      element.switchesBeforeEnd = this.pendingSwitches;
      this.pendingSwitches = undefined;
    }
    if (this.empty.has(element)) {
      if (element.children.length > 0) this.fail('bad-value', `<${element.name}> is marked <?wbxml empty?> but holds content`, this.parser.position);
      element.emptyContent = true;
      return;
    }
    // <X></X> holds an empty string (STR_I ""), <X/> nothing: keep the difference.
    if (!selfClosing && element.children.length === 0) element.children.push({ kind: 'text', value: '', offset: -1 });
    const children = element.children;
    // White space between child elements is layout, not content (unless a marker says otherwise).
    if (children.some((child) => child.kind === 'element')) {
      element.children = children.filter((child) => child.kind !== 'text' || child.value.trim() !== '' || this.carried.has(child));
    }
    const declared = element.token >= 0 ? contentKind(element.page, element.token) : 'text';
    const kind = declared === 'mime' && this.libwbxml ? 'binary' : declared;
    if (kind === 'text' && this.carried.size === 0) return;
    element.children = element.children.map((child) => {
      if (child.kind !== 'text') return child;
      const carried = this.carried.get(child);
      if (carried?.as === 'str-t') return { kind: 'text', value: child.value, carried: 'table', index: carried.index, offset: -1 };
      // STR_I: marked only where the encoder would not write STR_I by itself.
      if (carried?.as === 'str-i') return kind === 'text' ? child : { kind: 'text', value: child.value, carried: 'inline', offset: -1 };
      if (kind === 'text' && carried === undefined) return child;
      if (kind !== 'binary') return { kind: 'opaque', bytes: encodeUtf8(child.value), offset: -1 };
      const bytes = this.hex ? fromHex(child.value) : fromBase64(child.value);
      if (bytes === undefined && this.hex)
        this.fail('bad-value', `<${element.name}> holds bytes written in hex (<?wbxml binary hex?>), but ${JSON.stringify(child.value.slice(0, 40))} is not hex`, this.parser.position);
      if (bytes === undefined) {
        const why =
          declared === 'mime'
            ? "in XML with libwbxml's ActiveSync DOCTYPE, ComposeMail:Mime holds the message as base64 (libwbxml's convention)"
            : 'text the server sent as a string is marked <?wbxml as str-i?>';
        this.fail('bad-value', `<${element.name}> holds bytes written as base64, but ${JSON.stringify(child.value.slice(0, 40))} is not base64 (${why})`, this.parser.position);
      }
      return { kind: 'opaque', bytes, offset: -1 };
    });
  }

  /** `<?wbxml as …?>`, `<?wbxml empty?>` and `<?wbxml header …?>`; false for other wbxml PIs. */
  private addMarker(what: string | undefined, a: string, rest: string[]): boolean {
    const parent = this.current;
    // The exact forms of rare constructs (exact.ts); their JSON holds no white space.
    if (what === 'as' && a === 'entity' && rest.length === 0) {
      this.pendingEntity = true;
      return true;
    }
    if (what === 'binary' && a === 'hex' && rest.length === 0 && parent === undefined) {
      this.hex = true;
      return true;
    }
    if ((what === 'literal' || what === 'attributes' || what === 'pi') && rest.length === 0) {
      if (what === 'pi') {
        const pi = readPiMarker(a);
        // Its readable form follows, unless it would read as a marker.
        if (pi !== undefined && readablePi(pi)[0] === WBXML_PI_TARGET) this.add(pi);
        else this.pendingPi = pi;
        return pi !== undefined;
      }
      if (what === 'literal') this.pendingLiteral = readLiteralMarker(a);
      else this.pendingAttributes = readAttributesMarker(a);
      return (what === 'literal' ? this.pendingLiteral : this.pendingAttributes) !== undefined;
    }
    if (what === 'as' && parent !== undefined) {
      let carried: Carried | undefined;
      if (a === 'str-i' || a === 'opaque') carried = { as: a };
      else if (a === 'str-t' && /^\d+$/.test(rest[0] ?? '')) carried = { as: 'str-t', index: Number(rest[0]) };
      if (carried === undefined) return false;
      // A new text node, even if empty or next to other text.
      const node: WbxmlText = { kind: 'text', value: '', offset: -1 };
      this.add(node);
      this.carried.set(node, carried);
      return true;
    }
    if (what === 'switch' && [a, ...rest].every((page) => /^\d+$/.test(page) && Number(page) <= 255)) {
      this.pendingSwitches = [...(this.pendingSwitches ?? []), ...[a, ...rest].map(Number)];
      return true;
    }
    if (what === 'empty' && parent !== undefined) {
      this.empty.add(parent);
      return true;
    }
    if (what === 'header' && parent === undefined) {
      for (const field of [a, ...rest]) {
        const [key, value = ''] = field.split('=', 2);
        const number = /^\d+$/.test(value) ? Number(value) : undefined;
        if (key === 'version' && number !== undefined) this.header.version = number;
        else if (key === 'public-id' && number !== undefined) this.header.publicId = number;
        else if (key === 'public-id-index' && number !== undefined) this.header.publicIdIndex = number;
        else if (key === 'charset' && number !== undefined) this.header.charset = number;
        else if (key === 'string-table' && fromBase64(value) !== undefined) this.header.stringTable = fromBase64(value)!;
        else return false;
      }
      return true;
    }
    return false;
  }

  /** `<?wbxml …?>` carries what XML has no syntax for; any other PI is a WBXML PI. */
  private addPi(target: string, body: string): void {
    const marked = this.pendingPi;
    if (marked !== undefined && target !== WBXML_PI_TARGET) {
      this.pendingPi = undefined;
      // XML drops the white space after the target.
      const [shownTarget, shown] = readablePi(marked);
      if (target !== shownTarget || body !== shown.replace(/^[ \t\r\n]+/, '')) {
        this.fail('bad-value', `<?${target} …?> differs from its <?wbxml pi …?> marker: change the marker too, or remove it`, this.parser.position);
      }
      this.add(marked);
      return;
    }
    this.noPendingMarker();
    if (target !== WBXML_PI_TARGET) {
      const pi = this.attribute(target, body);
      this.add({ kind: 'pi', target: pi, offset: -1 });
      return;
    }
    const [what, a = '', b = '', ...more] = body.trim().split(/\s+/);
    if (
      this.addMarker(
        what,
        a,
        [b, ...more].filter((field) => field !== ''),
      )
    )
      return;
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
