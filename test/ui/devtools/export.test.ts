import { describe, expect, it } from 'vitest';
import { DecodeCache } from '../../../src/ui/devtools/model/decoded';
import { basicUser, toCurl, toHar, toHarEntry, toXmlDocument } from '../../../src/ui/devtools/model/export';
import { parseHarEntry } from '../../../src/ui/devtools/model/har';
import { recordFromEntry, withResponseContent, type EasRecord } from '../../../src/ui/devtools/model/record';
import { encodeXml } from '../../../src/wbxml';
import { FOLDERSYNC_REQUEST, FOLDERSYNC_RESPONSE, harEntry, type ExchangeSpec } from './fixtures';

function record(spec: ExchangeSpec): EasRecord {
  const built = harEntry(spec);
  return withResponseContent(recordFromEntry(1, parseHarEntry(built.entry)!), built.content, built.second);
}

const folderSync = (extra: Partial<ExchangeSpec> = {}) =>
  record({
    command: 'FolderSync',
    request: FOLDERSYNC_REQUEST,
    response: FOLDERSYNC_RESPONSE,
    version: '14.1',
    policyKey: '1307199584',
    responseHeaders: [{ name: 'Set-Cookie', value: 'cadata="SECRET"; path=/; HttpOnly\nX-BackEndCookie=xyz; path=/' }],
    ...extra,
  });

describe('copy as curl', () => {
  it('leaves out the password and the cookies, keeps the user name and the ActiveSync headers', () => {
    const r = folderSync();
    const body = r.requestBody.state === 'bytes' ? r.requestBody.bytes : undefined;
    const curl = toCurl(r, { body: body! });
    expect(curl).not.toContain('Demo-Passw0rd');
    expect(curl).not.toContain(Buffer.from('CONTOSO\\alice:Demo-Passw0rd').toString('base64'));
    expect(curl).not.toContain('SECRET-SESSION');
    expect(curl).toContain(`--user 'CONTOSO\\alice'`);
    expect(curl).toContain(`-H 'MS-ASProtocolVersion: 14.1'`);
    expect(curl).toContain(`-H 'X-MS-PolicyKey: 1307199584'`);
    expect(curl).toContain('# Cookies were left out');
    expect(curl).not.toMatch(/-H 'Host:|-H 'Content-Length:/);
    // The body goes in through base64 -d, byte for byte.
    const base64 = /printf %s '([^']+)' \| base64 -d \| curl /.exec(curl)?.[1];
    expect(Buffer.from(base64!, 'base64')).toEqual(Buffer.from(encodeXml(FOLDERSYNC_REQUEST)));
    expect(curl).toContain('--data-binary @-');
    expect(curl.endsWith(`--globoff --url 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=ABCDEF0123456789&DeviceType=iPhone'`)).toBe(true);
  });

  it('says so when the body could not be recovered, and names other auth schemes without their token', () => {
    const r = folderSync();
    r.entry.request.headers = r.entry.request.headers.map((h) => (h.name === 'Authorization' ? { name: h.name, value: 'Bearer eyJSECRET' } : h));
    const curl = toCurl(r, { missingBody: 'no body' });
    expect(curl).toContain('# no body');
    expect(curl).toContain('# The Bearer Authorization header was left out');
    expect(curl).not.toContain('eyJSECRET');
    expect(curl).toContain(`-X 'POST'`);
  });

  it('reads the user name of Basic credentials', () => {
    expect(basicUser(`Basic ${Buffer.from('bob:pa:ss').toString('base64')}`)).toBe('bob');
    expect(basicUser('Negotiate abc')).toBeUndefined();
  });
});

describe('HAR export', () => {
  it('redacts Authorization, Cookie and Set-Cookie, and carries both bodies as base64', () => {
    const r = folderSync();
    const text = toHar([r], { name: 'OWA Inspector', version: '0.1.0' });
    expect(text).not.toContain('Demo-Passw0rd');
    expect(text).not.toContain(Buffer.from('CONTOSO\\alice:Demo-Passw0rd').toString('base64'));
    expect(text).not.toContain('SECRET');
    const har = JSON.parse(text);
    expect(har.log.version).toBe('1.2');
    const entry = har.log.entries[0];
    const header = (list: Array<{ name: string; value: string }>, name: string) => list.find((h) => h.name === name)?.value;
    expect(header(entry.request.headers, 'Authorization')).toBe('Basic [redacted]');
    expect(header(entry.request.headers, 'Cookie')).toBe('cadata=[redacted]; X-BackEndCookie=[redacted]');
    expect(header(entry.response.headers, 'Set-Cookie')).toBe('cadata=[redacted]; path=/; HttpOnly\nX-BackEndCookie=[redacted]; path=/');
    expect(entry.request.cookies).toEqual([{ name: 'cadata', value: '[redacted]' }]);
    expect(header(entry.request.headers, 'MS-ASProtocolVersion')).toBe('14.1');
    expect(Buffer.from(entry.request.postData.text, 'base64')).toEqual(Buffer.from(encodeXml(FOLDERSYNC_REQUEST)));
    expect(entry.request.postData._encoding).toBe('base64');
    expect(entry.response.content.encoding).toBe('base64');
    expect(Buffer.from(entry.response.content.text, 'base64')).toEqual(Buffer.from(encodeXml(FOLDERSYNC_RESPONSE)));
  });

  it('reads back into the panel: an exported entry is a HAR entry with its bodies', () => {
    const r = folderSync();
    const again = recordFromEntry(2, parseHarEntry(JSON.parse(JSON.stringify(toHarEntry(r))))!);
    expect(again.responseBody).toEqual(r.responseBody);
    expect(again.protocolStatus).toEqual(r.protocolStatus);
  });
});

describe('XML export', () => {
  it('writes the decoded body with an XML declaration and namespaces', () => {
    const xml = toXmlDocument(new DecodeCache().get(folderSync(), 'response'));
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<FolderSync xmlns="FolderHierarchy:">/);
    expect(xml).toContain('<DisplayName>Entwürfe</DisplayName>');
  });
});
