// Tree → readable XML: indentation, Microsoft's namespaces, options.

import { describe, expect, it } from 'vitest';
import { createDocument, element, toXml, toXmlBytes } from '../../src/wbxml/index.js';

const provision = element(
  'Provision:Provision',
  element('Settings:DeviceInformation', element('Settings:Set', element('Settings:Model', 'Pixel'))),
  element('Provision:Policies', element('Provision:Policy', element('Provision:PolicyType', 'MS-EAS-Provisioning-WBXML'))),
);

describe('toXml', () => {
  it("declares the root's page as default namespace and prefixes for the others", () => {
    expect(toXml(provision)).toBe(
      [
        '<Provision xmlns="Provision:" xmlns:settings="Settings:">',
        '  <settings:DeviceInformation>',
        '    <settings:Set>',
        '      <settings:Model>Pixel</settings:Model>',
        '    </settings:Set>',
        '  </settings:DeviceInformation>',
        '  <Policies>',
        '    <Policy>',
        '      <PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>',
        '    </Policy>',
        '  </Policies>',
        '</Provision>',
        '',
      ].join('\n'),
    );
  });

  it('writes one line with indent 0, or any indent string', () => {
    expect(toXml(provision, { indent: 0 })).toBe(
      '<Provision xmlns="Provision:" xmlns:settings="Settings:"><settings:DeviceInformation><settings:Set><settings:Model>Pixel</settings:Model></settings:Set></settings:DeviceInformation><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>',
    );
    expect(toXml(element('Ping:Ping', element('Ping:Folders')), { indent: '\t' })).toBe('<Ping xmlns="Ping:">\n\t<Folders/>\n</Ping>\n');
  });

  it('adds the XML declaration and the DOCTYPE libwbxml expects on request', () => {
    expect(toXml(createDocument(element('Ping:Ping')), { declaration: true, doctype: true })).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n' +
        '<Ping xmlns="Ping:"/>\n',
    );
  });

  it('keeps text exactly, white space included', () => {
    expect(toXml(element('Email:Subject', '  two  spaces  '))).toBe('<Subject xmlns="Email:">  two  spaces  </Subject>\n');
    expect(toXml(element('Email:Subject', ''))).toBe('<Subject xmlns="Email:"></Subject>\n');
  });

  it('writes the rest of an element inline from its first text on (mixed content stays exact)', () => {
    const mixed = element('Sync', element('SyncKey', '1'), 'text', element('Status', '2'));
    expect(toXml(mixed)).toBe('<Sync xmlns="AirSync:">\n  <SyncKey>1</SyncKey>text<Status>2</Status></Sync>\n');
  });

  it('gives UTF-8 bytes too', () => {
    expect(new TextDecoder().decode(toXmlBytes(element('Email:Subject', 'ö')))).toBe('<Subject xmlns="Email:">ö</Subject>\n');
  });
});
