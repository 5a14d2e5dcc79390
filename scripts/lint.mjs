#!/usr/bin/env node
// npm run lint: every check a machine makes of the conventions, each run even when an earlier
// one fails, so that one run shows everything to fix. Exits 1 if any failed.
//   lint:eslint   eslint.config.js (layering, type-only imports, no any, no floating promises…)
//   lint:cycles   no import cycles, type-only imports included (dpdm; ESLint's no-cycle skips those)
//   lint:knip     no dead files, exports or dependencies (knip.json)
//   format:check  prettier (.prettierrc.json)
import { spawnSync } from 'node:child_process';

const checks = ['lint:eslint', 'lint:cycles', 'lint:knip', 'format:check'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const failed = [];
for (const check of checks) {
  const result = spawnSync(npm, ['run', '--silent', check], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) failed.push(check);
}
if (failed.length) {
  console.error(`lint: failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`lint: ${checks.join(', ')} passed`);
