import { describe, expect, it } from 'vitest';
import {
  COMMON_STATUS,
  describeCommandStatus,
  describeCommonStatus,
  describeHttpStatus,
  describeProvisionStatus,
  HTTP_STATUS,
  isCommandSuccess,
  POLICY_STATUS,
  PROVISION_STATUS,
  REPROVISION_STATUSES,
} from '../../src/activesync/status';

describe('status tables', () => {
  it('cover the common status codes of MS-ASCMD from 101 to 184', () => {
    const codes = Object.keys(COMMON_STATUS).map(Number);
    expect(Math.min(...codes)).toBe(101);
    expect(Math.max(...codes)).toBe(184);
    // The published table has gaps at 157-159 and 180-182.
    const expected = [...Array(84).keys()].map((i) => 101 + i).filter((c) => !(c >= 157 && c <= 159) && !(c >= 180 && c <= 182));
    expect(codes).toEqual(expected);
    for (const code of [142, 143, 144, 145]) expect(COMMON_STATUS[code]?.meaning).toBeTruthy();
  });

  it('say which codes demand provisioning', () => {
    expect([...REPROVISION_STATUSES].sort()).toEqual([142, 143, 144]);
  });

  it('describe codes in plain words, and codes outside the table honestly', () => {
    expect(describeCommonStatus(142)).toBe('142 DeviceNotProvisioned: The device has not provisioned yet: send Provision first.');
    expect(describeCommonStatus(187)).toMatch(/^187: a status common to all commands, not in this client's table/);
    expect(describeCommonStatus(7)).toMatch(/its meaning depends on the command/);
  });

  it('describe HTTP statuses an ActiveSync client must handle', () => {
    for (const code of [401, 403, 449, 451, 456, 457, 503]) expect(HTTP_STATUS[code]).toBeDefined();
    expect(describeHttpStatus(449)).toMatch(/^HTTP 449 Retry after sending a PROVISION command: /);
    expect(describeHttpStatus(418)).toBe('HTTP 418');
  });

  it('read Provision and Policy statuses, falling back to the common table', () => {
    expect(describeProvisionStatus(5, POLICY_STATUS)).toBe('5 Wrong policy key: The client acknowledged a policy key other than the one the server handed out.');
    expect(describeProvisionStatus(2, PROVISION_STATUS)).toMatch(/^2 Protocol error/);
    expect(describeProvisionStatus(139, PROVISION_STATUS)).toMatch(/^139 DeviceNotFullyProvisionable/);
    expect(describeProvisionStatus(9, POLICY_STATUS)).toBe('9: unknown status');
  });
});

describe("commands' own Status values", () => {
  it('name them from the command table, common codes first, and say honestly what is not known', () => {
    expect(describeCommandStatus('Ping', 3)).toMatch(/^3 ParametersMissing: /);
    expect(describeCommandStatus('Sync', 12)).toBe('12 FolderHierarchyChanged: The folder hierarchy changed: run FolderSync.');
    expect(describeCommandStatus('FolderDelete', 4)).toMatch(/^4 FolderNotFound: /);
    expect(describeCommandStatus('Sync', 142)).toMatch(/^142 DeviceNotProvisioned: /);
    expect(describeCommandStatus('Sync', 99)).toBe('99: not in the Sync Status table this tool knows (MS-ASCMD)');
    // A command without a table of its own (SendMail answers only common statuses).
    expect(describeCommandStatus('SendMail', 1)).toBe('1 Success');
  });

  it("know each command's success: MoveItems' is 3, and its 1 is a failure", () => {
    expect(isCommandSuccess('MoveItems', 3)).toBe(true);
    expect(isCommandSuccess('MoveItems', 1)).toBe(false);
    expect(isCommandSuccess('Ping', 2)).toBe(true);
    expect(isCommandSuccess('Sync', 1)).toBe(true);
    expect(isCommandSuccess('Sync', 3)).toBe(false);
  });
});
