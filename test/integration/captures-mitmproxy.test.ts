// Captures written by a real tool: Debian's mitmproxy (mitmdump -w, and its har_dump.py example
// for a HAR) records ActiveSync traffic to the demo Exchange on loopback. What the readers and
// `owa-inspector inspect` make of them is checked against what the client sent and received, and
// the XML against libwbxml's wbxml2xml, not against our own codec.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture, type CaptureBody } from '../../src/captures/index.js';
import { startDemoExchange, type DemoExchange } from '../demo';
import { wbxml2xml } from './libwbxml.js';
import { mitmproxyVersion, recordProvisioning, type SentExchange } from './helpers/mitmproxy.js';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist', 'cli.mjs');
const PASSWORD = 'Demo-Passw0rd';
const AUTH = `Basic ${Buffer.from(`CONTOSO\\alice:${PASSWORD}`).toString('base64')}`;

let demo: DemoExchange;
let dir = '';
let flowFile = '';
let harFile = '';
let sent: SentExchange[] = [];

/**
 * Provision token 0x10: MS-ASWBXML names it RequireStorageCardEncryption, libwbxml by its
 * protocol 12.0 name (ALIASES in src/wbxml/codepages.ts says the same).
 */
const LIBWBXML_NAMES: Readonly<Record<string, string>> = { DeviceEncryptionEnabled: 'RequireStorageCardEncryption' };

/** Element names (local) and text, in document order: what two XML writers must agree on. */
function shape(xml: string): string[] {
  const out: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => out.push(`<${LIBWBXML_NAMES[tag.local] ?? tag.local}>`));
  parser.on('text', (text) => {
    if (text.trim() !== '') out.push(text.trim());
  });
  parser.write(xml).close();
  return out;
}

beforeAll(async () => {
  demo = await startDemoExchange({ generation: '2010', activesync: true });
  dir = mkdtempSync(join(tmpdir(), 'owa-mitm-'));
  ({ flowFile, harFile, sent } = await recordProvisioning(demo.origin, dir, AUTH));
  process.stdout.write(`mitmproxy ${mitmproxyVersion()} recorded ${sent.length} ActiveSync exchanges\n`);
}, 90_000);

afterAll(async () => {
  await demo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const bytes = (body: CaptureBody): Uint8Array | undefined => (body.kind === 'bytes' ? body.bytes : undefined);

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.each([
  ['flow file (mitmdump -w)', () => flowFile, 'mitmproxy'],
  ['HAR (har_dump.py)', () => harFile, 'har'],
])('mitmproxy %s', (_name, file, format) => {
  it('holds every ActiveSync exchange with the exact bytes sent and received, the page counted as other', async () => {
    expect(sent.map((s) => [s.command, s.status])).toEqual([
      ['FolderSync', 449],
      ['Provision', 200],
      ['Provision', 200],
      ['FolderSync', 200],
    ]);
    const result = await readCapture(file(), await openAsBlob(file()));
    expect(result).toMatchObject({ format, otherRequests: 1, problems: [] });
    expect(result.exchanges.map((e) => e.httpStatus)).toEqual(sent.map((s) => s.status));
    result.exchanges.forEach((e, i) => {
      expect(bytes(e.request), `request ${i + 1}`).toEqual(sent[i]!.request);
      expect(bytes(e.response), `response ${i + 1}`).toEqual(sent[i]!.response);
    });
  });

  it('inspect --json gives the XML libwbxml gives, the Status and the command', () => {
    const { status, stdout, stderr } = run(['inspect', '--json', file()]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const list = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(list.map((e) => [e.file, e.index, e.command, e.httpStatus, e.status])).toEqual([
      [file(), 1, 'FolderSync', 449, 142],
      [file(), 2, 'Provision', 200, 1],
      [file(), 3, 'Provision', 200, 1],
      [file(), 4, 'FolderSync', 200, 1],
    ]);
    list.forEach((e, i) => {
      expect(shape(e.requestXml as string), `request ${i + 1}`).toEqual(shape(wbxml2xml(sent[i]!.request)));
      expect(shape(e.responseXml as string), `response ${i + 1}`).toEqual(shape(wbxml2xml(sent[i]!.response)));
    });
    expect(stdout).not.toContain(AUTH.slice(6));
    expect(list[0]!.requestHeaders).toContainEqual({ name: 'authorization', value: 'Basic (user CONTOSO\\alice, password hidden)' });
  });
});

describe('inspect on the real captures', () => {
  it('lists both files, one line per exchange, numbered across files', () => {
    const { status, stdout } = run(['inspect', flowFile, harFile]);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`== ${flowFile}: mitmproxy flows, 4 ActiveSync exchanges, 1 other request`);
    expect(lines.filter((l) => /^\s*\d+ {2}\d{4}-/.test(l))).toHaveLength(8);
    expect(lines.find((l) => /^\s*1 {2}/.test(l))).toMatch(/ FolderSync +14\.1 +449 +142 DeviceNotProvisioned +13 B → 15 B$/);
    expect(lines.find((l) => /^\s*8 {2}/.test(l))).toMatch(/ FolderSync +14\.1 +200 +1 Success /);
  });

  it('--show FILE:N prints both bodies; the password only with --show-credentials', () => {
    const masked = run(['inspect', flowFile, harFile, '--show', `${harFile}:2`]);
    expect(masked.status).toBe(0);
    expect(masked.stdout).toMatch(/^── 6\. .*eas\.har #2: Provision/);
    expect(masked.stdout).toContain('<PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>');
    expect(masked.stdout).not.toContain(AUTH);
    expect(run(['inspect', harFile, '--show', '2', '--show-credentials']).stdout).toContain(`authorization: ${AUTH}`);
  });

  it('a cut flow file: what was read is listed, the cut is named on standard error, exit 1', () => {
    const whole = readFileSync(flowFile);
    const cutFile = join(dir, 'cut.flow');
    writeFileSync(cutFile, whole.subarray(0, Math.floor(whole.length * 0.75)));
    const { status, stdout, stderr } = run(['inspect', cutFile]);
    expect(status).toBe(1);
    expect(stdout).toMatch(/ActiveSync exchanges/);
    expect(stderr).toMatch(new RegExp(`^owa-inspector inspect: ${cutFile}: flow \\d+ \\(byte \\d+\\): the flow claims \\d+ bytes`, 'm'));
  });
});
