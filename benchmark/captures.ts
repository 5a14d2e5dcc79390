// npm run bench, second part: a 200 MB HAR with 20,000 ActiveSync exchanges (and with --1g a
// 1 GB one), read by readCapture and listed by `owa-inspector inspect`, each in a fresh Node
// process so that its peak memory (maxRSS) is its own; beside them, in the same run, peers on
// the same file: JSON.parse of the whole file in Node, jq and Python's json.load when present.
// Figures, never assertions: the goals (list under 5 s, memory under 3x the file) are printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exchangeFacts, readCapture } from '../src/captures/index.js';
import { writeHar } from './big-har.js';

const MB = 1024 * 1024;
const self = fileURLToPath(import.meta.url);
const REPORT =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write(`\\nmax-rss-kb=${u.maxRSS} cpu-ms=${Math.round((u.userCPUTime+u.systemCPUTime)/1000)}\\n`)})';

interface Run {
  ms: number;
  /** CPU time (user + system): on a shared machine, the figure that load does not inflate. */
  cpuMs: number;
  rssMb: number;
  ok: boolean;
  note: string;
}

function timed(command: string, args: string[], node: boolean): Run {
  const start = performance.now();
  const result = spawnSync(command, node ? ['--import', REPORT, ...args] : args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  const kb = Number(/max-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  const cpuMs = Number(/cpu-ms=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  const note =
    result.status === 0
      ? (result.stdout.trim().split('\n').at(-1) ?? '')
      : (
          result.stderr
            .replace(/\s*max-rss-kb=\d+\s*$/, '')
            .trim()
            .split('\n')
            .find((l) => /Error|error/.test(l)) ?? `exit ${result.status}`
        ).slice(0, 80);
  return { ms, cpuMs, rssMb: kb / 1024, ok: result.status === 0, note };
}

/** `time -f %M` gives the peak memory of a program that is not Node. */
function timedExternal(args: string[]): Run {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'max-rss-kb=%M cpu-s=%U+%S', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  const kb = Number(/max-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  const cpu = /cpu-s=([\d.]+)\+([\d.]+)/.exec(result.stderr);
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN;
  return { ms, cpuMs, rssMb: kb / 1024, ok: result.status === 0, note: result.status === 0 ? (result.stdout.trim().split('\n').at(-1) ?? '') : `exit ${result.status}` };
}

const have = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

function line(name: string, run: Run, fileMb: number): string {
  const ratio = Number.isFinite(run.rssMb) ? `${(run.rssMb / fileMb).toFixed(2)}x file` : '';
  const cpu = Number.isFinite(run.cpuMs) ? `${(run.cpuMs / 1000).toFixed(2).padStart(6)} s` : '       ?';
  return `${name.padEnd(44)} ${run.ok ? `${(run.ms / 1000).toFixed(2).padStart(6)} s` : '  fails '} ${cpu} ${Number.isFinite(run.rssMb) ? `${run.rssMb.toFixed(0).padStart(6)} MB` : '       ?'} ${ratio.padEnd(10)}  ${run.note}`;
}

/** The child: readCapture of one file, then the list's facts for every exchange, as the panel and the CLI need them. */
async function child(file: string): Promise<void> {
  const start = performance.now();
  const result = await readCapture(file, await openAsBlob(file));
  const listed = performance.now() - start;
  let failures = 0;
  for (const e of result.exchanges) if (exchangeFacts(e).status?.code !== 1) failures++;
  const facts = performance.now() - start;
  console.log(`${result.exchanges.length} exchanges, ${failures} not Status 1; read ${(listed / 1000).toFixed(2)} s, with Status of each ${(facts / 1000).toFixed(2)} s`);
}

async function main(): Promise<void> {
  const cli = join(process.cwd(), 'dist', 'cli.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'owa-bench-captures-'));
  const sizes: Array<[label: string, count: number, bytes: number]> = [['200 MB', 20_000, 200 * MB]];
  if (process.argv.includes('--1g')) sizes.push(['1 GB', 100_000, 1024 * MB]);
  try {
    for (const [label, count, target] of sizes) {
      const file = join(dir, 'capture.har');
      const bytes = await writeHar(file, count, target);
      const fileMb = bytes / MB;
      console.log(`\ncaptures: a ${label} HAR (${bytes} bytes, ${count} ActiveSync exchanges, base64 Sync responses); Node ${process.version}`);
      console.log(
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on ${cpus().length} CPUs (wall time grows with load; CPU time much less)`,
      );
      console.log(`${'task'.padEnd(44)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)} ${'peak RSS'.padStart(9)} ${''.padEnd(10)}  result`);
      console.log(line('readCapture + Status of each (Node process)', timed(process.execPath, [self, '--capture-child', file], true), fileMb));
      if (statSync(cli, { throwIfNoEntry: false })) {
        const list = timed(process.execPath, [cli, 'inspect', file], true);
        list.note = list.ok ? `${list.note.length > 0 ? 'full list printed' : ''}` : list.note;
        console.log(line('owa-inspector inspect FILE (the full list)', list, fileMb));
      }
      const parse = `const t=Date.now();const d=JSON.parse(require("fs").readFileSync(${JSON.stringify(file)},"utf8"));console.log(d.log.entries.length+" entries in "+(Date.now()-t)+" ms")`;
      console.log(line('peer: JSON.parse of the whole file (Node)', timed(process.execPath, ['-e', parse], true), fileMb));
      if (have('jq')) console.log(line("peer: jq '.log.entries | length'", timedExternal(['jq', '.log.entries | length', file]), fileMb));
      if (have('python3'))
        console.log(line('peer: python3 json.load', timedExternal(['python3', '-c', `import json;print(len(json.load(open(${JSON.stringify(file)}))["log"]["entries"]))`]), fileMb));
      rmSync(file);
    }
    console.log('\ngoals (issue 13): the full list under 5 s (CLI) / 3 s (panel); memory under 3x the file size.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--capture-child') await child(process.argv[3]!);
// `--write FILE [COUNT]`: only writes the 200 MB HAR (to profile or to open in the panel).
else if (process.argv[2] === '--write') await writeHar(process.argv[3]!, Number(process.argv[4] ?? 20_000), (200 * MB * Number(process.argv[4] ?? 20_000)) / 20_000);
else await main();
