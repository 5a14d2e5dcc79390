import { describe, expect, it } from 'vitest';
import { decodeQuery } from '../../src/activesync/query-string';
import { activeSyncUrl, basicAuthorization, buildCommandRequest, buildOptionsRequest, checkTransportSecurity, isLoopbackHost } from '../../src/activesync/request';

const common = {
  url: 'https://mail.example.com/Microsoft-Server-ActiveSync',
  command: 'FolderSync',
  user: 'CONTOSO\\alice',
  deviceId: 'DEV1',
  deviceType: 'OWAInspector',
  protocolVersion: '14.1',
  policyKey: '0',
  authorization: basicAuthorization('CONTOSO\\alice', 'pässword'),
  userAgent: 'OWA-Inspector/0.1.0',
};

describe('activeSyncUrl', () => {
  it.each([
    ['mail.example.com', 'https://mail.example.com/Microsoft-Server-ActiveSync'],
    ['https://mail.example.com/', 'https://mail.example.com/Microsoft-Server-ActiveSync'],
    ['https://mail.example.com/Microsoft-Server-ActiveSync?Cmd=x#y', 'https://mail.example.com/Microsoft-Server-ActiveSync'],
    ['http://127.0.0.1:8080/eas/', 'http://127.0.0.1:8080/eas/Microsoft-Server-ActiveSync'],
    ['https://mail.example.com/microsoft-server-activesync', 'https://mail.example.com/microsoft-server-activesync'],
  ])('%s -> %s', (input, expected) => {
    expect(activeSyncUrl(input)).toBe(expected);
  });

  it('rejects what is not an http(s) URL, and credentials in the URL', () => {
    expect(() => activeSyncUrl('ftp://x')).toThrow(/not an http or https URL/);
    expect(() => activeSyncUrl('https://')).toThrow(/not a URL/);
    expect(() => activeSyncUrl('https://bob:pw@mail.example.com')).toThrow(/--user/);
  });
});

describe('transport security', () => {
  it('knows loopback hosts', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'eas.localhost']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', 'mail.example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses Basic over plain HTTP to a remote host unless allowed', () => {
    expect(() => checkTransportSecurity('http://mail.example.com/Microsoft-Server-ActiveSync', false)).toThrow(
      /refusing to send the password to mail.example.com over plain HTTP.*--insecure/,
    );
    expect(() => checkTransportSecurity('http://mail.example.com/Microsoft-Server-ActiveSync', true)).not.toThrow();
    expect(() => checkTransportSecurity('http://127.0.0.1:1/Microsoft-Server-ActiveSync', false)).not.toThrow();
    expect(() => checkTransportSecurity('https://mail.example.com/Microsoft-Server-ActiveSync', false)).not.toThrow();
  });
});

describe('requests', () => {
  it('encodes Basic credentials as UTF-8, with DOMAIN\\user as typed', () => {
    const header = basicAuthorization('CONTOSO\\alice', 'pässword');
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0)));
    expect(decoded).toBe('CONTOSO\\alice:pässword');
  });

  it('builds a plain-query POST with the MS-ASHTTP headers', () => {
    const body = Uint8Array.of(3, 1, 0x6a, 0);
    const request = buildCommandRequest({ ...common, body });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://mail.example.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=CONTOSO%5Calice&DeviceId=DEV1&DeviceType=OWAInspector');
    expect(Object.fromEntries(request.headers)).toEqual({
      Authorization: common.authorization,
      'MS-ASProtocolVersion': '14.1',
      'X-MS-PolicyKey': '0',
      'User-Agent': 'OWA-Inspector/0.1.0',
      'Content-Type': 'application/vnd.ms-sync.wbxml',
    });
    expect(request.body).toBe(body);
  });

  it('moves version and key into a base64 query and leaves their headers out', () => {
    const request = buildCommandRequest({ ...common, policyKey: '123456', queryEncoding: 'base64' });
    const names = request.headers.map(([name]) => name);
    expect(names).not.toContain('MS-ASProtocolVersion');
    expect(names).not.toContain('X-MS-PolicyKey');
    expect(names).not.toContain('Content-Type');
    const query = decodeQuery(new URL(request.url).search);
    expect(query).toMatchObject({ encoding: 'base64', command: 'FolderSync', protocolVersion: '14.1', policyKey: '123456', user: 'CONTOSO\\alice' });
  });

  it('keeps 2.5 and 12.0 on the plain form, as MS-ASHTTP requires', () => {
    expect(() => buildCommandRequest({ ...common, protocolVersion: '12.0', queryEncoding: 'base64' })).toThrow(/needs protocol 12.1 or later/);
  });

  it('builds OPTIONS with or without credentials', () => {
    expect(buildOptionsRequest('https://x/Microsoft-Server-ActiveSync', 'UA').headers).toEqual([['User-Agent', 'UA']]);
    expect(buildOptionsRequest('https://x/Microsoft-Server-ActiveSync', 'UA', 'Basic abc').headers[0]).toEqual(['Authorization', 'Basic abc']);
  });
});
