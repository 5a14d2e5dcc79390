// Capture files are read in a dedicated worker (capture-worker.ts): the page's thread stays free
// for input and paint, and on two cores the worker reads and scans the file while the page maps
// the exchanges already found to rows. Both halves are here: serveCaptureRead runs in the worker,
// readCaptureInWorker in the page, with the contract of src/captures' readCapture.
import { readCapture, type CaptureExchange, type CaptureReadResult, type ReadOptions } from '../../captures';
import { WireReader, WireWriter, type WireBatch } from '../../captures/wire';

/** The worker's script, a file of the package (extension pages may not run code from strings). */
export const CAPTURE_WORKER_URL = 'capture-worker.js';

/** Page → worker: the file to read. */
export interface ReadRequest {
  file: File | Blob;
  name: string;
}

/** Worker → page. */
export type ReadMessage =
  | { type: 'progress'; read: number; total: number }
  | { type: 'exchanges'; batch: WireBatch }
  | { type: 'done'; result: Omit<CaptureReadResult, 'exchanges'>; rest: WireBatch | undefined }
  | { type: 'error'; message: string };

type Post = (message: ReadMessage, transfer: ArrayBuffer[]) => void;

/** Exchanges are posted in batches of about this many, or after this long, whichever comes first. */
const BATCH_EXCHANGES = 256;
const BATCH_MS = 25;

/** The worker's side: reads the file, posting progress and exchanges as they are found, then the rest. */
export async function serveCaptureRead(request: ReadRequest, post: Post, now: () => number = () => performance.now()): Promise<void> {
  const writer = new WireWriter();
  let postedAt = now();
  const send = (): void => {
    const batch = writer.take();
    if (batch) post({ type: 'exchanges', batch }, batch.buffers);
    postedAt = now();
  };
  const onExchanges = (exchanges: CaptureExchange[]): void => {
    writer.add(exchanges, false);
    if (writer.pending >= BATCH_EXCHANGES || now() - postedAt >= BATCH_MS) send();
  };
  try {
    const { exchanges, ...result } = await readCapture(request.name, request.file, {
      stream: true,
      offPage: true,
      onExchanges,
      onProgress: (read, total) => post({ type: 'progress', read, total }, []),
    });
    send();
    writer.add(exchanges, true);
    const rest = writer.take();
    post({ type: 'done', result, rest }, rest?.buffers ?? []);
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) }, []);
  }
}

/** What the page needs of a Worker (tests give a stand-in). */
export interface WorkerLike {
  postMessage(message: ReadRequest): void;
  terminate(): void;
  onmessage: ((event: { data: ReadMessage }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?(): void }) => void) | null;
}

export type CaptureReadIn = CaptureReadResult & {
  /** Where the file was read: in the worker, or in the page when no worker could be started. */
  readIn: 'worker' | 'page';
};

function newWorker(): WorkerLike | undefined {
  if (typeof Worker === 'undefined') return undefined;
  try {
    return new Worker(CAPTURE_WORKER_URL) as unknown as WorkerLike;
  } catch {
    return undefined;
  }
}

async function readInPage(file: string, source: Blob, options: ReadOptions): Promise<CaptureReadIn> {
  return { ...(await readCapture(file, source, options)), readIn: 'page' };
}

/**
 * readCapture in a worker of its own, ended once the file is read or the signal aborts. Without
 * a worker (none in this context, or its script did not load) the file is read in the page; so
 * is a file read with a password (a SAZ's): the password goes to no message, not even the worker's.
 */
export function readCaptureInWorker(file: string, source: Blob, options: ReadOptions = {}, makeWorker: () => WorkerLike | undefined = newWorker): Promise<CaptureReadIn> {
  options.signal?.throwIfAborted();
  if (options.password !== undefined) return readInPage(file, source, options);
  const worker = makeWorker();
  if (worker === undefined) return readInPage(file, source, options);
  return new Promise<CaptureReadIn>((resolve, reject) => {
    let heard = false;
    const wire = new WireReader();
    const kept: CaptureExchange[] = [];
    const finish = (): void => {
      worker.terminate();
      options.signal?.removeEventListener('abort', abort);
    };
    const abort = (): void => {
      finish();
      reject(options.signal!.reason);
    };
    options.signal?.addEventListener('abort', abort);
    worker.onerror = (event) => {
      event.preventDefault?.();
      finish();
      // The script did not load or failed before saying anything: read in the page instead.
      if (!heard) readInPage(file, source, options).then(resolve, reject);
      else reject(new Error(event.message ?? 'the capture worker failed'));
    };
    worker.onmessage = ({ data }) => {
      heard = true;
      switch (data.type) {
        case 'progress':
          options.onProgress?.(data.read, data.total);
          break;
        case 'exchanges': {
          const exchanges = wire.read(data.batch);
          if (options.onExchanges) options.onExchanges(exchanges);
          else for (const e of exchanges) kept.push(e);
          break;
        }
        case 'done': {
          finish();
          const rest = data.rest ? wire.read(data.rest) : [];
          resolve({ ...data.result, exchanges: kept.length === 0 ? rest : [...kept, ...rest], readIn: 'worker' });
          break;
        }
        case 'error':
          finish();
          reject(new Error(data.message));
          break;
      }
    };
    worker.postMessage({ file: source, name: file });
  });
}
