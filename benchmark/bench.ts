// npm run bench: decode a 10 MB Sync response to a tree and to XML text, and compare with
// libwbxml's wbxml2xml on the same file when it is installed. Times are medians of several runs
// after a warm-up, with a garbage collection before each measurement.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, decodeToXml, toXml } from '../src/wbxml/index.js';
import { syncResponse } from './sync-response.js';

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Median time in ms of `rounds` runs of `run`, after one warm-up run. */
function time(run: () => unknown, rounds = 7): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    gc();
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);
const rate = (mb: number, ms: number): string => `${fmt(ms).padStart(6)} ms ${fmt(mb / (ms / 1000)).padStart(6)} MB/s`;

const dir = mkdtempSync(join(tmpdir(), 'owa-bench-'));
try {
  const { bytes, emails } = syncResponse(10 * MB);
  const file = join(dir, 'sync-response.wbxml');
  writeFileSync(file, bytes);
  const size = bytes.length / MB;
  const xmlLength = decodeToXml(bytes).length;
  console.log(`input: a Sync response with ${emails} emails, ${bytes.length} bytes (${fmt(size, 2)} MB); Node ${process.version}`);
  console.log(`MB/s are WBXML input megabytes (2^20 bytes) per second; the XML is ${fmt(xmlLength / MB)} M characters.`);

  const xmlMs = time(() => decodeToXml(bytes));
  console.log(`decode to XML text (decodeToXml):      ${rate(size, xmlMs)}`);
  const treeMs = time(() => decode(bytes));
  console.log(`decode to tree (decode):               ${rate(size, treeMs)}`);
  const tree = decode(bytes);
  const toXmlMs = time(() => toXml(tree));
  console.log(`tree to XML text (toXml):              ${rate(size, toXmlMs)}`);

  if (spawnSync('sh', ['-c', 'command -v wbxml2xml']).status !== 0) {
    console.log('wbxml2xml: not installed (apt-get install -y libwbxml2-utils), no comparison');
  } else {
    const out = join(dir, 'out.xml');
    const wbxml2xml = (input: string): void => {
      const result = spawnSync('wbxml2xml', ['-l', 'ACTIVESYNC', '-o', out, input], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`wbxml2xml failed: ${result.stderr}`);
    };
    const libMs = time(() => wbxml2xml(file), 5);
    const libXml = statSync(out).size;
    const tiny = join(dir, 'tiny.wbxml');
    writeFileSync(tiny, Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x05]));
    const startMs = time(() => wbxml2xml(tiny), 5);
    console.log(`libwbxml: wbxml2xml -l ACTIVESYNC -o FILE (whole process: start, read, decode, write ${fmt(libXml / MB)} MB of XML):`);
    console.log(`                                       ${rate(size, libMs)}  (its start-up alone, on a 5-byte document: ${fmt(startMs)} ms)`);
    console.log(`ratio: decodeToXml has ${fmt(libMs / xmlMs, 2)}x the throughput of wbxml2xml`);
    const cli = join(process.cwd(), 'dist', 'cli.mjs');
    if (statSync(cli, { throwIfNoEntry: false })) {
      const cliMs = time(() => {
        const result = spawnSync(process.execPath, [cli, 'decode', '-o', join(dir, 'cli.xml'), file]);
        if (result.status !== 0) throw new Error(`owa-inspector decode failed: ${result.stderr}`);
      }, 5);
      console.log(`node dist/cli.mjs decode -o FILE (whole process, measured like wbxml2xml):`);
      console.log(`                                       ${rate(size, cliMs)}  ratio ${fmt(libMs / cliMs, 2)}x`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
