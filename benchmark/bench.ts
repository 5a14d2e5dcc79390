// npm run bench: decode a 10 MB Sync response to a tree and to XML, encode it back, and compare
// with libwbxml's wbxml2xml on the same file when it is installed, and with the machine's own
// ceiling: a plain byte-copy loop over the same input, and TextDecoder on the input's strings
// (what any decoder that hands out JS strings must pay). Times are medians of several runs after
// a warm-up, with a garbage collection before each. Every task runs in alternation, round after
// round, so that other load on the machine weighs on all alike and ratios compare like with like.

import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, decodeToXml, decodeToXmlBytes, encode, Parser, toXml, type ParseHandler } from '../src/wbxml/index.js';
import { syncResponse } from './sync-response.js';

const MB = 1024 * 1024;
const ROUNDS = 9;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * A program to time as a whole process (wbxml2xml, the command line). It is started by a
 * launcher process forked once at the start, never by this one: a process that starts a child
 * has its memory marked copy-on-write by the fork, and its next writes to memory it already had
 * fault page by page (`decodeToXml`, whose UTF-16 array is reused, took 282 instead of 185 ms
 * with wbxml2xml started from this process between rounds), which no user of the codec pays.
 */
class Program {
  constructor(
    readonly command: string,
    readonly args: string[],
  ) {}
}

type Task = (() => unknown) | Program;

/** The launcher: runs each program it is sent with spawnSync and answers with its time. */
const LAUNCHER = `import { spawnSync } from 'node:child_process';
process.on('message', ({ command, args }) => {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8' });
  process.send({ ms: performance.now() - start, status: result.status, stderr: result.stderr });
});
`;

function startLauncher(dir: string): { run(program: Program): Promise<number>; close(): void } {
  const script = join(dir, 'launcher.mjs');
  writeFileSync(script, LAUNCHER);
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    run: (program) =>
      new Promise((resolve, reject) => {
        child.once('message', (answer: { ms: number; status: number | null; stderr: string }) => {
          if (answer.status === 0) resolve(answer.ms);
          else reject(new Error(`${program.command} failed (exit ${answer.status}): ${answer.stderr}`));
        });
        child.send({ command: program.command, args: program.args });
      }),
    close: () => child.kill(),
  };
}

let launcher: ReturnType<typeof startLauncher> | undefined;

async function measure(task: Task): Promise<number> {
  if (task instanceof Program) return launcher!.run(task);
  gc();
  const start = performance.now();
  task();
  return performance.now() - start;
}

const median = (times: number[]): number => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
const fmt = (n: number, digits = 1): string => n.toFixed(digits);
const rate = (mb: number, ms: number): string => `${fmt(ms).padStart(6)} ms ${fmt(mb / (ms / 1000)).padStart(6)} MB/s`;

/** Runs each task once to warm up, then ROUNDS rounds of all tasks in turn; medians by task. */
async function rounds(tasks: Record<string, Task>): Promise<Record<string, number>> {
  for (const task of Object.values(tasks)) await measure(task);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, task] of Object.entries(tasks)) times[name]!.push(await measure(task));
  }
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
}

/** The ceiling of any byte-by-byte path: a plain loop copying every input byte (and nothing else). */
function copyLoop(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]!;
  return out;
}

/** Where the input's text lies (STR_I and STR_T byte ranges), found once with the codec's parser. */
function stringRanges(bytes: Uint8Array): Int32Array {
  const ranges: number[] = [];
  const handler: ParseHandler = {
    openElement: () => undefined,
    closeElement: () => undefined,
    text: (_input, start, end) => void ranges.push(start, end),
    opaque: () => undefined,
    other: () => undefined,
  };
  new Parser().parse(bytes, handler);
  return Int32Array.from(ranges);
}

/** TextDecoder on each string of the input: what turning the text into JS strings costs at least. */
function decodeStrings(bytes: Uint8Array, ranges: Int32Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let length = 0;
  for (let i = 0; i < ranges.length; i += 2) length += decoder.decode(bytes.subarray(ranges[i], ranges[i + 1])).length;
  return length;
}

const dir = mkdtempSync(join(tmpdir(), 'owa-bench-'));
try {
  const { bytes, emails } = syncResponse(10 * MB);
  const file = join(dir, 'sync-response.wbxml');
  writeFileSync(file, bytes);
  const size = bytes.length / MB;
  const xmlLength = decodeToXml(bytes).length;
  console.log(`input: a Sync response with ${emails} emails, ${bytes.length} bytes (${fmt(size, 2)} MB); Node ${process.version}`);
  console.log(`MB/s are WBXML input megabytes (2^20 bytes) per second; the XML is ${fmt(xmlLength / MB)} M characters.`);

  const tree = decode(bytes);
  const ranges = stringRanges(bytes);
  launcher = startLauncher(dir);
  const tasks: Record<string, Task> = {
    copy: () => copyLoop(bytes),
    strings: () => decodeStrings(bytes, ranges),
    decode: () => decode(bytes),
    toXml: () => toXml(tree),
    encode: () => encode(tree),
    // indexOf reads the whole string: a result built as a rope (string concatenation) is
    // flattened here, inside the time, not later by its first reader (94-101 ms for a rope of
    // 35,000 pieces; 1 ms on a flat string).
    decodeToXml: () => decodeToXml(bytes).indexOf('\u0001'),
    decodeToXmlBytes: () => decodeToXmlBytes(bytes),
  };
  const haveLibwbxml = spawnSync('sh', ['-c', 'command -v wbxml2xml']).status === 0;
  const out = join(dir, 'out.xml');
  const tiny = join(dir, 'tiny.wbxml');
  const cli = join(process.cwd(), 'dist', 'cli.mjs');
  const haveCli = statSync(cli, { throwIfNoEntry: false }) !== undefined;
  if (haveLibwbxml) {
    writeFileSync(tiny, Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x05]));
    const wbxml2xml = (input: string): Program => new Program('wbxml2xml', ['-l', 'ACTIVESYNC', '-o', out, input]);
    tasks.wbxml2xml = wbxml2xml(file);
    tasks.startup = wbxml2xml(tiny);
  }
  if (haveCli) tasks.cli = new Program(process.execPath, [cli, 'decode', '-o', join(dir, 'cli.xml'), file]);
  const t = await rounds(tasks);
  console.log(`ceiling: a byte-copy loop over the input: ${rate(size, t.copy!)}`);
  console.log(`ceiling: TextDecoder on its ${ranges.length / 2} strings:  ${rate(size, t.strings!)}`);
  console.log(`decode to tree (decode):               ${rate(size, t.decode!)}`);
  console.log(`tree to XML text (toXml):              ${rate(size, t.toXml!)}`);
  console.log(`encode the tree (encode):              ${rate(size, t.encode!)}  (${fmt(t.encode! / t.decode!, 2)}x the decode time)`);
  console.log(`decode to XML text (decodeToXml):      ${rate(size, t.decodeToXml!)}  (a JS string)`);
  console.log(`decode to XML bytes (decodeToXmlBytes):${rate(size, t.decodeToXmlBytes!)}  (UTF-8 XML, what the CLI writes)`);
  if (!haveLibwbxml) {
    console.log('wbxml2xml: not installed (apt-get install -y libwbxml2-utils), no comparison');
  } else {
    await measure(tasks.wbxml2xml!); // leave its output of the big file in place, for its size
    console.log(`libwbxml: wbxml2xml -l ACTIVESYNC -o FILE (whole process: start, read, decode, write ${fmt(statSync(out).size / MB)} MB of XML):`);
    console.log(`                                       ${rate(size, t.wbxml2xml!)}  (start-up alone, on a 5-byte document: ${fmt(t.startup!)} ms)`);
    console.log(
      `ratio: decode has ${fmt(t.wbxml2xml! / t.decode!, 2)}x, decodeToXml ${fmt(t.wbxml2xml! / t.decodeToXml!, 2)}x, decodeToXmlBytes ${fmt(t.wbxml2xml! / t.decodeToXmlBytes!, 2)}x the throughput of wbxml2xml`,
    );
  }
  // How close each path comes to what the machine can do at all: the copy loop for bytes, the
  // copy loop plus TextDecoder on the strings for the paths that hand out JS strings.
  const stringCeiling = t.copy! + t.strings!;
  console.log(
    `of the ceiling: decodeToXmlBytes ${fmt((100 * t.copy!) / t.decodeToXmlBytes!, 0)}% of the copy loop's throughput; decode ${fmt((100 * stringCeiling) / t.decode!, 0)}%, decodeToXml ${fmt((100 * stringCeiling) / t.decodeToXml!, 0)}% of copy loop + TextDecoder`,
  );
  if (haveCli) {
    console.log('node dist/cli.mjs decode -o FILE (whole process like wbxml2xml, Node start-up and cold JIT included):');
    console.log(`                                       ${rate(size, t.cli!)}${haveLibwbxml ? `  ratio ${fmt(t.wbxml2xml! / t.cli!, 2)}x` : ''}`);
  }
} finally {
  launcher?.close();
  rmSync(dir, { recursive: true, force: true });
}
