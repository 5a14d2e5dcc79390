// The owa-inspector command line, run as users run it: node dist/cli.mjs in a child process.
// Needs the build (npm test runs node build.mjs first).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeXml } from '../../src/wbxml/index.js';
import { toBase64, toHex } from '../../src/shared/base64.js';
import { FIXTURE_DIR } from '../wbxml/helpers.js';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist', 'cli.mjs');
const expectedXml = (name: string): string => readFileSync(join(root, 'test/wbxml/expected', name), 'utf8');
const fixture = (name: string): string => join(FIXTURE_DIR, name);

function run(args: string[], input?: string | Uint8Array): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { input, cwd: root });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

let dir = '';
beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run node build.mjs first');
  dir = mkdtempSync(join(tmpdir(), 'owa-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('owa-inspector decode', () => {
  it('prints the XML of a file', () => {
    const result = run(['decode', fixture('pyw_response-9542.wbxml')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.toString('utf8')).toBe(expectedXml('pyw_response-9542.xml'));
  });

  it('reads standard input with -', () => {
    const result = run(['decode', '-'], readFileSync(fixture('syncroton_simple.wbxml')));
    expect(result.status).toBe(0);
    expect(result.stdout.toString('utf8')).toBe(expectedXml('syncroton_simple.xml'));
  });

  it('reads hex and base64 text with --hex and --base64', () => {
    const bytes = new Uint8Array(readFileSync(fixture('mitm_data.wbxml')));
    const spaced = toHex(bytes).replace(/(..)/g, '$1 ');
    expect(run(['decode', '--hex', '-'], spaced).stdout.toString('utf8')).toBe(expectedXml('mitm_data.xml'));
    expect(run(['decode', '--base64', '-'], toBase64(bytes)).stdout.toString('utf8')).toBe(expectedXml('mitm_data.xml'));
    const bad = run(['decode', '--hex', '-'], 'not hex');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not hex text/);
  });

  it('decodes header-less fragments with --fragment, and hints at it without', () => {
    expect(run(['decode', '--fragment', fixture('horde_dst.wbxml')]).stdout.toString('utf8')).toBe(expectedXml('horde_dst.xml'));
    const without = run(['decode', fixture('horde_allday_appointment.wbxml')]);
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/try --fragment/);
  });

  it('writes to a file with -o, and shows byte arrays in hex with --binary hex', () => {
    const out = join(dir, 'out.xml');
    const input = join(dir, 'id.wbxml');
    writeFileSync(input, encodeXml('<ConversationId xmlns="Email2:">3q2+7w==</ConversationId>'));
    expect(run(['decode', '--binary', 'hex', '-o', out, input]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('<ConversationId xmlns="Email2:">deadbeef</ConversationId>\n');
  });

  it('reports malformed input on standard error with the offset, exit code 1', () => {
    const input = join(dir, 'truncated.wbxml');
    writeFileSync(input, readFileSync(fixture('pyw_response-9542.wbxml')).subarray(0, 40));
    const result = run(['decode', input]);
    expect(result.status).toBe(1);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr).toMatch(/^owa-inspector decode: .*truncated\.wbxml: .*byte 0x[0-9a-f]+ \(\d+\).* \[truncated\]\n$/);
  });

  it('refuses a document that is not ActiveSync, or decodes it with a warning on request', () => {
    // SyncML 1.1: public identifier 0xFD3 (issue 12, item 4); it decoded silently with exit 0 before.
    const syncml = Uint8Array.from([0x03, 0x9f, 0x53, 0x6a, 0x00, 0x6d, 0x01]);
    const refused = run(['decode', '-'], syncml);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^owa-inspector decode: -: not an ActiveSync document: .*SyncML 1\.1 \(public identifier 0xfd3\).* \[not-activesync\]\n$/);
    const anyway = run(['decode', '--any-document', '-'], syncml);
    expect(anyway.status).toBe(0);
    expect(anyway.stderr).toMatch(/^owa-inspector decode: -: warning: not an ActiveSync document: the header names SyncML 1\.1/);
    expect(anyway.stdout.toString()).toMatch(/^<\?wbxml header version=3 public-id=4051 charset=106\?>\n/);
  });

  it('reports a missing file', () => {
    const result = run(['decode', join(dir, 'nope.wbxml')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ENOENT/);
  });
});

describe('owa-inspector encode', () => {
  const request = '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>';

  it('writes the WBXML of an XML file to standard output', () => {
    const input = join(dir, 'provision.xml');
    writeFileSync(input, request);
    const result = run(['encode', input]);
    expect(result.status).toBe(0);
    expect(new Uint8Array(result.stdout)).toEqual(encodeXml(request));
    expect([...result.stdout.subarray(0, 4)]).toEqual([0x03, 0x01, 0x6a, 0x00]);
  });

  it('writes hex or base64 text on request, reading standard input', () => {
    expect(run(['encode', '--hex', '-'], request).stdout.toString()).toBe(`${toHex(encodeXml(request))}\n`);
    expect(run(['encode', '--base64', '-'], request).stdout.toString()).toBe(`${toBase64(encodeXml(request))}\n`);
  });

  it('reads the XML in the encoding it declares, and refuses bytes that are not valid in it', () => {
    // Issue 12, item 2: ISO-8859-1 came out as U+FFFD (EF BF BD) with exit 0.
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<Subject xmlns="Email:">Grüße</Subject>', 'latin1');
    const result = run(['encode', '-'], latin1);
    expect(result.stderr).toBe('');
    expect(new Uint8Array(result.stdout)).toEqual(encodeXml('<Subject xmlns="Email:">Grüße</Subject>'));
    const undeclared = run(['encode', '--hex', '-'], Buffer.from('<Subject xmlns="Email:">\nGrüße</Subject>', 'latin1'));
    expect(undeclared.status).toBe(1);
    expect(undeclared.stdout.length).toBe(0);
    expect(undeclared.stderr).toBe('owa-inspector encode: -: invalid UTF-8 (byte 0xfc) at line 2, column 3 (byte 0x1b (27)) [invalid-utf8]\n');
  });

  it('round-trips with decode', () => {
    const encoded = run(['encode', '-'], expectedXml('pyw_response-9542.xml')).stdout;
    expect(new Uint8Array(encoded)).toEqual(new Uint8Array(readFileSync(fixture('pyw_response-9542.wbxml'))));
  });

  it('reports bad XML with line and column, exit code 1', () => {
    const result = run(['encode', '-'], '<Provision xmlns="Provision:">\n  <Policies>\n    <Polcy/>\n  </Policies>\n</Provision>');
    expect(result.status).toBe(1);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr).toBe('owa-inspector encode: -: no tag <Polcy> in namespace "Provision:" at line 3, column 5 [unknown-tag]\n');
  });
});

describe('owa-inspector', () => {
  it('lists its commands, and exits 2 on an unknown command or option', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout.toString()).toMatch(/decode .*\n.*encode /);
    expect(run(['frobnicate']).status).toBe(2);
    const badOption = run(['decode', '--nope', 'x']);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toMatch(/usage: owa-inspector decode/);
    expect(run(['decode', '--help']).stdout.toString()).toMatch(/--fragment/);
  });

  it('is the owa-inspector command of the package', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['owa-inspector']).toBe('dist/cli.mjs');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
