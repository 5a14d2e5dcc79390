// Captures from other tools, read into ActiveSync exchanges: the one entry point the panel and
// `owa-inspector inspect` call (readCapture), and the pure helpers both show (summary, diff,
// filters, facts of an exchange). No browser API: a Blob is all a reader needs.
import { readRange } from './blob-stream.js';
import { CaptureBuilder } from './capture-builder.js';
import { detectFormat, SNIFF_BYTES } from './detect.js';
import { readHar } from './har.js';
import { readHexLog } from './hex-log.js';
import { readMailboxLog } from './mailbox-log.js';
import { readMitmproxy } from './mitmproxy.js';
import { readSaz } from './saz.js';
import type { CaptureReadResult, ReadOptions } from './types.js';

export type * from './types.js';
export { exchangeFacts, type ExchangeFacts } from './facts.js';
export { summarizeCapture, type CaptureSummary } from './summary.js';
export { diffExchanges, diffTrees, type ExchangeDiff, type TreeChange } from './tree-diff.js';
export { bodyTree, bodyXml, type BodyXml } from './body-xml.js';
export { matchesFilter, parseFilterWords } from './filter.js';
export { detectFormat, type Detected } from './detect.js';

/**
 * Reads one capture file: detects its format from its content (the name only breaks a tie) and
 * returns its ActiveSync exchanges, the count of other HTTP requests, and the problems met (each
 * naming the file and where). Never throws for a damaged file; rejects only when `signal` aborts.
 */
export async function readCapture(file: string, source: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> {
  options.signal?.throwIfAborted();
  const head = await readRange(source, 0, SNIFF_BYTES);
  const format = detectFormat(head, file);
  switch (format) {
    case 'har':
      return readHar(file, source, options);
    case 'saz':
      return readSaz(file, source, options);
    case 'mitmproxy':
      return readMitmproxy(file, source, options);
    case 'mailbox-log':
      return readMailboxLog(file, source, options);
    case 'hex-log':
      return readHexLog(file, source, options);
    case 'empty':
    case 'binary': {
      const builder = new CaptureBuilder(file, undefined);
      builder.problem(
        'the whole file',
        format === 'empty' ? 'the file is empty' : 'not a capture this reader knows (HAR, Fiddler SAZ, mitmproxy flows, Exchange mailbox log, or a text log with WBXML)',
      );
      return builder.result();
    }
  }
}
