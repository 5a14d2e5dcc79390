// Against libwbxml, a real third-party codec: what our encoder writes decodes with
// `wbxml2xml -l ACTIVESYNC` to the same elements and text (for the tags libwbxml knows), and what
// `xml2wbxml` writes, with a string table and without (`-a -n`), decodes with ours to the same
// elements and text. The shared captures (real traffic, not ours) read the same by both.

import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import {
  contentOf,
  ACTIVESYNC_DOCTYPE,
  CODE_PAGES,
  contentKind,
  createDocument,
  decode,
  decodeToXml,
  element,
  encode,
  findTag,
  fromXml,
  toXml,
  pageByNamespace,
  type WbxmlDocument,
  type WbxmlElement,
} from '../../src/wbxml/index.js';
import { toBase64 } from '../../src/shared/base64.js';
import { decodeUtf8Lossy } from '../../src/wbxml/utils/utf8.js';
import { elementsOf, everyTagDocument, fixtures, pageDocuments, sampleBytes, sampleText } from '../wbxml/helpers.js';
import { wbxml2xml, xml2wbxml } from './libwbxml.js';

/**
 * The 37 tags libwbxml 0.11.8 (Debian 12) does not know: it shows them as <unknown>. The Find page
 * (16.1), meeting proposals and AccountOnlyRemoteWipe (16.x), Ping:Version, ComposeMail:Type, and
 * old 2.5 tags (Calendar attachments, Search:Stores/SubstringOp).
 */
const LIBWBXML_LACKS = [
  'Calendar:Attachment',
  'Calendar:Attachments',
  'Calendar:AttName',
  'Calendar:AttSize',
  'Calendar:AttOid',
  'Calendar:AttMethod',
  'Calendar:AttRemoved',
  'Calendar:DisplayName',
  'MeetingResponse:ProposedStartTime',
  'MeetingResponse:ProposedEndTime',
  'Ping:Version',
  'Provision:AccountOnlyRemoteWipe',
  'Search:Stores',
  'Search:SubstringOp',
  'ComposeMail:Type',
  ...[
    'Find',
    'SearchId',
    'ExecuteSearch',
    'MailBoxSearchCriterion',
    'Query',
    'Status',
    'FreeText',
    'Options',
    'Range',
    'DeepTraversal',
    'Response',
    'Result',
    'Properties',
    'Preview',
    'HasAttachments',
    'Total',
    'DisplayCc',
    'DisplayBcc',
    'GalSearchCriterion',
    'MaxPictures',
    'MaxSize',
    'Picture',
  ].map((tag) => `Find:${tag}`),
];

interface Row {
  key: string;
  namespace: string;
  local: string;
  text: string;
}

/** libwbxml's XML as one row per element, in document order, with the element's own text. */
function rows(xml: string): Row[] {
  const parser = new SaxesParser({ xmlns: true });
  const out: Row[] = [];
  const stack: Row[] = [];
  parser.on('opentag', (tag) => {
    const page = pageByNamespace(tag.uri);
    const token = page && findTag(page.index, tag.local);
    const row = { key: page && token !== undefined ? `${page.index}/${token}` : '?', namespace: tag.uri, local: tag.local, text: '' };
    out.push(row);
    stack.push(row);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    const row = stack.pop()!;
    if (row.text.trim() === '') row.text = '';
  });
  parser.write(xml).close();
  return out;
}

/** The text libwbxml shows for an element: byte arrays (and Mime) as base64, else the text. */
function expectedText(el: WbxmlElement): string {
  let text = '';
  for (const child of contentOf(el)) {
    if (child.kind === 'text') text += child.value;
    else if (child.kind === 'opaque') text += contentKind(el.page, el.token) === 'text' ? decodeUtf8Lossy(child.bytes) : toBase64(child.bytes);
  }
  return text;
}

const label = (page: number, token: number): string => `${CODE_PAGES[page]!.name}:${CODE_PAGES[page]!.tags[token]}`;

describe('libwbxml reads what we write', () => {
  const documents: Array<[string, WbxmlDocument]> = [
    ...pageDocuments().map((doc): [string, WbxmlDocument] => [`page ${doc.root.page} ${doc.root.namespace}`, doc]),
    ['every tag of every page, nested', everyTagDocument()],
  ];

  it.each(documents)('%s: same elements and text', (_, doc) => {
    const ours = elementsOf(doc.root);
    const theirs = rows(wbxml2xml(encode(doc)));
    expect(theirs).toHaveLength(ours.length);
    ours.forEach((el, i) => {
      const row = theirs[i]!;
      if (row.local === 'unknown') {
        expect(LIBWBXML_LACKS, `libwbxml does not know ${label(el.page, el.token)}`).toContain(label(el.page, el.token));
      } else {
        expect(row.key, `${label(el.page, el.token)} shown as ${row.namespace}${row.local}`).toBe(`${el.page}/${el.token}`);
      }
      expect(row.text, label(el.page, el.token)).toBe(expectedText(el));
    });
  });

  it('knows all but the listed tags (so the comparison above is not vacuous)', () => {
    const theirs = rows(wbxml2xml(encode(everyTagDocument())));
    const unknown = new Set<string>();
    elementsOf(everyTagDocument().root).forEach((el, i) => {
      if (theirs[i]!.local === 'unknown') unknown.add(label(el.page, el.token));
    });
    expect([...unknown].sort()).toEqual([...LIBWBXML_LACKS].sort());
    expect(656 - unknown.size).toBeGreaterThan(600);
  });
});

describe('we read what libwbxml writes', () => {
  /** Every tag libwbxml knows, under its own name, with our sample content, flat under Sync. */
  function libwbxmlDocument(): { xml: string; expected: Array<{ page: number; token: number; text: string; bytes?: Uint8Array }> } {
    const source = everyTagDocument();
    const names = rows(wbxml2xml(encode(source)));
    const expected: Array<{ page: number; token: number; text: string; bytes?: Uint8Array }> = [];
    let xml = `<?xml version="1.0"?>\n${ACTIVESYNC_DOCTYPE}\n<Sync xmlns="AirSync:">\n`;
    elementsOf(source.root).forEach((el, i) => {
      const row = names[i]!;
      if (row.local === 'unknown' || el.children.length === 0 || el.children.some((c) => c.kind === 'element')) return;
      const kind = contentKind(el.page, el.token);
      const bytes = kind === 'text' ? undefined : sampleBytes(el.page, el.token);
      const text = bytes ? toBase64(bytes) : sampleText(el.page, el.token);
      const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      xml += `<${row.local} xmlns="${row.namespace}">${escaped}</${row.local}>\n`;
      expected.push({ page: el.page, token: el.token, text, ...(bytes ? { bytes } : {}) });
    });
    return { xml: `${xml}</Sync>\n`, expected };
  }

  it.each([
    ['xml2wbxml -a -n (no string table, the header clients send)', false],
    ['xml2wbxml (with a string table)', true],
  ])('%s: same elements and text', (_, stringTable) => {
    const { xml, expected } = libwbxmlDocument();
    const bytes = xml2wbxml(xml, stringTable);
    if (stringTable)
      expect(bytes[1]).toBe(0x00); // public id given by the string table
    else expect([...bytes.subarray(0, 4)]).toEqual([0x03, 0x01, 0x6a, 0x00]);
    const doc = decode(bytes);
    expect(doc.root).toMatchObject({ page: 0, name: 'Sync' });
    const children = doc.root.children as WbxmlElement[];
    expect(children).toHaveLength(expected.length);
    expect(expected.length).toBeGreaterThan(600);
    let tableRefs = 0;
    children.forEach((el, i) => {
      const want = expected[i]!;
      expect(`${el.page}/${el.token}`, label(want.page, want.token)).toBe(`${want.page}/${want.token}`);
      expect(el.known).toBe(true);
      if (want.bytes) {
        expect(el.children, label(el.page, el.token)).toEqual([{ kind: 'opaque', bytes: want.bytes, offset: el.offset + 1 }]);
      } else {
        // contentOf: one plain string is the element's `text`, not a child node.
        expect(
          contentOf(el)
            .map((c) => (c.kind === 'text' ? c.value : `<${c.kind}>`))
            .join(''),
          label(el.page, el.token),
        ).toBe(want.text);
        if (el.children.length > 1) tableRefs++;
      }
    });
    // With a string table, libwbxml splits text around the shared words it put in the table.
    if (stringTable) {
      expect(doc.stringTable.length).toBeGreaterThan(0);
      expect(tableRefs).toBeGreaterThan(100);
    }
  });
});

describe('libwbxml reads the shared captures as we do', () => {
  /**
   * libwbxml reads documents only: a header-less capture is put inside AirSync:Sync under the
   * header clients send (its own bytes unchanged; it starts with its own SWITCH_PAGE).
   */
  const asDocument = (bytes: Uint8Array, fragment: boolean): Uint8Array => (fragment ? Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x00, 0x45, ...bytes, 0x01]) : bytes);

  const captures = fixtures();

  it('are all there', () => {
    expect(captures.length).toBeGreaterThanOrEqual(24);
  });

  it.each(captures.map((f) => [f.name, f] as const))('%s: the same elements, in order, with the same text', (_, fixture) => {
    const ours = decode(fixture.bytes, { fragment: fixture.fragment }).body.flatMap((node) => elementsOf(node));
    let theirs = rows(wbxml2xml(asDocument(fixture.bytes, fixture.fragment)));
    if (fixture.fragment) {
      expect(theirs[0]).toMatchObject({ namespace: 'AirSync:', local: 'Sync' });
      theirs = theirs.slice(1);
    }
    expect(ours.length).toBeGreaterThan(0);
    expect(theirs.map((row) => `${row.namespace}${row.local}`)).toHaveLength(ours.length);
    ours.forEach((el, i) => {
      const row = theirs[i]!;
      // Every tag in these captures is one libwbxml knows: no <unknown> allowed here.
      expect(row.key, `element ${i}: ${label(el.page, el.token)} shown by libwbxml as ${row.namespace}${row.local}`).toBe(`${el.page}/${el.token}`);
      expect(row.text, `element ${i}: ${label(el.page, el.token)}`).toBe(expectedText(el));
    });
  });
});

/** Bytes as our encoder writes the same tree (libwbxml writes OPAQUE body data as STR_I). */
function decodeAndReencode(bytes: Uint8Array): Uint8Array {
  return encode(fromXml(toXml(decode(bytes))));
}

describe("libwbxml's convention for opaque data (issue 12, item 3)", () => {
  // ComposeMail:Mime as OPAQUE (libwbxml shows it as base64 under the name MIME), a byte array.
  const mail = 'Subject: Grüße\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo\r\n';
  const sendMail = encode(
    createDocument(
      element(
        'ComposeMail:SendMail',
        element('ComposeMail:ClientId', 'abc'),
        element('ComposeMail:SaveInSentItems'),
        element('ComposeMail:Mime', new TextEncoder().encode(mail)),
        element('Email2:ConversationId', Uint8Array.from([0x69, 0xb7, 0x00, 0xff])),
      ),
    ),
  );

  it('the XML wbxml2xml writes encodes back to the same bytes (the MIME body was its base64 text)', () => {
    const xml = wbxml2xml(sendMail);
    expect(xml).toMatch(/<MIME>[A-Za-z0-9+/=]+<\/MIME>/);
    expect(encode(fromXml(xml))).toEqual(sendMail);
  });

  it('every capture: the XML wbxml2xml writes encodes back to the bytes libwbxml reads from it', () => {
    for (const { name, bytes, fragment } of fixtures()) {
      if (fragment) continue;
      const xml = wbxml2xml(bytes);
      // libwbxml's own round trip is the reference: what it encodes from its XML, we encode too.
      expect(encode(fromXml(xml)), name).toEqual(decodeAndReencode(xml2wbxml(xml, false)));
    }
  });
});

describe('the rare constructs (issue 12): libwbxml reads what our XML shows, and our XML gives the bytes back', () => {
  /** Elements (local names, attributes but xmlns) and text between tags (trimmed, not blank), in order; PIs and the DOCTYPE left out. */
  function shape(xml: string): string[] {
    const out: string[] = [];
    let text = '';
    const flush = () => {
      if (text.trim() !== '') out.push(text.trim());
      text = '';
    };
    const parser = new SaxesParser();
    parser.on('opentag', (tag) => {
      flush();
      const attributes = Object.entries(tag.attributes).filter(([name]) => !name.startsWith('xmlns'));
      out.push(`<${tag.name.replace(/^.*:/, '')}${attributes.map(([name, value]) => ` ${name}=${JSON.stringify(value)}`).join('')}>`);
    });
    parser.on('closetag', (tag) => {
      flush();
      out.push(`</${tag.name.replace(/^.*:/, '')}>`);
    });
    // Our markers split the text: Gr, ü, ße.
    parser.on('text', (chunk) => (text += chunk));
    parser.write(xml).close();
    return out;
  }

  const header = (table: string): number[] => [0x03, 0x01, 0x6a, table.length, ...Buffer.from(table, 'latin1')];
  it.each([
    // STR_I "Gr", ENTITY 252, STR_I "ße": Grüße for both.
    ['ENTITY between strings', [0x03, 0x01, 0x6a, 0x00, 0x45, 0x03, 0x47, 0x72, 0x00, 0x02, 0x81, 0x7c, 0x03, 0xc3, 0x9f, 0x65, 0x00, 0x01]],
    // LITERAL "oo" (the middle of "Foo"), text, LITERAL "Sync" (which XML alone would read as AirSync's token).
    ['LITERAL names: the middle of a string, a tag name', [...header('Foo\0Sync\0x\0'), 0x45, 0x04, 0x01, 0x03, 0x61, 0x00, 0x04, 0x04, 0x01]],
    // A LITERAL attribute whose value is STR_I "a" then STR_T "val".
    ['an attribute value of STR_I and STR_T', [...header('href\0val\0'), 0xc5, 0x04, 0x00, 0x03, 0x61, 0x00, 0x83, 0x05, 0x01, 0x03, 0x74, 0x00, 0x01]],
  ])('%s', (_, body) => {
    const bytes = Uint8Array.from(body);
    const ours = decodeToXml(bytes);
    expect(shape(ours)).toEqual(shape(wbxml2xml(bytes)));
    expect(encode(fromXml(ours, { literals: true }))).toEqual(bytes);
  });
});
