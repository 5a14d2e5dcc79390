// The policy `scripts/audit.mjs` applies to `npm audit --json` (report format 2): what fails CI
// and what is only reported. Pure, so it is unit-tested on recorded reports.
//
// - A finding in what users install (the production dependencies: npm audit --omit=dev) fails
//   at severity moderate or above.
// - A dev-only finding (build and test tools, which never ship in the extension) is reported;
//   it fails only when critical.
// - An entry of the allow list (audit-allow.json: advisory URL or package name, a reason, and a
//   date it runs out) turns a failure into a report until that date.

export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'];

const rank = (severity) => Math.max(0, SEVERITIES.indexOf(severity));

/** Advisory URLs (or titles) behind one vulnerability entry; `via` strings name other packages. */
function advisoriesOf(entry) {
  return (entry.via ?? []).filter((v) => typeof v === 'object' && v !== null).map((v) => v.url ?? v.title ?? String(v.source));
}

/**
 * @param {{vulnerabilities?: Record<string, {name?: string, severity: string, via?: unknown[]}>}} full  npm audit --json
 * @param {{vulnerabilities?: Record<string, unknown>}} prod  npm audit --omit=dev --json
 * @param {Array<{id: string, reason: string, until: string}>} allow
 * @param {string} today  YYYY-MM-DD
 */
export function judgeAudit(full, prod, allow, today) {
  const failures = [];
  const reports = [];
  const prodNames = new Set(Object.keys(prod.vulnerabilities ?? {}));
  for (const [name, entry] of Object.entries(full.vulnerabilities ?? {})) {
    const production = prodNames.has(name);
    const advisories = advisoriesOf(entry);
    const line = `${name} (${entry.severity}, ${production ? 'production' : 'dev only'})${advisories.length ? `: ${advisories.join(', ')}` : ''}`;
    const fails = production ? rank(entry.severity) >= rank('moderate') : rank(entry.severity) >= rank('critical');
    if (!fails) {
      reports.push(line);
      continue;
    }
    const allowed = allow.find((a) => (a.id === name || advisories.includes(a.id)) && a.until >= today);
    if (allowed) reports.push(`${line} — allowed until ${allowed.until}: ${allowed.reason}`);
    else failures.push(line);
  }
  const expired = allow.filter((a) => a.until < today).map((a) => `allow-list entry ${a.id} ran out on ${a.until}: look again`);
  return { failures, reports, expired };
}

/** Whether npm's output says the advisory service could not be asked (not: "found nothing"). */
export function auditUnavailable(stderr, report) {
  if (report && typeof report === 'object' && 'vulnerabilities' in report) return null;
  const match = /audit endpoint returned an error|(\d{3}) [A-Za-z ]+ - POST \S+advisories|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.exec(stderr);
  return match ? match[0] : 'npm audit gave no report';
}
