// Text output of `owa-inspector inspect`: the list (one line per exchange), one exchange in full,
// the summary and a diff.
import type { CaptureExchange, CaptureReadResult, CaptureSummary, ExchangeDiff, ExchangeFacts, TreeChange } from '../captures/index.js';
import { bodyXml } from '../captures/index.js';
import { maskHeader, maskUrl, maskXml } from './inspect-mask.js';

export interface Row {
  /** 1-based across all files, as printed. */
  number: number;
  exchange: CaptureExchange;
  facts: ExchangeFacts;
}

const FORMAT_NAMES = { har: 'HAR', saz: 'Fiddler SAZ', mitmproxy: 'mitmproxy flows', 'mailbox-log': 'Exchange mailbox log', 'hex-log': 'text log with WBXML' } as const;

export function size(bytes: number | undefined): string {
  if (bytes === undefined) return '?';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function time(ms: number | undefined): string {
  return ms === undefined ? '-'.padEnd(24) : new Date(ms).toISOString();
}

export function fileHeading(result: CaptureReadResult, shown: number): string {
  const format = result.format ? FORMAT_NAMES[result.format] : 'not a capture';
  const other = result.otherRequests === 1 ? '1 other request' : `${result.otherRequests} other requests`;
  const listed = shown === result.exchanges.length ? `${shown} ActiveSync exchanges` : `${shown} of ${result.exchanges.length} ActiveSync exchanges`;
  return `== ${result.file}: ${format}, ${listed}, ${other}`;
}

export function listHeading(width: number): string {
  return `${'#'.padStart(width)}  ${'time'.padEnd(24)}  ${'command'.padEnd(16)}  ${'version'.padEnd(7)}  http  ${'status'.padEnd(28)}  request → response`;
}

export function listLine(row: Row, width: number): string {
  const { exchange: e, facts: f } = row;
  const status = f.statusName ?? '-';
  return [
    String(row.number).padStart(width),
    time(e.startedAt),
    f.command.padEnd(16),
    (f.protocolVersion ?? '-').padEnd(7),
    String(e.httpStatus ?? '-').padEnd(4),
    status.padEnd(28),
    `${size(f.requestSize)} → ${size(f.responseSize)}`,
  ].join('  ');
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** A body as XML for --show and --json: the XML, or null with a note saying why there is none. */
export function bodyForOutput(e: CaptureExchange, which: 'request' | 'response', clear: boolean): { xml: string | null; note: string | null } {
  const shown = bodyXml(e[which]);
  switch (shown.kind) {
    case 'empty':
      return { xml: null, note: null };
    case 'xml':
      return { xml: clear ? shown.xml : maskXml(shown.xml), note: null };
    case 'text':
      return { xml: null, note: `not WBXML; as text:\n${shown.text}` };
    case 'error':
      return { xml: null, note: shown.message };
  }
}

export function showExchange(row: Row, clear: boolean): string {
  const { exchange: e, facts: f } = row;
  const lines = [`── ${row.number}. ${e.file} #${e.index}: ${f.command} ${'─'.repeat(Math.max(3, 50 - f.command.length))}`];
  lines.push(`  started ${time(e.startedAt).trim()}${e.durationMs !== undefined ? `, ${e.durationMs} ms` : ''}`);
  if (f.statusMeaning) lines.push(`  Status ${f.statusMeaning}`);
  lines.push(`> ${e.method} ${clear ? e.url : maskUrl(e.url)}`);
  for (const h of e.requestHeaders) {
    const shown = clear ? h : maskHeader(h);
    lines.push(`> ${shown.name}: ${shown.value}`);
  }
  const request = bodyForOutput(e, 'request', clear);
  if (request.xml !== null) lines.push(indent(request.xml));
  if (request.note !== null) lines.push(indent(`[${request.note}]`));
  if (e.httpStatus !== undefined) lines.push(`< HTTP ${e.httpStatus} ${e.httpStatusText}`.trimEnd());
  else lines.push('< (no response in the capture)');
  for (const h of e.responseHeaders) {
    const shown = clear ? h : maskHeader(h);
    lines.push(`< ${shown.name}: ${shown.value}`);
  }
  const response = bodyForOutput(e, 'response', clear);
  if (response.xml !== null) lines.push(indent(response.xml));
  if (response.note !== null) lines.push(indent(`[${response.note}]`));
  return lines.join('\n');
}

const at = (r: { file: string; index: number; at: number | undefined }): string => `${r.file} #${r.index}${r.at !== undefined ? ` (${new Date(r.at).toISOString()})` : ''}`;

export function showSummary(s: CaptureSummary): string {
  const lines = [`${s.exchanges} ActiveSync exchanges${s.firstAt !== undefined ? `, ${new Date(s.firstAt).toISOString()} to ${new Date(s.lastAt!).toISOString()}` : ''}`];
  const section = (title: string, items: string[]): void => {
    lines.push('', `${title}:`);
    lines.push(...(items.length > 0 ? items.map((i) => `  ${i}`) : ['  none']));
  };
  section(
    'devices',
    s.devices.map((d) => `${d.deviceId}${d.deviceType ? ` (${d.deviceType})` : ''}: ${d.exchanges} exchanges${d.users.length > 0 ? `, user ${d.users.join(', ')}` : ''}`),
  );
  section(
    'users',
    s.users.map((u) => `${u.user}: ${u.exchanges}`),
  );
  section(
    'protocol versions',
    s.protocolVersions.map((v) => `${v.version}: ${v.exchanges}`),
  );
  section(
    'commands',
    s.commands.map((c) => `${c.command}: ${c.exchanges}${c.failures > 0 ? ` (${c.failures} failed)` : ''}`),
  );
  section(
    'HTTP failures',
    s.httpFailures.map((h) => `${h.httpStatus} ${h.name}: ${h.exchanges}`),
  );
  section(
    'failures by Status',
    s.statusFailures.map((f) => `${f.command} ${f.name}: ${f.exchanges}`),
  );
  section(
    'policy keys sent',
    s.policyKeys.map((k) => `${k.deviceId}: ${k.key}, ${k.exchanges} exchanges, first ${at(k.first)}`),
  );
  section(
    'policy key changes',
    s.policyKeyChanges.map((c) => `${c.deviceId}: ${c.from} → ${c.to} at ${at(c.at)}`),
  );
  section(
    're-provisioning loops',
    s.reprovisionLoops.map((l) => `${l.deviceId}: asked to provision again ${l.cycles} times after provisioning, from ${at(l.first)} to ${at(l.last)}`),
  );
  return lines.join('\n');
}

function changeLine(change: TreeChange, clear: boolean): string {
  // A device password (Settings:DevicePassword/Password) is a credential in a diff too.
  const c = clear || !/(^|\/)Password$/.test(change.path) ? change : { ...change, before: change.before && '(hidden)', after: change.after && '(hidden)' };
  if (c.kind === 'added') return `+ ${c.path}: ${c.after ?? ''}`;
  if (c.kind === 'removed') return `- ${c.path}: ${c.before ?? ''}`;
  return `~ ${c.path}: ${c.before ?? ''} → ${c.after ?? ''}`;
}

export function showDiff(a: Row, b: Row, diff: ExchangeDiff, clear: boolean): string {
  const lines = [`--- ${a.number}. ${a.exchange.file} #${a.exchange.index} ${a.facts.command}`, `+++ ${b.number}. ${b.exchange.file} #${b.exchange.index} ${b.facts.command}`];
  for (const [title, changes, note] of [
    ['request', diff.request, diff.requestNote],
    ['response', diff.response, diff.responseNote],
  ] as const) {
    lines.push(`${title}:${changes.length === 0 && note === undefined ? ' the same' : ''}`);
    if (note !== undefined) lines.push(`  (${note})`);
    for (const c of changes) lines.push(`  ${changeLine(c, clear)}`);
  }
  return lines.join('\n');
}
