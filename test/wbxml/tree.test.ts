// The small tree helpers the ActiveSync client uses.

import { describe, expect, it } from 'vitest';
import { createDocument, decode, element, encode, findChild, findChildren, findPath, textOf } from '../../src/wbxml/index.js';

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
