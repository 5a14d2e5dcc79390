// "Copy / save as XML" of a body a page (or a server) chose: markup, control characters and
// characters XML cannot hold in text, attribute values and processing instructions. The
// document must parse (saxes, in the XML version it declares) and give back the same text.
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../../src/ui/devtools/model/decoded';
import { toXmlDocument } from '../../../src/ui/devtools/model/export';
import { createDocument, element, encode, type WbxmlAttribute, type WbxmlNode } from '../../../src/wbxml';

/** Everything WBXML text can hold (all but NUL, its terminator) that XML makes hard. */
const HOSTILE = 'a]]>b</FolderSync><!-- &amp; <![CDATA[ x ]]> <?pi?> ?> "\' \r\n\t ' + '\u0001\u0008\u000b\u000c\u001b[201~\u001f\u007f\u0085\u009f\u2028\u2029\ufeff\ufffe\uffff 😀 Grüße';

const text = (value: string): WbxmlNode => ({ kind: 'text', value, offset: -1 });
const literal = (name: string, value: string): WbxmlAttribute => ({ name, page: 0, token: -1, value: [{ kind: 'text', value, offset: -1 }], offset: -1 });

/** The export of a body holding `root`, decoded as the panel decodes a captured body. */
function exported(root: ReturnType<typeof element>, before: WbxmlNode[] = []): string {
  const doc = createDocument(root);
  doc.body = [...before, root];
  const decoded = decodeBytes(encode(doc));
  expect(decoded.kind).toBe('wbxml');
  const xml = toXmlDocument(decoded);
  if (xml === undefined) throw new Error('no XML');
  return xml;
}

interface Parsed {
  version: string | undefined;
  /** Text of the root's content, the codec's `<?wbxml entity N?>` read as the character N. */
  text: string;
  attributes: Record<string, string>;
  pis: Array<{ target: string; body: string }>;
}

function parse(xml: string): Parsed {
  const parser = new SaxesParser({ xmlns: true });
  const parsed: Parsed = { version: undefined, text: '', attributes: {}, pis: [] };
  let depth = 0;
  parser.on('xmldecl', (decl) => (parsed.version = decl.version));
  parser.on('opentag', (tag) => {
    depth++;
    for (const [name, attribute] of Object.entries(tag.attributes)) if (!name.startsWith('xmlns')) parsed.attributes[name] = attribute.value;
  });
  parser.on('closetag', () => depth--);
  parser.on('text', (t) => {
    if (depth > 0) parsed.text += t;
  });
  parser.on('processinginstruction', ({ target, body }) => {
    const entity = target === 'wbxml' ? /^entity (\d+)$/.exec(body) : null;
    if (entity && depth > 0) parsed.text += String.fromCodePoint(Number(entity[1]));
    else parsed.pis.push({ target, body });
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  return parsed;
}

describe('XML export of hostile bodies', () => {
  it('text: markup stays text, control characters need XML 1.1 and say so, nothing is lost', () => {
    const xml = exported(element('FolderHierarchy:SyncKey', HOSTILE));
    const parsed = parse(xml);
    expect(parsed.version).toBe('1.1');
    expect(parsed.text).toBe(HOSTILE);
  });

  it('text XML 1.0 can hold keeps the 1.0 declaration', () => {
    const plain = 'a]]>b</FolderSync> & \r\n\t "\' \u0085 \u2028 😀';
    const parsed = parse(exported(element('FolderHierarchy:SyncKey', plain)));
    expect(parsed.version).toBe('1.0');
    expect(parsed.text).toBe(plain);
  });

  it('attribute values: quotes, markup and white space survive; what XML has no character for is named', () => {
    const root = element('FolderHierarchy:SyncKey', 'x');
    root.attributes = [literal('lit', HOSTILE)];
    const parsed = parse(exported(root));
    expect(parsed.attributes.lit).toBe(HOSTILE.replace('\ufffe', '[entity 65534]').replace('\uffff', '[entity 65535]'));
  });

  it('processing instruction values: the document still parses, with only literal-safe characters', () => {
    const root = element('FolderHierarchy:SyncKey', text('x'), { kind: 'pi', target: literal('target', HOSTILE), offset: -1 });
    const parsed = parse(exported(root, [{ kind: 'pi', target: literal('xml-stylesheet', HOSTILE), offset: -1 }]));
    // The LITERAL targets need a string table, which the export keeps in a <?wbxml header …?> (issue 12).
    const pis = parsed.pis.filter((pi) => pi.target !== 'wbxml');
    expect(pis).toHaveLength(2);
    for (const pi of pis) {
      expect(pi.body).not.toContain('?>');
      expect(pi.body).toMatch(/^[\t\n\x20-\x7e\u00a0-\u2027\u2029-\ud7ff\ue000-\ufffd\ud800-\udfff]*$/);
      expect(pi.body).toContain('[entity 1]');
      expect(pi.body).toContain('Grüße');
    }
  });
});
