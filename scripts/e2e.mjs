#!/usr/bin/env node
// The end-to-end part of `npm test`: the 'e2e' project, and beside it, in a second vitest
// process, the 'e2e-slow' project (files that mostly wait for a real server's clock, such as two
// whole-minute session ends). Vitest runs every project whose files run one at a time in one
// queue, so two processes are how their minutes of waiting overlap the other files' work. The
// slow project's report is printed after the other's, not mixed into it. Exits 1 if either failed.
import { spawn } from 'node:child_process';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const children = new Set();

function run(project, { buffered }) {
  const child = spawn(npx, ['vitest', 'run', '--project', project], { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', shell: process.platform === 'win32' });
  children.add(child);
  const chunks = [];
  if (buffered) {
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
  }
  return new Promise((resolve) => {
    child.on('error', (error) => {
      chunks.push(Buffer.from(`could not start vitest for ${project}: ${error.message}\n`));
      resolve({ project, code: 1, output: Buffer.concat(chunks) });
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ project, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks) });
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(1);
  });
}

const slow = run('e2e-slow', { buffered: true });
const main = await run('e2e', { buffered: false });
console.log('\n--- e2e-slow (run beside the above) ---');
const slowResult = await slow;
process.stdout.write(slowResult.output);
const failed = [main, slowResult].filter((r) => r.code !== 0).map((r) => r.project);
if (failed.length) {
  console.error(`e2e: failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('e2e: e2e and e2e-slow passed');
