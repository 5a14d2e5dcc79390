// What every capture reader gives back: the ActiveSync exchanges found in one file, whatever its
// format, with the bodies as the bytes that went over the wire (or the XML a mailbox log shows).
// Readers are pure: they take a Blob (a File in the panel, `fs.openAsBlob` in the CLI) and know
// nothing of browser APIs. The panel and `owa-inspector inspect` both build on this.

export type CaptureFormat = 'har' | 'saz' | 'mitmproxy' | 'mailbox-log' | 'hex-log';

export interface CaptureHeader {
  name: string;
  value: string;
}

/** A body as the capture holds it. Decoding to XML happens later, when it is shown or searched. */
export type CaptureBody =
  | { kind: 'empty' }
  /** The bytes as sent, after undoing transfer and content encodings (chunked, gzip, deflate). */
  | { kind: 'bytes'; bytes: Uint8Array }
  /** Only XML text is in the capture (Exchange's mailbox log prints decoded bodies). */
  | { kind: 'xml'; xml: string }
  /** The capture has no body, or one that cannot be recovered; `reason` says which, in words. */
  | { kind: 'missing'; reason: string };

export interface CaptureExchange {
  /** The file's name as the user gave it. */
  file: string;
  /** 1-based position among this file's ActiveSync exchanges. */
  index: number;
  format: CaptureFormat;
  /** ms since the epoch, when the capture says. */
  startedAt: number | undefined;
  durationMs: number | undefined;
  method: string;
  /** Absolute URL when the capture has one; mailbox logs give a path and query only. */
  url: string;
  requestHeaders: CaptureHeader[];
  responseHeaders: CaptureHeader[];
  /** Undefined when the capture holds no response (aborted, or not logged). */
  httpStatus: number | undefined;
  httpStatusText: string;
  request: CaptureBody;
  response: CaptureBody;
  /**
   * The command when the capture names it without a URL: hex logs have no URL, so the root
   * element of the request's WBXML (e.g. "FolderSync"). Absent when the URL's query says it.
   */
  command?: string;
}

/** Where reading stopped or what was skipped, said so a user can find it in the file. */
export interface CaptureProblem {
  file: string;
  /** Byte offset, line, zip entry or HAR entry index, as words: "entry 12", "byte 4096", "raw/07_s.txt". */
  where: string;
  message: string;
  /**
   * Set when the problem is a password: a password-protected SAZ read without one, or with a
   * wrong one. The caller asks for it (the panel) or says how to give it (the CLI).
   */
  code?: 'password-missing' | 'password-wrong';
}

export interface CaptureReadResult {
  file: string;
  /** Undefined when the file is not a capture this reader knows (then `problems` says why). */
  format: CaptureFormat | undefined;
  exchanges: CaptureExchange[];
  /** HTTP exchanges in the capture that are not ActiveSync: counted and left out, never an error. */
  otherRequests: number;
  problems: CaptureProblem[];
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Called now and then with bytes read so far, for a progress bar. */
  onProgress?: (readBytes: number, totalBytes: number) => void;
  /**
   * Read text formats through the Blob's stream instead of slices of a few MB: faster in browsers
   * (the panel sets it); Node's Blob streams hand out 64 kB pieces, so the CLI reads slices.
   */
  stream?: boolean;
  /**
   * When given, readers that read as a stream (HAR) hand their exchanges over in order as they
   * are found, after each piece of the file, instead of keeping them for the result: the result's
   * `exchanges` then holds only those not handed over. The panel's capture worker posts them to
   * the page this way, so that the page maps them to rows while the worker reads on.
   */
  onExchanges?: (exchanges: CaptureExchange[]) => void;
  /**
   * Reading off the page's thread (a worker): a stream's pieces are read without giving the event
   * loop back now and then (cancelling ends the worker).
   */
  offPage?: boolean;
  /**
   * The password of a password-protected SAZ. Used while reading only: never logged, never kept
   * in the result (the exchanges hold decrypted bytes, nothing of the password).
   */
  password?: string;
}
