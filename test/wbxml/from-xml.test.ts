// XML text → tree: hand-written requests, toXml's output, libwbxml's output; errors with line
// and column.

import { describe, expect, it } from 'vitest';
import { decode, element, encode, encodeXml, findPath, fromXml, textOf, toXml, WbxmlError, type WbxmlElement } from '../../src/wbxml/index.js';

const PROVISION_REQUEST = '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>';

function errorOf(xml: string): WbxmlError {
  try {
    fromXml(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(WbxmlError);
    return error as WbxmlError;
  }
  throw new Error('no error');
}

describe('fromXml', () => {
  it('reads a hand-written Provision request and encodes it as a client would', () => {
    const doc = fromXml(PROVISION_REQUEST);
    expect(doc.root).toMatchObject({ page: 14, token: 0x05, name: 'Provision', namespace: 'Provision', known: true });
    expect(textOf(findPath(doc.root, 'Policies/Policy/PolicyType')!)).toBe('MS-EAS-Provisioning-WBXML');
    expect([...encodeXml(PROVISION_REQUEST)]).toEqual([
      0x03,
      0x01,
      0x6a,
      0x00,
      0x00,
      0x0e,
      0x45,
      0x46,
      0x47,
      0x48,
      0x03,
      ...new TextEncoder().encode('MS-EAS-Provisioning-WBXML'),
      0x00,
      0x01,
      0x01,
      0x01,
      0x01,
    ]);
  });

  it('matches namespaces ignoring case, with or without the colon, declared anywhere', () => {
    const variants = [
      '<Provision xmlns="provision:"><DeviceInformation xmlns="SETTINGS:"/></Provision>',
      '<Provision xmlns="Provision"><DeviceInformation xmlns="Settings"/></Provision>',
      '<p:Provision xmlns:p="Provision:" xmlns:s="settings:"><s:DeviceInformation/></p:Provision>',
    ];
    const expected = toXml(fromXml(variants[0]!));
    for (const xml of variants) expect(toXml(fromXml(xml))).toBe(expected);
    expect(expected).toContain('<settings:DeviceInformation/>');
  });

  it("reads libwbxml's XML: its DOCTYPE, xmlns on each element, its old tag names", () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">
<Sync xmlns="airsync:">
<Collections>
<Collection>
<ApplicationData>
<Recurrence_Type xmlns="calendar:">1</Recurrence_Type>
<DeviceEncryptionEnabled xmlns="Provision:">0</DeviceEncryptionEnabled>
<MIME xmlns="ComposeMail:">eA==</MIME>
</ApplicationData>
</Collection>
</Collections>
</Sync>`;
    const data = findPath(fromXml(xml).root, 'Collections/Collection/ApplicationData')!;
    const names = data.children.map((c) => `${(c as WbxmlElement).namespace}:${(c as WbxmlElement).name}`);
    expect(names).toEqual(['Calendar:Type', 'Provision:RequireStorageCardEncryption', 'ComposeMail:Mime']);
  });

  it('finds tags without a namespace on the parent page, or on the only page defining them', () => {
    const doc = fromXml('<Sync><Collections><Collection><SyncKey>0</SyncKey></Collection></Collections></Sync>');
    expect(doc.root).toMatchObject({ page: 0, name: 'Sync' });
    expect(fromXml('<Provision><Policies/></Provision>').root).toMatchObject({ page: 14 });
    expect(() => fromXml('<Sync><Policies/></Sync>')).not.toThrow();
    expect(errorOf('<Data/>').message).toMatch(/several do/);
    expect(fromXml('<Status/>').root.page).toBe(0);
  });

  it('drops layout white space between elements and keeps text exactly', () => {
    const doc = fromXml('<Sync xmlns="AirSync:">\n  <SyncKey>  0 </SyncKey>\n  <Status/>\n</Sync>');
    expect(doc.root.children).toHaveLength(2);
    expect(textOf(doc.root.children[0]!)).toBe('  0 ');
  });

  it('tells an empty string (<X></X>) from no content (<X/>), as WBXML does', () => {
    const doc = fromXml('<Sync xmlns="AirSync:"><SyncKey></SyncKey><Status/></Sync>');
    expect((doc.root.children[0] as WbxmlElement).children).toMatchObject([{ kind: 'text', value: '' }]);
    expect((doc.root.children[1] as WbxmlElement).children).toEqual([]);
    expect([...encode(doc).subarray(4)]).toEqual([0x45, 0x4b, 0x03, 0x00, 0x01, 0x0e, 0x01]);
  });

  it('accepts CDATA and character references', () => {
    expect(textOf(fromXml('<Subject xmlns="Email:"><![CDATA[<b>]]>&#xE9;&amp;</Subject>').root)).toBe('<b>é&');
  });

  it('reads back what toXml writes', () => {
    const bytes = encodeXml(PROVISION_REQUEST);
    expect(encode(fromXml(toXml(decode(bytes))))).toEqual(bytes);
  });

  it('reports XML syntax errors with line and column', () => {
    const error = errorOf('<Sync xmlns="AirSync:">\n  <SyncKey>0</Synckey>\n</Sync>');
    expect(error.code).toBe('xml-syntax');
    expect(error.line).toBe(2);
    expect(error.column).toBeGreaterThan(10);
    expect(error.message).toMatch(/^XML error at line 2, column \d+: /);
  });

  it('reports unknown tags and namespaces with line and column', () => {
    const tag = errorOf('<Sync xmlns="AirSync:">\n\n    <Bogus/>\n</Sync>');
    expect(tag.code).toBe('unknown-tag');
    expect([tag.line, tag.column, tag.offset]).toEqual([3, 5, 29]);
    expect(tag.message).toBe('no tag <Bogus> in namespace "AirSync:" at line 3, column 5');
    expect(errorOf('<x:Sync xmlns:x="urn:nothing"/>').message).toMatch(/unknown namespace "urn:nothing"/);
    expect(errorOf('<Sync xmlns="AirSync:" foo="1"/>').message).toMatch(/ActiveSync defines no attributes/);
    expect(errorOf('').code).toBe('xml-syntax');
  });
});

describe('fromXml error positions', () => {
  it('point at the "<" of the offending tag, whatever ends its name', () => {
    for (const tag of ['<Bogus/>', '<Bogus>x</Bogus>', '<Bogus a="1"/>', '<Bogus\n/>']) {
      const error = errorOf(`<Sync xmlns="AirSync:"><SyncKey/>${tag}</Sync>`);
      expect([error.line, error.column, error.offset]).toEqual([1, 34, 33]);
    }
  });
});

describe("libwbxml's XML (issue 12, item 3)", () => {
  // What wbxml2xml -l ACTIVESYNC writes for a SendMail: the DOCTYPE, <MIME> as base64.
  const mime = 'Subject: Grüße\r\n\r\nHallo\r\n';
  const libwbxml =
    '<?xml version="1.0"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n' +
    '<SendMail xmlns="ComposeMail:">\n<ClientId>abc</ClientId>\n<SaveInSentItems/>\n' +
    `<MIME>${Buffer.from(mime).toString('base64')}</MIME>\n<ConversationId xmlns="Email2:">abc=</ConversationId>\n</SendMail>\n`;
  const sendMail = encode(
    element(
      'ComposeMail:SendMail',
      element('ComposeMail:ClientId', 'abc'),
      element('ComposeMail:SaveInSentItems'),
      element('ComposeMail:Mime', new TextEncoder().encode(mime)),
      element('Email2:ConversationId', Uint8Array.from([0x69, 0xb7])),
    ),
  );

  it('reads its base64 Mime as the message, not as text', () => {
    expect(encode(fromXml(libwbxml))).toEqual(sendMail);
  });

  it('writes the same convention with the DOCTYPE, and refuses Mime text there clearly', () => {
    const ours = toXml(decode(sendMail), { declaration: true, doctype: true });
    expect(ours).toContain(`<Mime>${Buffer.from(mime).toString('base64')}</Mime>`);
    expect(encode(fromXml(ours))).toEqual(sendMail);
    expect(toXml(decode(sendMail))).toContain('<Mime>Subject: Grüße&#xD;\n');
    expect(() => fromXml(libwbxml.replace(/<MIME>[^<]*<\/MIME>/, '<MIME>Subject: hi</MIME>'))).toThrow(
      /<Mime> holds bytes written as base64, but "Subject: hi" is not base64 \(in XML with libwbxml's ActiveSync DOCTYPE, ComposeMail:Mime holds the message as base64/,
    );
  });
});
