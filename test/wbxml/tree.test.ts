// The small tree helpers the ActiveSync client uses.

import { describe, expect, it } from 'vitest';
import { contentOf, createDocument, decode, element, encode, findChild, findChildren, findPath, hasContent, textOf, walk, type WbxmlElement } from '../../src/wbxml/index.js';

const response = decode(
  encode(
    createDocument(
      element(
        'Provision:Provision',
        element('Settings:DeviceInformation', element('Settings:Status', '1')),
        element('Provision:Status', '1'),
        element(
          'Provision:Policies',
          element('Provision:Policy', element('Provision:PolicyType', 'MS-EAS-Provisioning-WBXML'), element('Provision:Status', '1'), element('Provision:PolicyKey', '1391954320')),
        ),
      ),
    ),
  ),
);

describe('tree helpers', () => {
  it('element() builds from page:name, case-insensitive page, aliases; strings and bytes as content', () => {
    expect(element('Provision:Policy')).toMatchObject({ page: 14, token: 0x07, name: 'Policy', namespace: 'Provision', known: true, offset: -1 });
    expect(element('provision:Policy').page).toBe(14);
    expect(element('Calendar:Recurrence_Type')).toMatchObject({ token: 0x1c, name: 'Type' });
    expect(element('Sync').page).toBe(0);
    expect(element('Email2:ConversationId', Uint8Array.of(1)).children[0]).toMatchObject({ kind: 'opaque' });
    expect(element('Email:Subject', 'x').children[0]).toMatchObject({ kind: 'text', value: 'x' });
  });

  it('element() throws for an unknown name', () => {
    expect(() => element('Provision:Nope')).toThrow(/no ActiveSync tag named "Provision:Nope"/);
    expect(() => element('Nope:Policy')).toThrow();
    expect(() => element('Data')).toThrow(); // several pages define it, AirSync does not
    expect(element('Status').page).toBe(0); // AirSync first
  });

  it('findChild / findChildren by local or qualified name', () => {
    expect(textOf(findChild(response.root, 'Status')!)).toBe('1');
    expect(findChild(response.root, 'Provision:Status')).toBe(response.root.children[1]);
    expect(findChild(response.root, 'Settings:Status')).toBeUndefined();
    expect(findChild(findChild(response.root, 'Settings:DeviceInformation')!, 'settings:status')).toBeDefined();
    expect(findChildren(findPath(response.root, 'Policies/Policy')!, 'Status')).toHaveLength(1);
  });

  it('findPath follows names separated by "/"', () => {
    expect(textOf(findPath(response.root, 'Policies/Policy/PolicyKey')!)).toBe('1391954320');
    expect(findPath(response.root, 'Policies/Nope/PolicyKey')).toBeUndefined();
  });

  it('textOf concatenates all text below an element', () => {
    expect(textOf(findPath(response.root, 'Policies')!)).toBe('MS-EAS-Provisioning-WBXML11391954320');
  });
});

describe('one plain string is kept on its element (text), not as a node', () => {
  // <Sync><SyncKey>0</SyncKey><Status>ab</Status>…: 45 Sync, 4B SyncKey, 03 "0" 00, 01 END.
  const hex = (text: string) => Uint8Array.from(text.split(' '), (b) => parseInt(b, 16));

  it('a string right after the tag, alone: text, no children; contentOf and walk give the node back', () => {
    const bytes = hex('03 01 6a 00 45 4b 03 30 00 01 01');
    const el = decode(bytes).root.children[0] as WbxmlElement;
    expect(el).toMatchObject({ name: 'SyncKey', text: '0', children: [], offset: 5 });
    expect(contentOf(el)).toEqual([{ kind: 'text', value: '0', offset: 6 }]);
    expect(hasContent(el)).toBe(true);
    const seen: unknown[] = [];
    walk([el], { enter: (e) => seen.push(`<${e.name}>`), leave: (e) => seen.push(`</${e.name}>`), content: (node, parent) => seen.push([node, parent?.name]) });
    expect(seen).toEqual(['<SyncKey>', [{ kind: 'text', value: '0', offset: 6 }, 'SyncKey'], '</SyncKey>']);
    expect(textOf(el)).toBe('0');
    expect(encode(decode(bytes))).toEqual(bytes);
  });

  it('anything else stays a node: text with more after it, an empty string, a switch before it, text in a byte array', () => {
    const twoParts = decode(hex('03 01 6a 00 45 4b 03 30 00 02 41 01 01')).root.children[0] as WbxmlElement;
    expect(twoParts.text).toBeUndefined();
    expect(twoParts.children.map((node) => node.kind)).toEqual(['text', 'entity']);
    expect(twoParts.children[0]).toEqual({ kind: 'text', value: '0', offset: 6 });
    const empty = decode(hex('03 01 6a 00 45 4b 03 00 01 01')).root.children[0] as WbxmlElement;
    expect([empty.text, empty.children]).toEqual([undefined, [{ kind: 'text', value: '', offset: 6 }]]);
    const switched = decode(hex('03 01 6a 00 45 4b 00 00 03 30 00 01 01')).root.children[0] as WbxmlElement;
    expect([switched.text, switched.children]).toEqual([undefined, [{ kind: 'text', value: '0', offset: 8, switches: [0] }]]);
    // Email2:ConversationId (page 22, token 0x09) sent as a string: marked, so a node.
    const bytesAsText = decode(hex('03 01 6a 00 45 00 16 49 03 61 62 00 01 01')).root.children[0] as WbxmlElement;
    expect([bytesAsText.text, bytesAsText.children]).toEqual([undefined, [{ kind: 'text', value: 'ab', carried: 'inline', offset: 8 }]]);
  });
});
