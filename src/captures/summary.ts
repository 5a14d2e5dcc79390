// A capture at a glance: who (devices, users), what (protocol versions, commands), what failed
// (HTTP statuses and protocol Status with names), the policy keys devices sent and when they
// changed, and re-provisioning loops: a device asked to provision again and again (HTTP 449 or
// Status 142-144 after a Provision that had just succeeded).
import { REPROVISION_STATUSES, describeHttpStatus, isCommandSuccess } from '../activesync/status.js';
import { exchangeFacts, type ExchangeFacts } from './facts.js';
import type { CaptureExchange } from './types.js';

export interface ExchangeRef {
  file: string;
  index: number;
  at: number | undefined;
}

export interface CaptureSummary {
  exchanges: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
  devices: Array<{ deviceId: string; deviceType: string | undefined; users: string[]; exchanges: number }>;
  users: Array<{ user: string; exchanges: number }>;
  protocolVersions: Array<{ version: string; exchanges: number }>;
  commands: Array<{ command: string; exchanges: number; failures: number }>;
  /** Answers other than 2xx, by status. */
  httpFailures: Array<{ httpStatus: number; name: string; exchanges: number }>;
  /** Protocol Status other than success, by command and code, with the code's name. */
  statusFailures: Array<{ command: string; status: number; name: string; exchanges: number }>;
  /** Each policy key a device sent (X-MS-PolicyKey or the base64 query), first and last seen. */
  policyKeys: Array<{ deviceId: string; key: string; first: ExchangeRef; last: ExchangeRef; exchanges: number }>;
  /** When a device started sending another policy key. */
  policyKeyChanges: Array<{ deviceId: string; from: string; to: string; at: ExchangeRef }>;
  /** Devices asked to provision again after provisioning, at least twice. */
  reprovisionLoops: Array<{ deviceId: string; cycles: number; first: ExchangeRef; last: ExchangeRef }>;
}

const ref = (e: CaptureExchange): ExchangeRef => ({ file: e.file, index: e.index, at: e.startedAt });

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

const byCount = <T extends { exchanges: number }>(a: T, b: T): number => b.exchanges - a.exchanges;

/** Whether the server asked this device to provision: 449, or a Status of 142–144 outside Provision. */
function asksToProvision(e: CaptureExchange, f: ExchangeFacts): boolean {
  if (e.httpStatus === 449) return true;
  return f.command !== 'Provision' && f.status !== undefined && REPROVISION_STATUSES.has(f.status.code);
}

function provisioned(e: CaptureExchange, f: ExchangeFacts): boolean {
  return f.command === 'Provision' && e.httpStatus === 200 && (f.status === undefined || f.status.code === 1);
}

export function summarizeCapture(exchanges: readonly CaptureExchange[]): CaptureSummary {
  // In time order where the captures say; several files interleave by time.
  const ordered = exchanges
    .map((exchange, order) => ({ exchange, order }))
    .sort((a, b) => (a.exchange.startedAt ?? 0) - (b.exchange.startedAt ?? 0) || a.order - b.order)
    .map((x) => x.exchange);
  const devices = new Map<string, { deviceType: string | undefined; users: Set<string>; exchanges: number }>();
  const users = new Map<string, number>();
  const versions = new Map<string, number>();
  const commands = new Map<string, { exchanges: number; failures: number }>();
  const http = new Map<number, number>();
  const statuses = new Map<string, { command: string; status: number; name: string; exchanges: number }>();
  const keys = new Map<string, CaptureSummary['policyKeys'][number]>();
  const lastKey = new Map<string, string>();
  const changes: CaptureSummary['policyKeyChanges'] = [];
  const loops = new Map<string, { cycles: number; provisionedSince: boolean; asked: boolean; first?: ExchangeRef; last?: ExchangeRef }>();
  let firstAt: number | undefined;
  let lastAt: number | undefined;

  for (const e of ordered) {
    const f = exchangeFacts(e);
    if (e.startedAt !== undefined) {
      firstAt = Math.min(firstAt ?? e.startedAt, e.startedAt);
      lastAt = Math.max(lastAt ?? e.startedAt, e.startedAt);
    }
    const device = f.deviceId ?? '(no device id)';
    const d = devices.get(device) ?? { deviceType: f.deviceType, users: new Set<string>(), exchanges: 0 };
    d.exchanges++;
    if (f.user) d.users.add(f.user);
    devices.set(device, d);
    if (f.user) count(users, f.user);
    if (f.protocolVersion) count(versions, f.protocolVersion);
    const c = commands.get(f.command) ?? { exchanges: 0, failures: 0 };
    c.exchanges++;
    const httpFailed = e.httpStatus !== undefined && (e.httpStatus < 200 || e.httpStatus >= 300);
    const statusFailed = f.status !== undefined && !isCommandSuccess(f.command, f.status.code);
    if (httpFailed || statusFailed) c.failures++;
    commands.set(f.command, c);
    if (httpFailed) count(http, e.httpStatus!);
    if (statusFailed) {
      const k = `${f.command}\u0000${f.status!.code}`;
      const s = statuses.get(k) ?? { command: f.command, status: f.status!.code, name: f.statusName ?? String(f.status!.code), exchanges: 0 };
      s.exchanges++;
      statuses.set(k, s);
    }
    if (f.policyKey !== undefined) {
      const k = `${device}\u0000${f.policyKey}`;
      const seen = keys.get(k);
      if (seen) {
        seen.last = ref(e);
        seen.exchanges++;
      } else keys.set(k, { deviceId: device, key: f.policyKey, first: ref(e), last: ref(e), exchanges: 1 });
      const previous = lastKey.get(device);
      if (previous !== undefined && previous !== f.policyKey) changes.push({ deviceId: device, from: previous, to: f.policyKey, at: ref(e) });
      lastKey.set(device, f.policyKey);
    }
    // A cycle: asked to provision, then provisioned. Counted again each time the ask comes back.
    const loop = loops.get(device) ?? { cycles: 0, provisionedSince: false, asked: false };
    if (asksToProvision(e, f)) {
      loop.asked = true;
      loop.first ??= ref(e);
      loop.last = ref(e);
    } else if (provisioned(e, f) && loop.asked) {
      loop.cycles++;
      loop.asked = false;
      loop.last = ref(e);
    }
    loops.set(device, loop);
  }

  return {
    exchanges: exchanges.length,
    firstAt,
    lastAt,
    devices: [...devices].map(([deviceId, d]) => ({ deviceId, deviceType: d.deviceType, users: [...d.users].sort(), exchanges: d.exchanges })).sort(byCount),
    users: [...users].map(([user, n]) => ({ user, exchanges: n })).sort(byCount),
    protocolVersions: [...versions].map(([version, n]) => ({ version, exchanges: n })).sort(byCount),
    commands: [...commands].map(([command, c]) => ({ command, ...c })).sort(byCount),
    httpFailures: [...http]
      .map(([httpStatus, n]) => ({
        httpStatus,
        name: describeHttpStatus(httpStatus)
          .replace(/^HTTP \d+ ?/, '')
          .split(':', 1)[0]!,
        exchanges: n,
      }))
      .sort((a, b) => a.httpStatus - b.httpStatus),
    statusFailures: [...statuses.values()].sort(byCount),
    policyKeys: [...keys.values()],
    policyKeyChanges: changes,
    reprovisionLoops: [...loops].filter(([, l]) => l.cycles >= 2).map(([deviceId, l]) => ({ deviceId, cycles: l.cycles, first: l.first!, last: l.last! })),
  };
}
