import { describe, expect, it } from 'vitest';
import { ActiveSyncError } from '../../src/activesync/errors';
import { decodeBase64Query, decodeQuery, encodeBase64Query, encodePlainQuery } from '../../src/activesync/query-string';

// The example of MS-ASHTTP 2.2.1.1.1.1.
const SPEC_EXAMPLE = 'jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l';

describe('base64 query value', () => {
  it('decodes the specification example', () => {
    expect(decodeQuery(SPEC_EXAMPLE)).toEqual({
      encoding: 'base64',
      command: 'Sync',
      protocolVersion: '14.0',
      locale: 0x0409,
      deviceId: 'v140Device',
      deviceIdHex: '76313430446576696365',
      deviceType: 'SmartPhone',
      parameters: {},
    });
  });

  it('encodes the specification example byte for byte', () => {
    expect(encodeBase64Query({ command: 'Sync', protocolVersion: '14.0', locale: 0x0409, deviceId: 'v140Device', deviceType: 'SmartPhone' })).toBe(SPEC_EXAMPLE);
  });

  it('carries the policy key as a little-endian 32-bit integer, and command parameters', () => {
    const encoded = encodeBase64Query({
      command: 'SmartReply',
      protocolVersion: '16.1',
      deviceId: 'ABC',
      deviceType: 'iPhone',
      policyKey: '3942906683',
      user: 'CONTOSO\\alice',
      parameters: { CollectionId: '5', ItemId: '5:12', AttachmentName: 'a.txt', LongId: 'L1', Occurrence: '2026-01-01' },
      options: { saveInSent: true, acceptMultiPart: false },
    });
    const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    expect(bytes[0]).toBe(161);
    expect(bytes[1]).toBe(3);
    // device id length 3 "ABC", then key length 4 and 3942906683 = 0xEB03_FB3B little-endian.
    expect([...bytes.subarray(4, 13)]).toEqual([3, 0x41, 0x42, 0x43, 4, 0x3b, 0xfb, 0x03, 0xeb]);
    const decoded = decodeBase64Query(encoded);
    expect(decoded).toMatchObject({
      command: 'SmartReply',
      protocolVersion: '16.1',
      policyKey: '3942906683',
      user: 'CONTOSO\\alice',
      parameters: { CollectionId: '5', ItemId: '5:12', AttachmentName: 'a.txt', LongId: 'L1', Occurrence: '2026-01-01' },
      options: { saveInSent: true, acceptMultiPart: false },
    });
  });

  it('sends a hex device id as the bytes it spells, and shows binary ids in hex', () => {
    const encoded = encodeBase64Query(
      { command: 'Provision', protocolVersion: '14.1', deviceId: '{00FF10A0-0000-0000-0000-000000000001}', deviceType: 'PocketPC' },
      { deviceIdEncoding: 'hex' },
    );
    const decoded = decodeBase64Query(encoded);
    expect(decoded.deviceIdHex).toBe('00FF10A0000000000000000000000001');
    expect(decoded.deviceId).toBe('00FF10A0000000000000000000000001');
    expect(decoded.command).toBe('Provision');
  });

  it('accepts a percent-encoded value and names unknown commands and parameter tags', () => {
    const bytes = [141, 99, 9, 4, 1, 0x41, 0, 1, 0x42, 42, 2, 0xde, 0xad];
    const value = encodeURIComponent(btoa(String.fromCharCode(...bytes)));
    const decoded = decodeQuery(value);
    expect(decoded.command).toBe('unknown command code 99');
    expect(decoded.unknownParameters).toEqual([{ tag: 42, hex: 'DEAD' }]);
  });

  it('says where a truncated value ends', () => {
    const truncated = btoa(String.fromCharCode(141, 9, 9, 4, 10, 0x41, 0x42));
    const error = (() => {
      try {
        decodeBase64Query(truncated);
      } catch (e) {
        return e as ActiveSyncError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ActiveSyncError);
    expect(error.kind).toBe('invalid-input');
    expect(error.offset).toBe(5);
    expect(error.message).toMatch(/truncated at byte 5: device id needs 10 byte\(s\), 2 left/);
  });

  it('rejects a policy key length other than 0 or 4, and text that is not base64', () => {
    expect(() => decodeBase64Query(btoa(String.fromCharCode(141, 9, 9, 4, 1, 0x41, 2, 0, 0, 0)))).toThrow(/policy key length at byte 6 is 2/);
    expect(() => decodeBase64Query('not base64!')).toThrow(ActiveSyncError);
  });

  it('refuses what the base64 form cannot carry', () => {
    const base = { protocolVersion: '14.1', deviceId: 'D', deviceType: 'T' };
    expect(() => encodeBase64Query({ ...base, command: 'Autodiscover' })).toThrow(/no base64 command code/);
    expect(() => encodeBase64Query({ ...base, command: 'Sync', policyKey: 'abc' })).toThrow(/not a 32-bit unsigned integer/);
    expect(() => encodeBase64Query({ ...base, command: 'Sync', policyKey: '4294967296' })).toThrow(/32-bit/);
    expect(() => encodeBase64Query({ ...base, command: 'Sync', parameters: { Nope: '1' } })).toThrow(/no base64 tag/);
  });
});

describe('plain query value', () => {
  it('encodes the four required parameters, percent-encoding DOMAIN\\user', () => {
    expect(encodePlainQuery({ command: 'FolderSync', user: 'CONTOSO\\alice', deviceId: 'DEV1', deviceType: 'SmartPhone' })).toBe(
      'Cmd=FolderSync&User=CONTOSO%5Calice&DeviceId=DEV1&DeviceType=SmartPhone',
    );
  });

  it('decodes a plain query with command parameters', () => {
    expect(decodeQuery('?Cmd=SmartForward&User=bob&DeviceId=X1&DeviceType=iPhone&ItemId=5%3A1&SaveInSent=T')).toEqual({
      encoding: 'plain',
      command: 'SmartForward',
      user: 'bob',
      deviceId: 'X1',
      deviceType: 'iPhone',
      parameters: { ItemId: '5:1' },
      options: { saveInSent: true, acceptMultiPart: false },
    });
  });
});
