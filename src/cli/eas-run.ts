// How the ActiveSync commands (options, provision, send) end: on failure, the trace so far and a
// message saying what failed and where, and an exit status for the kind of failure. Usage errors
// go on to the dispatcher, which prints the usage.
import { ActiveSyncError } from '../activesync/errors';
import type { TraceStep } from '../activesync/trace';
import { formatError, formatTrace, wipeBanner } from './eas-print';
import { exitCodeFor } from './exit-codes';

/** What a command tells the runner as it goes, so a failure can be reported in full. */
export interface RunContext {
  deviceId?: string;
  /** Steps of an earlier client (the OPTIONS probe that chose the version). */
  earlierSteps: TraceStep[];
  /** Where the URL stands in the arguments (from `parse`). */
  urlIndex?: number | undefined;
}

export type ActiveSyncRun = (args: string[], context: RunContext) => Promise<number>;

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Arguments as a POSIX shell reads them back: single-quoted where anything could be special. */
function commandLine(args: readonly string[]): string {
  return args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The JSON form of a failure, for --json. */
function errorJson(error: ActiveSyncError) {
  return {
    error: {
      kind: error.kind,
      message: error.message,
      step: error.step,
      httpStatus: error.httpStatus,
      status: error.status,
      offset: error.offset,
      retryAfterSeconds: error.retryAfterSeconds,
      location: error.location,
    },
    trace: error.trace,
  };
}

export async function runActiveSync(name: string, run: ActiveSyncRun, args: string[]): Promise<number> {
  const context: RunContext = { earlierSteps: [] };
  try {
    return await run(args, context);
  } catch (error) {
    if (!(error instanceof ActiveSyncError)) throw error;
    const full = context.earlierSteps.length ? error.withTrace([...context.earlierSteps, ...error.trace]) : error;
    if (args.includes('--json')) {
      printJson(errorJson(full));
    } else {
      if (full.trace.length) print(formatTrace(full.trace));
      if (full.kind === 'remote-wipe') print(wipeBanner(context.deviceId ?? 'this device', full.remoteWipe ?? 'status'));
    }
    process.stderr.write(`owa-inspector ${name}: ${formatError(full)}\n`);
    const { location } = full;
    if (full.kind === 'redirect-other-origin' && location !== undefined && context.urlIndex !== undefined) {
      // Never followed for the user: running against the new server is theirs to decide.
      const rerun = args.map((arg, i) => (i === context.urlIndex ? location : arg));
      process.stderr.write(`To run against it, if you trust that server:\n  ${commandLine(['owa-inspector', name, ...rerun])}\n`);
    }
    return exitCodeFor(full.kind);
  }
}
