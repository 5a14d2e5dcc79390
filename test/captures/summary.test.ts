// The summary of a capture, on exchanges written by hand: a device that provisions, is asked
// again (449, then Status 142) and provisions again twice is a loop; one that provisions once is not.
import { describe, expect, it } from 'vitest';
import { summarizeCapture, type CaptureExchange } from '../../src/captures/index.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST, provisionResponse } from './helpers.js';

let clock = Date.parse('2026-12-01T10:00:00Z');
function exchange(index: number, device: string, cmd: string, http: number, response: Uint8Array | undefined, key?: string): CaptureExchange {
  clock += 1000;
  return {
    file: 'a.har',
    index,
    format: 'har',
    startedAt: clock,
    durationMs: 10,
    method: 'POST',
    url: `https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=${cmd}&User=${device === 'PHONE1' ? 'alice' : 'bob'}&DeviceId=${device}&DeviceType=iPhone`,
    requestHeaders: [{ name: 'MS-ASProtocolVersion', value: device === 'PHONE1' ? '14.1' : '16.1' }, ...(key !== undefined ? [{ name: 'X-MS-PolicyKey', value: key }] : [])],
    responseHeaders: [],
    httpStatus: http,
    httpStatusText: '',
    request: { kind: 'bytes', bytes: FOLDER_SYNC_REQUEST },
    response: response ? { kind: 'bytes', bytes: response } : { kind: 'empty' },
  };
}

describe('summarizeCapture', () => {
  const looping = [
    exchange(1, 'PHONE1', 'FolderSync', 449, undefined, '0'),
    exchange(2, 'PHONE1', 'Provision', 200, provisionResponse('111'), '0'),
    exchange(3, 'PHONE1', 'FolderSync', 200, FOLDER_SYNC_142, '111'),
    exchange(4, 'PHONE1', 'Provision', 200, provisionResponse('222'), '0'),
    exchange(5, 'PHONE1', 'FolderSync', 449, undefined, '222'),
    exchange(6, 'PHONE1', 'Provision', 200, provisionResponse('333'), '0'),
    exchange(7, 'TABLET2', 'FolderSync', 449, undefined, '0'),
    exchange(8, 'TABLET2', 'Provision', 200, provisionResponse('999'), '0'),
    exchange(9, 'TABLET2', 'FolderSync', 200, FOLDER_SYNC_OK, '999'),
  ];

  it('counts devices, users, versions and commands, and failures by HTTP status and Status name', () => {
    const s = summarizeCapture(looping);
    expect(s.exchanges).toBe(9);
    expect(s.devices).toEqual([
      { deviceId: 'PHONE1', deviceType: 'iPhone', users: ['alice'], exchanges: 6 },
      { deviceId: 'TABLET2', deviceType: 'iPhone', users: ['bob'], exchanges: 3 },
    ]);
    expect(s.protocolVersions).toEqual([
      { version: '14.1', exchanges: 6 },
      { version: '16.1', exchanges: 3 },
    ]);
    expect(s.commands).toEqual([
      { command: 'FolderSync', exchanges: 5, failures: 4 },
      { command: 'Provision', exchanges: 4, failures: 0 },
    ]);
    expect(s.httpFailures).toEqual([{ httpStatus: 449, name: 'Retry after sending a PROVISION command', exchanges: 3 }]);
    expect(s.statusFailures).toEqual([{ command: 'FolderSync', status: 142, name: '142 DeviceNotProvisioned', exchanges: 1 }]);
  });

  it('follows the policy keys each device sent and when they changed', () => {
    const s = summarizeCapture(looping);
    expect(s.policyKeyChanges.map((c) => [c.deviceId, c.from, c.to, c.at.index])).toEqual([
      ['PHONE1', '0', '111', 3],
      ['PHONE1', '111', '0', 4],
      ['PHONE1', '0', '222', 5],
      ['PHONE1', '222', '0', 6],
      ['TABLET2', '0', '999', 9],
    ]);
    expect(s.policyKeys.find((k) => k.deviceId === 'PHONE1' && k.key === '0')).toMatchObject({ exchanges: 4, first: { index: 1 }, last: { index: 6 } });
  });

  it('spots the re-provisioning loop of one device, not the single provisioning of the other', () => {
    expect(summarizeCapture(looping).reprovisionLoops).toEqual([
      { deviceId: 'PHONE1', cycles: 3, first: expect.objectContaining({ index: 1 }), last: expect.objectContaining({ index: 6 }) },
    ]);
    expect(summarizeCapture(looping.slice(0, 2)).reprovisionLoops).toEqual([]);
  });
});
