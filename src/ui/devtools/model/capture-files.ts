// The capture files opened in the panel: what the user sees of each (reading, read, its problems)
// and its exchanges as records. Pure; components/use-captures.ts runs the readers.
import type { CaptureExchange, CaptureFormat, CaptureProblem, CaptureReadResult } from '../../../captures/types';
import { recordFromCapture } from './capture-record';
import type { EasRecord } from './record';
import { giveBack } from './yield';

export type CaptureFileState = 'reading' | 'read' | 'cancelled' | 'failed';

export interface CaptureFile {
  /** Unique among the files of one panel session. */
  key: number;
  name: string;
  size: number;
  state: CaptureFileState;
  readBytes: number;
  format: CaptureFormat | undefined;
  exchanges: number;
  otherRequests: number;
  problems: readonly CaptureProblem[];
  /** Where it was read: in the capture worker, or in the page (no worker). */
  readIn?: 'worker' | 'page';
  /** Why reading failed as a whole (the reader threw): shown, never thrown further. */
  error?: string;
  /**
   * A password-protected SAZ read without its password (`missing`) or with a wrong one: the
   * panel asks for it on the file's line. The password itself is never part of this state.
   */
  password?: 'missing' | 'wrong';
}

/** Whether the reader stopped for a password, and which way. */
export function passwordState(problems: readonly CaptureProblem[]): CaptureFile['password'] {
  if (problems.some((p) => p.code === 'password-wrong')) return 'wrong';
  if (problems.some((p) => p.code === 'password-missing')) return 'missing';
  return undefined;
}

export function startFile(key: number, name: string, size: number): CaptureFile {
  return { key, name, size, state: 'reading', readBytes: 0, format: undefined, exchanges: 0, otherRequests: 0, problems: [] };
}

/** Maps exchanges to records as they come (a worker posts them while it reads); one the panel cannot show is a problem of its file. */
export class ExchangeMapper {
  readonly records: EasRecord[] = [];
  readonly problems: CaptureProblem[] = [];
  constructor(private readonly newId: () => number) {}

  add(exchange: CaptureExchange): void {
    try {
      this.records.push(recordFromCapture(this.newId(), exchange));
    } catch (error) {
      this.problems.push({ file: exchange.file, where: `exchange ${exchange.index}`, message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function finished(file: CaptureFile, result: CaptureReadResult, mapper: ExchangeMapper): { file: CaptureFile; records: EasRecord[] } {
  const records = mapper.records;
  const problems = [...result.problems, ...mapper.problems];
  const password = passwordState(problems);
  return {
    file: {
      ...file,
      state: 'read',
      readBytes: file.size,
      format: result.format,
      exchanges: records.length,
      otherRequests: result.otherRequests,
      // The password's own problem is said by the form that asks for it.
      problems: password ? problems.filter((p) => p.code === undefined) : problems,
      ...(password ? { password } : {}),
    },
    records,
  };
}

export interface SliceOptions {
  signal?: AbortSignal;
  sliceMs?: number;
  now?: () => number;
  pause?: () => Promise<void>;
}

/**
 * A read file: its summary, and its exchanges as records with ids from `newId`, mapped in
 * slices of a few milliseconds with the event loop given back in between: 20,000
 * exchanges take a second or two to map (the Status of every response is read), which would
 * otherwise freeze the page, progress bar and Cancel included. `mapper` holds the exchanges
 * mapped while the file was read (handed over by onExchanges); the result's come after them.
 */
export async function finishFileInSlices(
  file: CaptureFile,
  result: CaptureReadResult,
  newId: () => number,
  options: SliceOptions = {},
  mapper: ExchangeMapper = new ExchangeMapper(newId),
): Promise<{ file: CaptureFile; records: EasRecord[] }> {
  const { signal, sliceMs = 12, now = () => performance.now(), pause = giveBack } = options;
  let sliceStart = now();
  for (const exchange of result.exchanges) {
    mapper.add(exchange);
    if (now() - sliceStart >= sliceMs) {
      await pause();
      signal?.throwIfAborted();
      sliceStart = now();
    }
  }
  return finished(file, result, mapper);
}

export function failFile(file: CaptureFile, error: unknown, cancelled: boolean): CaptureFile {
  if (cancelled) return { ...file, state: 'cancelled' };
  return { ...file, state: 'failed', error: error instanceof Error ? error.message : String(error) };
}

/** Records of several sources in time order; records of one source keep their order on equal times. */
export function byTime(...lists: ReadonlyArray<readonly EasRecord[]>): EasRecord[] {
  const all = lists.flat();
  // Array.prototype.sort is stable: equal times keep the capture's own order.
  return all.sort((a, b) => a.startedAt - b.startedAt);
}
