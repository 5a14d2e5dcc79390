// OPAQUE content is kept as bytes, and shown usefully: as text where the field holds text (MIME,
// body data), as base64 or hex in byte-array tags (ConversationId, ConversationIndex, …).

import { describe, expect, it } from 'vitest';
import { contentKind, decode, decodeToXml, element, encode, fromXml, textOf, toXml } from '../../src/wbxml/index.js';

const mime = 'From: a@example.com\r\nSubject: Grüße\r\n\r\nHallo <Welt> & mehr\r\n';
const id = Uint8Array.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0xc3]);

describe('opaque data', () => {
  it('knows which tags hold byte arrays', () => {
    expect(contentKind(22, 0x09)).toBe('binary'); // Email2:ConversationId
    expect(contentKind(22, 0x0a)).toBe('binary'); // Email2:ConversationIndex
    expect(contentKind(21, 0x10)).toBe('mime'); // ComposeMail:Mime
    expect(contentKind(17, 0x0b)).toBe('text'); // AirSyncBase:Data
  });

  it('keeps the bytes in the tree', () => {
    const doc = decode(encode(element('Email2:ConversationId', id)));
    expect(doc.root.children).toEqual([{ kind: 'opaque', bytes: id, offset: 7 }]);
  });

  it('shows byte-array tags as base64, or hex on request', () => {
    const bytes = encode(element('Email2:ConversationIndex', id));
    expect(decodeToXml(bytes)).toBe('<ConversationIndex xmlns="Email2:">AP8QgH/D</ConversationIndex>\n');
    // Marked: "00ff10807fc3" reads as base64 too, and encoding would give other bytes.
    expect(decodeToXml(bytes, { binary: 'hex' })).toBe('<?wbxml binary hex?>\n<ConversationIndex xmlns="Email2:">00ff10807fc3</ConversationIndex>\n');
    expect(toXml(decode(bytes), { binary: 'hex' })).toBe(decodeToXml(bytes, { binary: 'hex' }));
  });

  it('reads base64 back to bytes for byte-array tags', () => {
    const doc = fromXml('<ConversationId xmlns="Email2:">AP8Q gH/D</ConversationId>');
    expect(doc.root.children).toEqual([{ kind: 'opaque', bytes: id, offset: -1 }]);
    expect(() => fromXml('<ConversationId xmlns="Email2:">not base64!</ConversationId>')).toThrow(/is not base64/);
  });

  it('shows MIME and body data sent as OPAQUE as text, escaped', () => {
    const bytes = encode(element('ComposeMail:SendMail', element('ComposeMail:Mime', new TextEncoder().encode(mime))));
    const xml = decodeToXml(bytes);
    expect(xml).toContain('<Mime>From: a@example.com&#xD;\nSubject: Grüße&#xD;\n&#xD;\nHallo &lt;Welt&gt; &amp; mehr&#xD;\n</Mime>');
    expect(toXml(decode(bytes))).toBe(xml);
    // Read back, ComposeMail:Mime is OPAQUE again, as clients send it.
    expect(encode(fromXml(xml))).toEqual(bytes);
    const data = encode(element('AirSyncBase:Data', new TextEncoder().encode('<p>Hi</p>')));
    // AirSyncBase:Data holds text: OPAQUE there is marked, so that encoding keeps it (issue 12, item 1).
    expect(decodeToXml(data)).toBe('<Data xmlns="AirSyncBase:"><?wbxml as opaque?>&lt;p&gt;Hi&lt;/p&gt;</Data>\n');
    expect(encode(fromXml(decodeToXml(data)))).toEqual(data);
  });

  it('shows opaque bytes that are not text as base64 in a processing instruction, and reads them back', () => {
    const bytes = encode(element('AirSyncBase:Data', Uint8Array.from([0x48, 0x69, 0xff, 0x00])));
    const xml = decodeToXml(bytes);
    expect(xml).toBe('<Data xmlns="AirSyncBase:"><?wbxml opaque SGn/AA==?></Data>\n');
    expect(toXml(decode(bytes))).toBe(xml);
    expect(encode(fromXml(xml))).toEqual(bytes);
  });

  it('copies opaque bytes out of the input, also when the input is a Node Buffer', () => {
    const input = Buffer.from(encode(element('Email2:ConversationId', id)));
    const doc = decode(input);
    input.fill(0);
    const bytes = (doc.root.children[0] as { bytes: Uint8Array }).bytes;
    expect(bytes).toEqual(id);
    expect(bytes.constructor).toBe(Uint8Array);
    expect(bytes.buffer.byteLength).toBe(id.length);
  });

  it('textOf decodes opaque data as UTF-8', () => {
    expect(textOf(element('AirSyncBase:Data', new TextEncoder().encode('Persönlich')))).toBe('Persönlich');
  });
});
