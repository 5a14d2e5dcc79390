#!/usr/bin/env node
// `npm run audit` (and CI): npm audit with the project's policy (scripts/audit-policy.mjs).
// Exit 1 when the policy fails. When the registry's advisory service cannot be asked (some
// mirrors and closed networks answer 405), it says so plainly and exits 0: nothing was
// checked, which is not the same as nothing found, and the output says which it was.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditUnavailable, judgeAudit } from './audit-policy.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function audit(extra) {
  const run = spawnSync('npm', ['audit', '--json', '--audit=true', ...extra], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let report = null;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    // Not JSON: the service was not reached; auditUnavailable reads stderr.
  }
  return { report, stderr: run.stderr ?? '' };
}

const full = audit([]);
const unavailable = auditUnavailable(full.stderr, full.report);
if (unavailable) {
  console.log(`audit: NOT CHECKED — the registry's advisory service could not be asked (${unavailable}).`);
  process.exit(0);
}
const prod = audit(['--omit=dev']);
if (auditUnavailable(prod.stderr, prod.report)) {
  console.log('audit: NOT CHECKED — the production-only audit could not be asked.');
  process.exit(0);
}
const allowFile = join(root, 'audit-allow.json');
const allow = existsSync(allowFile) ? JSON.parse(readFileSync(allowFile, 'utf8')) : [];
const { failures, reports, expired } = judgeAudit(full.report, prod.report, allow, new Date().toISOString().slice(0, 10));
for (const line of reports) console.log(`audit: reported: ${line}`);
for (const line of expired) console.log(`audit: ${line}`);
for (const line of failures) console.log(`audit: FAILS: ${line}`);
console.log(`audit: ${failures.length} failing, ${reports.length} reported (policy: scripts/audit-policy.mjs)`);
process.exit(failures.length ? 1 : 0);
