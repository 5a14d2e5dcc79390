// owa-inspector inspect as users run it (node dist/cli.mjs in a child process) on the hand-built
// captures of test/captures/fixtures: list, --show, --json, --filter, --summary, --diff, masking
// of credentials, and the exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist', 'cli.mjs');
const fixtures = join(root, 'test/captures/fixtures');
const MAILBOX = join(fixtures, 'mailbox-log-2013.txt');
const TBSYNC = join(fixtures, 'tbsync.log');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'inspect', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir = '';
beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run node build.mjs first');
  dir = mkdtempSync(join(tmpdir(), 'owa-inspect-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('owa-inspector inspect', () => {
  it('lists a mailbox log and a TbSync log, one line per exchange with Status names', () => {
    const { status, stdout, stderr } = run([MAILBOX, TBSYNC]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`== ${MAILBOX}: Exchange mailbox log, 4 ActiveSync exchanges, 0 other requests`);
    expect(lines[1]).toMatch(/^# {2}time +command +version +http +status +request → response$/);
    expect(lines[2]).toMatch(/^1 {2}2013-10-04T17:41:40\.120Z {2}Provision +14\.1 +200 +1 Success +\d+ B → \d+ B$/);
    expect(lines[5]).toMatch(/^4 {2}2013-10-04T17:42:10\.450Z {2}Ping +14\.1 +200 +3 ParametersMissing +0 B → \d+ B$/);
    expect(lines[6]).toBe(`== ${TBSYNC}: text log with WBXML, 2 ActiveSync exchanges, 0 other requests`);
    expect(lines[8]).toMatch(/^5 {2}2023-11-02T09:14:03\.225Z {2}FolderSync +- +- +142 DeviceNotProvisioned +13 B → 15 B$/);
  });

  it('--show hides the Basic password of a mailbox log and shows it with --show-credentials', () => {
    const masked = run([MAILBOX, '--show', '1']);
    expect(masked.status).toBe(0);
    expect(masked.stdout).toContain('> Authorization: Basic (user contoso\\jim, password hidden)');
    expect(masked.stdout).not.toContain('Y29udG9zb1xqaW06UGFzc3dvcmQx');
    expect(masked.stdout).toContain('<PolicyKey>2143425154</PolicyKey>');
    expect(run([MAILBOX, '--show', '1', '--show-credentials']).stdout).toContain('> Authorization: Basic Y29udG9zb1xqaW06UGFzc3dvcmQx');
  });

  it('--filter takes the panel words; --json keeps the fields scripts read', () => {
    const { stdout } = run([MAILBOX, TBSYNC, '--json', '--filter', 'problems']);
    const list = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(list.map((e) => [e.file, e.index, e.command, e.httpStatus, e.status])).toEqual([
      [MAILBOX, 4, 'Ping', 200, 3],
      [TBSYNC, 1, 'FolderSync', null, 142],
    ]);
    expect(list[1]!.responseXml).toMatch(/<Status>142<\/Status>/);
    const search = JSON.parse(run([MAILBOX, '--json', '--filter', 'cmd:Provision', '--filter', '3942919513']).stdout) as Array<{ index: number }>;
    expect(search.map((e) => e.index)).toEqual([2]);
  });

  it('--summary names devices, keys, changes and failures', () => {
    const { status, stdout } = run([MAILBOX, '--summary']);
    expect(status).toBe(0);
    expect(stdout).toContain('6F24CAD599A5BF1A690246B8C68FAE8D (WP8): 4 exchanges, user contoso\\jim');
    expect(stdout).toContain('6F24CAD599A5BF1A690246B8C68FAE8D: 0 → 2143425154 at');
    expect(stdout).toContain('6F24CAD599A5BF1A690246B8C68FAE8D: 2143425154 → 3942919513 at');
    expect(stdout).toMatch(/failures by Status:\n {2}Ping 3 ParametersMissing: 1\n/);
  });

  it('--diff compares two exchanges across files', () => {
    const { status, stdout } = run([MAILBOX, TBSYNC, '--diff', `${MAILBOX}:3`, `${TBSYNC}:2`]);
    expect(status).toBe(0);
    // The mailbox log's FolderSync answer lists a folder; the TbSync one has none.
    expect(stdout).toBe([`--- 3. ${MAILBOX} #3 FolderSync`, `+++ 6. ${TBSYNC} #2 FolderSync`, 'request: the same', 'response:', '  - FolderSync/Changes: (2 children)', ''].join('\n'));
  });

  it('exit codes: 2 for a bad argument, 1 for a file that is not a capture or missing', () => {
    expect(run([MAILBOX, '--show', '99'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--show 99: no such exchange \(4 listed/) });
    expect(run([MAILBOX, '--diff', '1'])).toMatchObject({ status: 2 });
    expect(run([])).toMatchObject({ status: 2 });
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Uint8Array.from([0, 255, 16, 2, 5, 0, 0, 1]));
    const bad = run([junk, MAILBOX, join(dir, 'nope.har')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`owa-inspector inspect: ${junk}: the whole file: not a capture this reader knows`);
    expect(bad.stderr).toContain(`owa-inspector inspect: ${join(dir, 'nope.har')}: the whole file: no such file`);
    expect(bad.stdout).toContain(`== ${MAILBOX}: Exchange mailbox log, 4 ActiveSync exchanges`);
  });
});
