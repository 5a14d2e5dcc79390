// The ActiveSync commands of owa-inspector and the one way they all end: a trace and a clear
// message on failure, and an exit status that says what failed.
import { ActiveSyncError } from '../activesync/errors';
import type { TraceStep } from '../activesync/trace';
import { UsageError } from './eas-args';
import { formatError, formatTrace, wipeBanner } from './eas-print';
import { EXIT, exitCodeFor } from './exit-codes';
import { optionsCommand } from './options';
import { provisionCommand } from './provision';
import { sendCommand } from './send';

/** What a command tells the runner as it goes, so a failure can be reported in full. */
export interface RunContext {
  deviceId?: string;
  /** Steps of an earlier client (the OPTIONS probe that chose the version). */
  earlierSteps: TraceStep[];
}

export type Command = (args: string[], context: RunContext) => Promise<number>;

export const activeSyncCommands: Readonly<Record<string, (args: string[]) => Promise<number>>> = {
  provision: (args) => run(provisionCommand, args),
  options: (args) => run(optionsCommand, args),
  send: (args) => run(sendCommand, args),
};

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The JSON form of a failure, for --json. */
export function errorJson(error: ActiveSyncError) {
  return {
    error: {
      kind: error.kind,
      message: error.message,
      step: error.step,
      httpStatus: error.httpStatus,
      status: error.status,
      offset: error.offset,
      retryAfterSeconds: error.retryAfterSeconds,
    },
    trace: error.trace,
  };
}

async function run(command: Command, args: string[]): Promise<number> {
  const json = args.includes('--json');
  const context: RunContext = { earlierSteps: [] };
  try {
    return await command(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`owa-inspector: ${error.message}\nRun with --help for the options.\n`);
      return EXIT.usage;
    }
    if (error instanceof ActiveSyncError) {
      const full = context.earlierSteps.length ? error.withTrace([...context.earlierSteps, ...error.trace]) : error;
      if (json) {
        printJson(errorJson(full));
      } else {
        if (full.trace.length) print(formatTrace(full.trace));
        if (full.kind === 'remote-wipe') {
          print(wipeBanner(context.deviceId ?? 'this device', full.remoteWipe ?? 'status'));
        }
      }
      process.stderr.write(`${formatError(full)}\n`);
      return exitCodeFor(full.kind);
    }
    process.stderr.write(`owa-inspector: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.internal;
  }
}

