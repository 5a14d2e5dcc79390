#!/usr/bin/env node
// npm test: the lint, the typecheck, the build, the unit and integration projects, and the two
// end-to-end projects, arranged so that the whole takes minutes less on a 2-core machine:
//   - vitest runs one file at a time there (maxWorkers is the cores less one), so the lint and
//     the typecheck run on the other core beside the unit and integration projects;
//   - the 'e2e-slow' project (files that mostly wait for a real server's clock, such as two
//     whole-minute session ends) runs in a vitest process of its own from the start. One vitest
//     process puts every project whose files run one at a time into one queue, hence the second
//     process.
//   - the 'e2e' project runs once the unit and integration projects are done, so that the
//     browsers of its files do not compete with them.
// Every part runs even when one before failed, so that one run shows everything to fix. The
// unit, integration and e2e reports are shown as they come; the others' (kept meanwhile) after
// them. Exits 1 if any part failed.
//   node scripts/test.mjs          everything (npm test)
//   node scripts/test.mjs --e2e    the two end-to-end projects only, on the current build (npm run test:e2e)
import { spawn } from 'node:child_process';

const windows = process.platform === 'win32';
const children = new Set();

/** Runs a command; its output goes to the terminal, or is kept and returned when `keep`. */
function run(name, command, args, { keep = false } = {}) {
  const child = spawn(windows ? `${command}.cmd` : command, args, { stdio: keep ? ['ignore', 'pipe', 'pipe'] : 'inherit', shell: windows });
  children.add(child);
  const chunks = [];
  if (keep) {
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
  }
  const started = Date.now();
  return new Promise((resolve) => {
    const done = (code, note = '') => {
      children.delete(child);
      if (note) chunks.push(Buffer.from(note));
      resolve({ name, ok: code === 0, seconds: (Date.now() - started) / 1000, output: Buffer.concat(chunks) });
    };
    child.on('error', (error) => done(1, `could not start ${command}: ${error.message}\n`));
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0), signal ? `${name} stopped by ${signal}\n` : ''));
  });
}

/** Runs the steps one after the other, every one even when one before failed. */
async function inTurn(steps) {
  const results = [];
  for (const step of steps) results.push(await step());
  return results;
}

function show(result) {
  console.log(`\n--- ${result.name} (run beside the others, ${result.seconds.toFixed(0)} s) ---`);
  process.stdout.write(result.output);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(1);
  });
}

const vitest = (...projects) => ['vitest', 'run', ...projects.flatMap((p) => ['--project', p])];
const results = [];
if (process.argv.includes('--e2e')) {
  const slow = run('e2e-slow', 'npx', vitest('e2e-slow'), { keep: true });
  results.push(await run('e2e', 'npx', vitest('e2e')));
  const slowDone = await slow;
  show(slowDone);
  results.push(slowDone);
} else {
  const build = await run('build', 'node', ['build.mjs']);
  results.push(build);
  const checks = inTurn([() => run('lint', 'npm', ['run', '--silent', 'lint'], { keep: true }), () => run('typecheck', 'npx', ['tsc', '--noEmit'], { keep: true })]);
  // Without a build, the projects that load it would only fail for that reason.
  const slow = build.ok ? run('e2e-slow', 'npx', vitest('e2e-slow'), { keep: true }) : null;
  if (build.ok) results.push(await run('unit and integration', 'npx', vitest('unit', 'integration')));
  else results.push(await run('unit', 'npx', vitest('unit')));
  for (const check of await checks) {
    show(check);
    results.push(check);
  }
  if (build.ok) results.push(await run('e2e', 'npx', vitest('e2e')));
  if (slow) {
    const slowDone = await slow;
    show(slowDone);
    results.push(slowDone);
  }
}
const failed = results.filter((r) => !r.ok).map((r) => r.name);
console.log(`\n${results.map((r) => `${r.name} ${r.ok ? 'passed' : 'FAILED'} (${r.seconds.toFixed(0)} s)`).join(', ')}`);
if (failed.length) {
  console.error(`npm test: failed: ${failed.join(', ')}`);
  process.exit(1);
}
