import { describe, expect, it } from 'vitest';
import { encodeBase64Query } from '../../../src/activesync/query-string';
import { parseHarEntry } from '../../../src/ui/devtools/model/har';
import { isActiveSyncUrl, isProblem, isWbxml, protocolStatusMeaning, recordFromEntry, withResponseContent, type EasRecord } from '../../../src/ui/devtools/model/record';
import { encodeXml } from '../../../src/wbxml';
import { FOLDERSYNC_142, FOLDERSYNC_REQUEST, FOLDERSYNC_RESPONSE, harEntry, PROVISION_REQUEST, PROVISION_RESPONSE, type BuiltEntry } from './fixtures';

function record(built: BuiltEntry, id = 1): EasRecord {
  const entry = parseHarEntry(built.entry);
  if (!entry) throw new Error('fixture is not a HAR entry');
  return withResponseContent(recordFromEntry(id, entry), built.content, built.second);
}

describe('HAR entry → ActiveSync record', () => {
  it('recognises the ActiveSync endpoint, any case, with default.eas', () => {
    expect(isActiveSyncUrl('https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=Sync')).toBe(true);
    expect(isActiveSyncUrl('https://mail.contoso.com/microsoft-server-activesync/default.eas?Cmd=Ping')).toBe(true);
    expect(isActiveSyncUrl('https://mail.contoso.com/owa/service.svc?action=GetItem')).toBe(false);
    expect(isActiveSyncUrl('not a url')).toBe(false);
  });

  it.each(['chrome', 'firefox'] as const)('reads a Provision exchange in %s shape', (browser) => {
    const r = record(harEntry({ command: 'Provision', request: PROVISION_REQUEST, response: PROVISION_RESPONSE, version: '14.1', policyKey: '0' }, browser));
    expect(r.command).toBe('Provision');
    expect(r.protocolVersion).toBe('14.1');
    expect(r.policyKey).toBe('0');
    expect(r.httpStatus).toBe(200);
    expect(r.requestBody).toMatchObject({ state: 'bytes', bytes: encodeXml(PROVISION_REQUEST) });
    expect(r.responseBody).toMatchObject({ state: 'bytes', bytes: encodeXml(PROVISION_RESPONSE) });
    expect(isWbxml(r, 'request') && isWbxml(r, 'response')).toBe(true);
    // The root's Status, not DeviceInformation's settings:Status (another page) or the Policy's.
    expect(r.protocolStatus).toEqual({ code: 1, namespace: 'Provision', parent: 'Provision' });
    expect(protocolStatusMeaning(r)).toBe('1 Success: The Provision command succeeded.');
    expect(isProblem(r)).toBe(false);
  });

  it('reads HTTP 449 with Status 142 and its meaning', () => {
    const r = record(harEntry({ command: 'FolderSync', request: FOLDERSYNC_REQUEST, response: FOLDERSYNC_142, status: 449, version: '14.1', policyKey: '0' }));
    expect(r.httpStatus).toBe(449);
    expect(r.protocolStatus?.code).toBe(142);
    expect(protocolStatusMeaning(r)).toMatch(/^142 DeviceNotProvisioned: /);
    expect(isProblem(r)).toBe(true);
  });

  it("finds a Sync response's Status in its first Collection", () => {
    const response = '<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>2</SyncKey><CollectionId>7</CollectionId><Status>3</Status></Collection></Collections></Sync>';
    const r = record(harEntry({ command: 'Sync', response, version: '16.1', policyKey: '1' }));
    expect(r.protocolStatus).toEqual({ code: 3, namespace: 'AirSync', parent: 'Collection' });
    expect(protocolStatusMeaning(r)).toBe('3 InvalidSyncKey: The SyncKey is invalid or out of date: sync the folder again from SyncKey 0.');
    expect(isProblem(r)).toBe(true);
  });

  it('reads a Policy Status with the Policy table', () => {
    const response = '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>5</Status></Policy></Policies></Provision>';
    const r = record(harEntry({ command: 'Provision', response, version: '14.1' }));
    expect(protocolStatusMeaning(r)).toMatch(/^5 Wrong policy key: /);
  });

  it('takes command, version and policy key from a base64 query (MS-ASHTTP)', () => {
    const query = encodeBase64Query({
      command: 'Sync',
      deviceId: 'v140Device',
      deviceType: 'SmartPhone',
      user: 'alice',
      protocolVersion: '14.1',
      policyKey: '3942919513',
      parameters: { CollectionId: '7' },
    });
    const r = record(harEntry({ command: 'Sync', query, response: FOLDERSYNC_RESPONSE }));
    expect(r.query).toMatchObject({ encoding: 'base64', command: 'Sync', deviceId: 'v140Device', user: 'alice', parameters: { CollectionId: '7' } });
    expect(r.command).toBe('Sync');
    expect(r.protocolVersion).toBe('14.1');
    expect(r.policyKey).toBe('3942919513');
  });

  it('keeps a query it cannot read, with the reason', () => {
    const r = record(harEntry({ command: 'Sync', query: 'AAAA' }));
    expect(r.query).toBeUndefined();
    expect(r.queryError).toMatch(/truncated/);
  });

  it('OPTIONS is its own command, with no body', () => {
    const r = record(harEntry({ command: 'OPTIONS', method: 'OPTIONS', url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync' }));
    expect(r.command).toBe('OPTIONS');
    expect(r.requestBody).toEqual({ state: 'empty' });
    expect(r.responseBody).toEqual({ state: 'empty' });
    expect(r.protocolStatus).toBeUndefined();
  });

  it('an HTML error page is text, with no protocol Status', () => {
    const html = new TextEncoder().encode('<html><body><h1>503 Service Unavailable</h1></body></html>');
    const r = record(harEntry({ command: 'Ping', response: html, status: 503, responseType: 'text/html' }));
    expect(isWbxml(r, 'response')).toBe(false);
    expect(r.protocolStatus).toBeUndefined();
    expect(isProblem(r)).toBe(true);
  });

  it('ignores what is not a HAR entry', () => {
    expect(parseHarEntry(null)).toBeNull();
    expect(parseHarEntry({ request: { url: 'x' }, response: {} })).toBeNull();
  });
});
