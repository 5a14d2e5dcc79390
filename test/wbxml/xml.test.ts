// Tree → readable XML: indentation, Microsoft's namespaces, options.

import { describe, expect, it } from 'vitest';
import { createDocument, decodeToXml, element, encode, fromXml, textOf, toXml, toXmlBytes } from '../../src/wbxml/index.js';

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
      '<?xml version="1.0" encoding="utf-8"?>\n' + '<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n' + '<Ping xmlns="Ping:"/>\n',
    );
  });

  it('keeps text exactly, white space included', () => {
    expect(toXml(element('Email:Subject', '  two  spaces  '))).toBe('<Subject xmlns="Email:">  two  spaces  </Subject>\n');
    expect(toXml(element('Email:Subject', ''))).toBe('<Subject xmlns="Email:"></Subject>\n');
    expect(toXml(element('Email:Subject'))).toBe('<Subject xmlns="Email:"/>\n');
  });

  it('writes the rest of an element inline from its first text on (mixed content stays exact)', () => {
    const mixed = element('Sync', element('SyncKey', '1'), 'text', element('Status', '2'));
    expect(toXml(mixed)).toBe('<Sync xmlns="AirSync:">\n  <SyncKey>1</SyncKey>text<Status>2</Status></Sync>\n');
  });

  it('gives UTF-8 bytes too', () => {
    expect(new TextDecoder().decode(toXmlBytes(element('Email:Subject', 'ö')))).toBe('<Subject xmlns="Email:">ö</Subject>\n');
  });

  it('declares XML 1.1 when a C0 control is written as a reference (1.0 cannot hold one), else 1.0', () => {
    const declared = (text: string) => toXml(createDocument(element('Email:Subject', text)), { declaration: true }).slice(0, 38);
    expect(declared('tab\t line\n cr\r \u0085 \u2028')).toBe('<?xml version="1.0" encoding="utf-8"?>');
    expect(declared('bell \u0007')).toBe('<?xml version="1.1" encoding="utf-8"?>');
    // The next document of the same writer starts over.
    expect(toXml(createDocument(element('Email:Subject', 'x')), { declaration: true })).toContain('version="1.0"');
  });

  it('writes U+FFFE and U+FFFF, no XML characters, as entity PIs that read back', () => {
    const bytes = encode(element('Email:Subject', 'a\ufffeb\uffff'));
    const xml = decodeToXml(bytes);
    expect(xml).toBe('<Subject xmlns="Email:">a<?wbxml entity 65534?>b<?wbxml entity 65535?></Subject>\n');
    expect(toXml(fromXml(xml))).toBe(xml);
    expect(textOf(fromXml(xml).root)).toBe('a\ufffeb\uffff');
  });
});
