// Header-less fragments (Horde's fixtures start at a SWITCH_PAGE): decoded with an option.

import { describe, expect, it } from 'vitest';
import { decode, decodeToXml, encode, WbxmlError } from '../../src/wbxml/index.js';
import { fixtures, termstr } from './helpers.js';

describe('fragments', () => {
  const horde = fixtures().find((f) => f.name === 'horde_allday_appointment.wbxml')!;

  it('decode with { fragment: true }, all top-level elements kept', () => {
    const doc = decode(horde.bytes, { fragment: true });
    expect(doc.fragment).toBe(true);
    expect(doc.root).toMatchObject({ page: 4, name: 'Timezone', offset: 2 });
    expect(doc.body.map((n) => (n.kind === 'element' ? n.name : n.kind))).toEqual(['Timezone', 'AllDayEvent', 'EndTime', 'Subject', 'StartTime', 'MeetingStatus']);
  });

  it('are refused as documents, with a hint in the error', () => {
    expect(() => decode(horde.bytes)).toThrow(WbxmlError);
  });

  it('encode back without a header', () => {
    expect(encode(decode(horde.bytes, { fragment: true }))).toEqual(horde.bytes);
  });

  it('may hold text at the top level, and take a charset', () => {
    const bytes = Uint8Array.from([0x03, 0xf6, 0x00, 0x45, 0x01]);
    const doc = decode(bytes, { fragment: true, charset: 4 });
    expect(doc.body[0]).toMatchObject({ kind: 'text', value: 'ö' });
    // 45 01: the content flag with nothing in it, marked so that encoding keeps it (issue 12, item 1).
    expect(decodeToXml(bytes, { fragment: true, charset: 4 })).toBe('ö\n<Sync xmlns="AirSync:"><?wbxml empty?></Sync>\n');
    expect(decode(Uint8Array.from([0x03, ...termstr('x'), 0x05]), { fragment: true }).root.name).toBe('Sync');
  });
});
