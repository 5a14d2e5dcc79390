import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types; its inputs are npm's JSON.
import { auditUnavailable, judgeAudit } from '../../scripts/audit-policy.mjs';

// The shape of `npm audit --json` (auditReportVersion 2), trimmed to what the policy reads.
const advisory = (name: string, severity: string, url: string) => ({ name, severity, via: [{ source: 1, name, title: `${name} flaw`, url, severity }] });
const full = {
  auditReportVersion: 2,
  vulnerabilities: {
    preact: advisory('preact', 'moderate', 'https://github.com/advisories/GHSA-prod-0001'),
    esbuild: advisory('esbuild', 'high', 'https://github.com/advisories/GHSA-dev-0001'),
    'web-ext': { name: 'web-ext', severity: 'critical', via: ['some-dep'] },
    saxes: advisory('saxes', 'low', 'https://github.com/advisories/GHSA-prod-0002'),
  },
};
const prod = { auditReportVersion: 2, vulnerabilities: { preact: full.vulnerabilities.preact, saxes: full.vulnerabilities.saxes } };

describe('the npm audit policy', () => {
  it('fails on moderate+ in production, on critical dev-only; reports the rest', () => {
    const verdict = judgeAudit(full, prod, [], '2026-12-06');
    expect(verdict.failures).toEqual(['preact (moderate, production): https://github.com/advisories/GHSA-prod-0001', 'web-ext (critical, dev only)']);
    expect(verdict.reports).toEqual(['esbuild (high, dev only): https://github.com/advisories/GHSA-dev-0001', 'saxes (low, production): https://github.com/advisories/GHSA-prod-0002']);
  });

  it('an allow-list entry holds until its date, then it fails again and says the entry ran out', () => {
    const allow = [{ id: 'https://github.com/advisories/GHSA-prod-0001', reason: 'not reachable from our code', until: '2026-12-31' }];
    expect(judgeAudit(full, prod, allow, '2026-12-06').failures).toEqual(['web-ext (critical, dev only)']);
    const later = judgeAudit(full, prod, allow, '2027-01-01');
    expect(later.failures).toHaveLength(2);
    expect(later.expired).toEqual(['allow-list entry https://github.com/advisories/GHSA-prod-0001 ran out on 2026-12-31: look again']);
  });

  it('tells "not asked" from "nothing found"', () => {
    expect(
      auditUnavailable('npm warn audit 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk\nnpm error audit endpoint returned an error', null),
    ).toMatch(/405/);
    expect(auditUnavailable('', { auditReportVersion: 2, vulnerabilities: {} })).toBeNull();
    expect(auditUnavailable('', null)).toBe('npm audit gave no report');
  });
});
