// Our command Status tables against an independent source on this machine: the constants of
// Horde ActiveSync (Debian's php-horde-activesync), the server the integration tests run. Every
// Status value Horde sends for a command must have a name and meaning here, and the value Horde
// calls success must be the one the panel counts as success.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_STATUS, describeCommandStatus, isCommandSuccess, isCommonStatus } from '../../src/activesync/status';

const HORDE = '/usr/share/php/Horde/ActiveSync/Request';

/** Horde's class per command, and the prefix of the constants that are its Status values. */
const SOURCES: Array<{ command: string; file: string; prefix: RegExp }> = [
  { command: 'Ping', file: 'Ping.php', prefix: /^STATUS_/ },
  { command: 'Sync', file: 'Sync.php', prefix: /^STATUS_/ },
  { command: 'FolderSync', file: 'FolderSync.php', prefix: /^STATUS_/ },
  { command: 'FolderCreate', file: 'FolderCreate.php', prefix: /^STATUS_/ },
  { command: 'GetItemEstimate', file: 'GetItemEstimate.php', prefix: /^STATUS_/ },
  { command: 'MoveItems', file: 'MoveItems.php', prefix: /^STATUS_/ },
  { command: 'MeetingResponse', file: 'MeetingResponse.php', prefix: /^STATUS_/ },
  { command: 'Search', file: 'Search.php', prefix: /^STORE_STATUS_/ },
  { command: 'ItemOperations', file: 'ItemOperations.php', prefix: /^STATUS_/ },
  { command: 'Settings', file: 'Settings.php', prefix: /^STATUS_/ },
  { command: 'ResolveRecipients', file: 'ResolveRecipients.php', prefix: /^STATUS_(SUCCESS|PROTERR|SERVERERR|RESPONSE_|CERT_|LIMIT)/ },
  { command: 'ValidateCert', file: 'ValidateCert.php', prefix: /^STATUS_/ },
];

function hordeConstants(file: string, prefix: RegExp): Map<string, number> {
  const found = new Map<string, number>();
  for (const [, name, value] of readFileSync(`${HORDE}/${file}`, 'utf8').matchAll(/const\s+([A-Z_]+)\s*=\s*(\d+)\s*;/g)) {
    if (prefix.test(name!)) found.set(name!, Number(value));
  }
  return found;
}

describe("command Status tables against Horde ActiveSync's constants", () => {
  it('Horde is installed where Debian puts it', () => {
    expect(existsSync(HORDE), `${HORDE} is missing: apt-get install php-horde-activesync`).toBe(true);
  });

  it.each(SOURCES)('$command: every value Horde sends has a name here', ({ command, file, prefix }) => {
    const constants = hordeConstants(file, prefix);
    expect(constants.size).toBeGreaterThan(1);
    for (const [name, code] of constants) {
      if (isCommonStatus(code)) continue;
      expect(COMMAND_STATUS[command]?.[code], `${command} ${name} = ${code}`).toBeDefined();
      expect(describeCommandStatus(command, code)).toMatch(new RegExp(`^${code} [A-Za-z_]+: `));
    }
    const success = [...constants].find(([name]) => /SUCCESS$/.test(name))?.[1];
    if (success !== undefined) expect(isCommandSuccess(command, success), `${command} success is ${success}`).toBe(true);
  });
});
