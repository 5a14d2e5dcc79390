// Collects what one reader finds in one file: exchanges numbered in order, other HTTP traffic
// counted, problems kept (up to MAX_PROBLEMS, then one last problem saying how many were left out).
import { MAX_PROBLEMS } from './limits.js';
import type { CaptureExchange, CaptureFormat, CaptureProblem, CaptureReadResult } from './types.js';

/** An exchange before the builder numbers it. */
export type UnnumberedExchange = Omit<CaptureExchange, 'file' | 'index' | 'format'>;

export class CaptureBuilder {
  private exchanges: CaptureExchange[] = [];
  /** Exchanges already handed over by flush(), for the numbering. */
  private flushed = 0;
  private readonly problems: CaptureProblem[] = [];
  private others = 0;
  private dropped = 0;

  constructor(
    readonly file: string,
    private format: CaptureFormat | undefined,
  ) {}

  setFormat(format: CaptureFormat | undefined): void {
    this.format = format;
  }

  add(exchange: UnnumberedExchange): void {
    this.exchanges.push({ file: this.file, index: this.flushed + this.exchanges.length + 1, format: this.format ?? 'har', ...exchange });
  }

  /** Hands the exchanges found since the last call to `sink` (none: no call); the result keeps only later ones. */
  flush(sink: (exchanges: CaptureExchange[]) => void): void {
    if (this.exchanges.length === 0) return;
    const batch = this.exchanges;
    this.exchanges = [];
    this.flushed += batch.length;
    sink(batch);
  }

  other(count = 1): void {
    this.others += count;
  }

  problem(where: string, message: string, code?: CaptureProblem['code']): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file: this.file, where, message, ...(code ? { code } : {}) });
    else this.dropped++;
  }

  get exchangeCount(): number {
    return this.flushed + this.exchanges.length;
  }

  result(): CaptureReadResult {
    const problems = [...this.problems];
    if (this.dropped > 0) problems.push({ file: this.file, where: 'the rest of the file', message: `${this.dropped} more problems not listed` });
    return { file: this.file, format: this.format, exchanges: this.exchanges, otherRequests: this.others, problems };
  }
}
