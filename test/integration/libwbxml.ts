// Runs libwbxml's command-line tools (Debian libwbxml2-utils) for the interoperability tests.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INSTALL_HINT = 'install with: apt-get install -y libwbxml2-utils';

/** Fails (never skips) when the tools are missing. */
export function requireLibwbxml(): void {
  for (const tool of ['wbxml2xml', 'xml2wbxml']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is missing: ${INSTALL_HINT}`);
  }
}

function run(tool: string, args: string[], input: Uint8Array | string, inputName: string, outputName: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'owa-libwbxml-'));
  try {
    writeFileSync(join(dir, inputName), input);
    const result = spawnSync(tool, [...args, '-o', join(dir, outputName), join(dir, inputName)], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
    return new Uint8Array(readFileSync(join(dir, outputName)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `wbxml2xml -l ACTIVESYNC`: WBXML to libwbxml's XML. */
export function wbxml2xml(bytes: Uint8Array): string {
  return new TextDecoder().decode(run('wbxml2xml', ['-l', 'ACTIVESYNC'], bytes, 'in.wbxml', 'out.xml'));
}

/** `xml2wbxml` (with a string table) or `xml2wbxml -a -n` (the header clients send, no string table). */
export function xml2wbxml(xml: string, stringTable: boolean): Uint8Array {
  return run('xml2wbxml', stringTable ? [] : ['-a', '-n'], xml, 'in.xml', 'out.wbxml');
}
