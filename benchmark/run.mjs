#!/usr/bin/env node
// npm run bench: bundles the TypeScript benchmarks with esbuild, then runs them in Node processes
// that may trigger garbage collection between measurements (--expose-gc): the codec (bench.ts),
// then the capture readers (captures.ts; `npm run bench -- --captures` runs only these, `--1g`
// adds a 1 GB HAR).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// `--panel`: only the panel page in Chromium opening the 200 MB HAR (panel-capture.ts).
const benches = args.includes('--panel') ? ['panel-capture'] : args.includes('--captures') ? ['captures'] : ['bench', 'captures'];
let status = 0;
for (const name of benches) {
  const outfile = join(root, '.tmp', `${name}.mjs`);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, 'benchmark', `${name}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // puppeteer-core is loaded from node_modules, not bundled.
    packages: 'external',
  });
  const result = spawnSync(process.execPath, ['--expose-gc', outfile, ...args.filter((a) => a !== '--captures' && a !== '--panel')], { cwd: root, stdio: 'inherit' });
  status ||= result.status ?? 1;
}
process.exit(status);
