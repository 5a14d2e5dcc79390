// Reading capture files in the panel: one at a time (2 cores; a 200 MB HAR is plenty of work on
// its own), each with its progress and a Cancel, a failure shown on its file only. A
// password-protected SAZ waits on its line for its password: the password goes to the reader of
// that one reading and nowhere else (no state, no storage, no message).
import { useRef, useState } from 'preact/hooks';
import type { CaptureReadResult, ReadOptions } from '../../../captures';
import { readCaptureInWorker } from '../capture-read';
import { ExchangeMapper, failFile, finishFileInSlices, startFile, type CaptureFile } from '../model/capture-files';
import type { EasRecord } from '../model/record';

export interface Captures {
  files: readonly CaptureFile[];
  records: readonly EasRecord[];
  open(files: readonly File[]): void;
  cancel(key: number): void;
  /** Reads a password-protected SAZ again, with the password the user typed. */
  unlock(key: number, password: string): void;
  clear(): void;
}

/** src/captures' readCapture, or a reader with its contract; `readIn` says where it read (shown as data-read-in). */
export type CaptureReader = (file: string, source: Blob, options?: ReadOptions) => Promise<CaptureReadResult & { readIn?: 'worker' | 'page' }>;

/** `read` reads in a worker (capture-read.ts); tests pass a reader they control. */
export function useCaptures(newId: () => number, read: CaptureReader = readCaptureInWorker): Captures {
  const [files, setFiles] = useState<readonly CaptureFile[]>([]);
  const [records, setRecords] = useState<readonly EasRecord[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const queue = useRef<Promise<void>>(Promise.resolve());
  const nextKey = useRef(1);
  // The files that wait for a password (the File only: it is read again when one is given).
  const locked = useRef(new Map<number, File>());

  const update = (key: number, change: (file: CaptureFile) => CaptureFile): void => setFiles((old) => old.map((f) => (f.key === key ? change(f) : f)));

  const readOne = async (file: File, key: number, controller: AbortController, password?: string): Promise<void> => {
    if (controller.signal.aborted) return;
    let last = 0;
    // Exchanges handed over while the file is read are mapped to records then (the worker reads on meanwhile).
    const mapper = new ExchangeMapper(newId);
    try {
      const result = await read(file.name, file, {
        signal: controller.signal,
        stream: true,
        ...(password !== undefined ? { password } : {}),
        onExchanges: (exchanges) => {
          for (const exchange of exchanges) mapper.add(exchange);
        },
        onProgress: (readBytes) => {
          // A re-render per 1% is plenty for a progress bar.
          if (readBytes - last < file.size / 100 && readBytes < file.size) return;
          last = readBytes;
          update(key, (f) => ({ ...f, readBytes }));
        },
      });
      controller.signal.throwIfAborted();
      const done = await finishFileInSlices(startFile(key, file.name, file.size), result, newId, { signal: controller.signal }, mapper);
      if (done.file.password) locked.current.set(key, file);
      else locked.current.delete(key);
      setFiles((old) => old.map((f) => (f.key === key ? { ...done.file, readIn: result.readIn } : f)));
      setRecords((old) => [...old, ...done.records]);
    } catch (error) {
      update(key, (f) => failFile(f, error, controller.signal.aborted));
    } finally {
      controllers.current.delete(key);
    }
  };

  const open = (list: readonly File[]): void => {
    for (const file of list) {
      const key = nextKey.current++;
      const controller = new AbortController();
      controllers.current.set(key, controller);
      setFiles((old) => [...old, startFile(key, file.name, file.size)]);
      queue.current = queue.current.then(() => readOne(file, key, controller));
    }
  };

  const cancel = (key: number): void => {
    controllers.current.get(key)?.abort();
    update(key, (f) => (f.state === 'reading' ? { ...f, state: 'cancelled' } : f));
  };

  const unlock = (key: number, password: string): void => {
    const file = locked.current.get(key);
    if (!file || controllers.current.has(key)) return;
    const controller = new AbortController();
    controllers.current.set(key, controller);
    update(key, (f) => startFile(key, f.name, f.size));
    queue.current = queue.current.then(() => readOne(file, key, controller, password));
  };

  const clear = (): void => {
    for (const controller of controllers.current.values()) controller.abort();
    controllers.current.clear();
    locked.current.clear();
    setFiles([]);
    setRecords([]);
  };

  return { files, records, open, cancel, unlock, clear };
}
