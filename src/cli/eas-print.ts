// Text output of the ActiveSync commands: the trace (request line and headers, with the password
// redacted by the core; status line, headers and decoded bodies), the policy in plain words,
// errors, and the remote-wipe banner.
import type { ActiveSyncError } from '../activesync/errors';
import type { ParsedPolicy } from '../activesync/policy-settings';
import type { TraceBody, TraceStep } from '../activesync/trace';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function body(b: TraceBody | undefined): string[] {
  if (!b || b.byteLength === 0) return [];
  if (b.xml) return [indent(b.xml.trimEnd(), '    ')];
  const lines: string[] = [];
  if (b.decodeError) {
    lines.push(`    [${b.byteLength} bytes that do not decode as WBXML${b.decodeError.offset !== undefined ? ` (byte ${b.decodeError.offset})` : ''}: ${b.decodeError.message}]`);
  }
  if (b.text !== undefined) lines.push(indent(b.text, '    '));
  else if (!b.decodeError) lines.push(`    [${b.byteLength} bytes of ${b.contentType ?? 'unknown type'}]`);
  return lines;
}

export function formatStep(step: TraceStep, index: number): string {
  const lines = [`── ${index}. ${step.step} ${'─'.repeat(Math.max(3, 60 - step.step.length))}`];
  lines.push(`> ${step.request.method} ${step.request.url}`);
  for (const [name, value] of step.request.headers) lines.push(`> ${name}: ${value}`);
  lines.push(...body(step.request.body));
  if (step.response) {
    lines.push(`< HTTP ${step.response.status} ${step.response.statusText} (${step.durationMs} ms)`);
    for (const [name, value] of step.response.headers) lines.push(`< ${name}: ${value}`);
    lines.push(...body(step.response.body));
  }
  if (step.error) lines.push(`  ✗ ${step.error.message}`);
  for (const note of step.notes) lines.push(`  • ${note}`);
  return lines.join('\n');
}

export function formatTrace(steps: readonly TraceStep[]): string {
  return ['Trace', ...steps.map((step, i) => formatStep(step, i + 1))].join('\n');
}

export function formatPolicy(policy: ParsedPolicy): string {
  const lines = [`Policy (${policy.policyType}, ${policy.entries.length} setting${policy.entries.length === 1 ? '' : 's'})`];
  const width = Math.min(40, Math.max(...policy.entries.map((e) => e.name.length), 4));
  const valueWidth = Math.min(12, Math.max(...policy.entries.map((e) => e.raw.length), 1));
  for (const entry of policy.entries) {
    const raw = entry.raw === '' ? '(empty)' : entry.raw;
    lines.push(`  ${entry.name.padEnd(width)}  ${raw.padEnd(valueWidth)}  ${entry.explanation}`);
    if (entry.problem) lines.push(`  ${''.padEnd(width)}  ${''.padEnd(valueWidth)}  ! ${entry.problem}`);
  }
  for (const warning of policy.warnings) lines.push(`  ! ${warning}`);
  return lines.join('\n');
}

export function wipeBanner(deviceId: string, kind: 'device' | 'account' | 'status'): string {
  const what = kind === 'device' ? 'a REMOTE WIPE of the whole device' : kind === 'account' ? "an ACCOUNT-ONLY REMOTE WIPE (this account's data)" : 'a REMOTE WIPE (Status 140)';
  const lines = [`THE SERVER REQUESTS ${what.toUpperCase()}`, `for device ${deviceId}.`, 'owa-inspector stopped and did NOT acknowledge it;', 'no policy key was stored.'];
  const width = Math.max(...lines.map((l) => l.length)) + 6;
  const bar = '!'.repeat(width);
  return [bar, ...lines.map((l) => `!! ${l.padEnd(width - 6)} !!`), bar].join('\n');
}

export function formatError(error: ActiveSyncError): string {
  const where = [
    error.httpStatus !== undefined ? `HTTP ${error.httpStatus}` : undefined,
    error.status !== undefined ? `Status ${error.status}` : undefined,
    error.offset !== undefined ? `byte ${error.offset}` : undefined,
  ].filter(Boolean);
  return `${error.message}${where.length ? ` [${where.join(', ')}]` : ''}`;
}
