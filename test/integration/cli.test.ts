// The owa-inspector command line, run as users run it: node dist/cli.mjs in a child process.
// Needs the build (npm test runs node build.mjs first).

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
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

/** Node's peak resident memory, reported by the child on exit (a preload), in MB. */
const REPORT_MAX_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write(`max-rss-kb=${process.resourceUsage().maxRSS}\\n`))';

function runMeasured(args: string[], input?: string | Uint8Array): { status: number | null; stdout: Buffer; stderr: string; maxRssMb: number; ms: number } {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', REPORT_MAX_RSS, cli, ...args], { input, cwd: root, maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  const stderr = result.stderr.toString('utf8');
  const kb = Number(/max-rss-kb=(\d+)\n$/.exec(stderr)?.[1] ?? NaN);
  return { status: result.status, stdout: result.stdout, stderr: stderr.replace(/max-rss-kb=\d+\n$/, ''), maxRssMb: kb / 1024, ms };
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

  it.each([
    ['0x and commas', '0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01'],
    ['\\x escapes', '\\x03\\x01\\x6a\\x00\\x00\\x07\\x56\\x52\\x03\\x30\\x00\\x01\\x01'],
    ['colons', '03:01:6a:00:00:07:56:52:03:30:00:01:01'],
    ['xxd output', '00000000: 0301 6a00 0007 5652 0330 0001 01         ..j...VR.0...\n'],
    ['unpadded single digits', '3 1 6a 0 0 7 56 52 3 30 0 1 1'],
  ])("--hex reads %s, as the panel's decode box does", (_, text) => {
    // Issue 12, the command line: one parser (src/shared/paste.ts) for both.
    const result = run(['decode', '--hex', '-'], text);
    expect(result.stderr).toBe('');
    expect(result.stdout.toString('utf8')).toBe('<FolderSync xmlns="FolderHierarchy:">\n  <SyncKey>0</SyncKey>\n</FolderSync>\n');
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
    expect(readFileSync(out, 'utf8')).toBe('<?wbxml binary hex?>\n<ConversationId xmlns="Email2:">deadbeef</ConversationId>\n');
  });

  it('decode | encode gives the same bytes, with --binary hex and for the rare constructs (issue 12)', () => {
    // "deadbeef" read as base64 gave 6 other bytes; ENTITY, attributes, PIs and LITERAL indexes changed too.
    const table = [...Buffer.from('href\0php\0Foo\0')];
    const inputs = [
      encodeXml('<ConversationId xmlns="Email2:">3q2+7w==</ConversationId>'),
      Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x45, 0x03, 0x47, 0x72, 0x00, 0x02, 0x81, 0x7c, 0x03, 0x65, 0x00, 0x01]),
      Uint8Array.from([0x03, 0x01, 0x6a, table.length, ...table, 0x43, 0x04, 0x05, 0x03, 0x20, 0x78, 0x00, 0x01, 0xc5, 0x04, 0x00, 0x83, 0x05, 0x01, 0x04, 0x0b, 0x01]),
    ];
    for (const bytes of inputs) {
      for (const binary of ['base64', 'hex']) {
        const xml = run(['decode', '--binary', binary, '-'], bytes);
        expect(xml.stderr).toBe('');
        const back = run(['encode', '--literals', '-o', join(dir, 'back.wbxml'), '-'], xml.stdout);
        expect(back.stderr).toBe('');
        expect(new Uint8Array(readFileSync(join(dir, 'back.wbxml')))).toEqual(bytes);
      }
    }
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

  it('bounds the XML it writes (--max-output), measured: indent 16 at depth 99 wrote 1.6 GB for 1 MB', () => {
    // Issue 12, item 5. 03 01 6A 00, 99 open <Sync>, 1 MiB of one-byte empty <Sync/>, the ENDs.
    const input = join(dir, 'deep.wbxml');
    const bytes = new Uint8Array(4 + 99 * 2 + (1 << 20));
    bytes.set([0x03, 0x01, 0x6a, 0x00]);
    bytes.fill(0x45, 4, 103);
    bytes.fill(0x05, 103, 103 + (1 << 20));
    bytes.fill(0x01, 103 + (1 << 20));
    writeFileSync(input, bytes);
    const result = runMeasured(['decode', '--indent', '16', input]);
    console.log(`decode --indent 16 of 1 MiB at depth 99: exit ${result.status}, peak RSS ${result.maxRssMb.toFixed(0)} MB, ${result.ms.toFixed(0)} ms`);
    expect(result.status).toBe(1);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr).toMatch(/the XML would be larger than 83889312 bytes; raise maxOutput \(--max-output\) to write it \[too-large\]\n$/);
    // Before: 2.7 GB peak. Now the output limit (80 MB) and its buffer bound it.
    expect(result.maxRssMb).toBeLessThan(400);
    const fixtureFile = fixture('pyw_response-9542.wbxml');
    expect(run(['decode', '--max-output', '1K', fixtureFile]).stderr).toMatch(/larger than 1024 bytes.*\[too-large\]/);
    expect(run(['decode', '--max-output', '1M', fixtureFile]).stdout.toString('utf8')).toBe(expectedXml('pyw_response-9542.xml'));
    expect(run(['decode', '--max-output', 'lots', fixtureFile]).status).toBe(2);
    expect(run(['decode', '--max-depth', '3', fixtureFile]).stderr).toMatch(/nests deeper than 3 levels \[too-deep\]/);
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

  it('writes --hex and --base64 of 10 MB in one buffer, measured (5.5 s and 700 MB before)', () => {
    // Issue 12, item 7: the text was built one byte at a time.
    const data = Uint8Array.from({ length: 10 << 20 }, (_, i) => (i * 2654435761) >>> 24);
    const xml = `<Sync xmlns="AirSync:" xmlns:email2="Email2:"><email2:ConversationId>${toBase64(data)}</email2:ConversationId></Sync>`;
    const wbxml = encodeXml(xml);
    for (const format of ['--hex', '--base64'] as const) {
      const result = runMeasured(['encode', format, '-'], xml);
      console.log(`encode ${format} of 10 MiB: exit ${result.status}, peak RSS ${result.maxRssMb.toFixed(0)} MB, ${result.ms.toFixed(0)} ms`);
      expect(result.status).toBe(0);
      expect(result.stdout.toString('latin1')).toBe(`${format === '--hex' ? toHex(wbxml) : toBase64(wbxml)}\n`);
      // Before: 747 MB peak for --hex, 362 MB for --base64 (printed figures, not a time check).
      expect(result.maxRssMb).toBeLessThan(300);
    }
  });

  it('bounds the XML it reads (--max-depth, --max-nodes)', () => {
    const deep = `${'<Sync xmlns="AirSync:">'.repeat(150)}${'</Sync>'.repeat(150)}`;
    expect(run(['encode', '--hex', '-'], deep).stderr).toMatch(/nests deeper than 100 levels at line 1, column 2301 \[too-deep\]/);
    expect(run(['encode', '--hex', '--max-depth', '200', '-'], deep).status).toBe(0);
    expect(run(['encode', '--hex', '--max-nodes', '10', '-'], expectedXml('pyw_response-9542.xml')).stderr).toMatch(/more than 10 nodes.*\[too-large\]/);
    // saxes threw a RangeError for this; now an XML error with line and column.
    expect(run(['encode', '--hex', '-'], '<!\ud800').stderr).toMatch(/^owa-inspector encode: -: XML error at line 1, column \d+: .*\[xml-syntax\]\n$/);
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

describe('messages that say what is wrong (issue 12, the command line)', () => {
  it('--version and -V print the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = run([flag]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout.toString()).toBe(`owa-inspector ${version}\n`);
    }
  });

  it.each(['provision', 'send', 'options'])('%s --password says why it is not taken and what to use, never repeating it', (command) => {
    // Node's parseArgs said: "Unknown option '--password'. To specify a positional argument starting with a '-', …".
    for (const form of [['--password', 'hunter2-secret'], ['--password=hunter2-secret']]) {
      const result = run([command, 'http://127.0.0.1:9', 'FolderSync', '--user', 'alice', ...form]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^owa-inspector ${command}: --password is not taken: a password on the command line is visible to other users of this machine \\(ps, /proc\\) and stays in the shell's history\\. Pipe it to --password-stdin \\(a terminal gets a prompt without echo\\), or set OWA_INSPECTOR_PASSWORD\\n`,
        ),
      );
      expect(result.stderr + result.stdout.toString()).not.toContain('hunter2');
    }
  });

  it('a directory given as FILE is named as one (EISDIR had no name)', () => {
    for (const command of ['decode', 'encode']) {
      const result = run([command, '--hex', dir]);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`owa-inspector ${command}: ${dir} is a directory, not a file\n`);
    }
    const send = run(['send', 'http://127.0.0.1:9', 'FolderSync', dir, '--user', 'alice', '--password-stdin'], 'pw\n');
    expect(send.status).toBe(2);
    expect(send.stderr).toMatch(new RegExp(`^owa-inspector send: ${dir} is a directory, not a file\\n`));
  });

  it('XML given to decode says so and points to encode, in UTF-8 and in UTF-16', () => {
    const xml = '<?xml version="1.0"?>\n<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>\n';
    const utf16le = Buffer.from(xml, 'utf16le');
    const utf16be = Buffer.from(utf16le).swap16();
    const cases: Array<[string | Uint8Array, string]> = [
      [xml, 'XML'],
      [`\n  ${xml.slice(22)}`, 'XML'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]), 'XML'],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]), 'XML in UTF-16'],
      [utf16be, 'XML in UTF-16'],
    ];
    for (const [input, kind] of cases) {
      const result = run(['decode', '-'], input);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`owa-inspector decode: -: this is ${kind}, not WBXML; did you mean \`owa-inspector encode\`?\n`);
    }
  });

  it('encode reads UTF-16 XML, with or without a byte-order mark or declaration', () => {
    const xml = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>Grüße</SyncKey></FolderSync>';
    const utf16le = Buffer.from(xml, 'utf16le');
    for (const input of [utf16le, Buffer.from(utf16le).swap16(), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16le).swap16()])]) {
      const result = run(['encode', '--hex', '-'], input);
      expect(result.stderr).toBe('');
      expect(result.stdout.toString()).toBe(`${toHex(encodeXml(xml))}\n`);
    }
  });

  it('random bytes: what is wrong and at which byte, no --fragment suggestion that would not help', () => {
    // 0x8f... from a fixed seed: not WBXML at all, and not a fragment either.
    const noise = Uint8Array.from({ length: 64 }, (_, i) => ((0x8f + i * 2654435761) >>> 0) & 0xff);
    noise[0] = 0x8f;
    const result = run(['decode', '-'], noise);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'owa-inspector decode: -: not WBXML: byte 0x0 (0) is 0x8f, where WBXML has its version (0x00-0x0f; ActiveSync sends 0x03, then 01 6a 00) [unsupported-version]\n',
    );
    // After a valid version byte, the first field that is wrong, with its offset.
    const header = run(['decode', '-'], Uint8Array.from([0x03, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    expect(header.stderr).toBe('owa-inspector decode: -: multi-byte integer at byte 0x2 (2) does not fit in 32 bits [bad-mb-uint32]\n');
  });

  it('send reads its XML file in the encoding it declares, like encode (it was read as UTF-8, U+FFFD sent)', () => {
    const file = join(dir, 'latin1.xml');
    writeFileSync(file, Buffer.from('<FolderSync xmlns="FolderHierarchy:">\n<SyncKey>Grüße</SyncKey></FolderSync>', 'latin1'));
    const result = run(['send', 'http://127.0.0.1:9', 'FolderSync', file, '--user', 'alice', '--password-stdin'], 'pw\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`owa-inspector send: ${file}: cannot encode as WBXML: invalid UTF-8 (byte 0xfc) at line 2, column 12 (byte 0x31 (49)) [byte 49]\n`);
  });

  it('XML errors give line and column once, then what is wrong', () => {
    // Was: "XML error at line 2, column 1: 2:0: unclosed tag: Sync".
    const unclosed = run(['encode', '--hex', '-'], '<Sync xmlns="AirSync:">\n');
    expect(unclosed.status).toBe(1);
    expect(unclosed.stderr).toBe('owa-inspector encode: -: XML error at line 2, column 1: unclosed tag: Sync [xml-syntax]\n');
    const duplicate = run(['encode', '--hex', '-'], '<Sync xmlns="AirSync:">\n<Status a="1" a="2"/></Sync>');
    expect(duplicate.stderr).toBe('owa-inspector encode: -: XML error at line 2, column 22: duplicate attribute: a. [xml-syntax]\n');
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

  it.each(['provision', 'send', 'options'])('%s --as accepts only protocol versions that exist', (command) => {
    // Issue 12, the command line: "--as 15.0" went out as MS-ASProtocolVersion unchecked.
    const args = command === 'send' ? ['http://127.0.0.1:9', 'FolderSync'] : ['http://127.0.0.1:9'];
    for (const version of ['15.0', '14', 'latest']) {
      const result = run([command, ...args, '--user', 'alice', '--as', version], 'secret\n');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`owa-inspector ${command}: --as ${JSON.stringify(version)} is no ActiveSync protocol version; use one of 2.5, 12.0, 12.1, 14.0, 14.1, 16.0, 16.1\n`);
    }
  });

  it('is the owa-inspector command of the package', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['owa-inspector']).toBe('dist/cli.mjs');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
