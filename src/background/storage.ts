// The background's one way to storage: the areas it writes (storage.session, the extension's
// IndexedDB), a queue that runs writes one at a time, and typed slices, each one key of one area
// read through its own validator. Store, TimelineLog, EasService and the policy key store all
// build on these instead of keeping write chains of their own.

/** A storage area as the background needs it (storage.session, the IndexedDB area, or Maps in tests). */
export interface StorageArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface RemovableArea extends StorageArea {
  remove(keys: string[]): Promise<void>;
}

/**
 * Runs tasks one at a time, in the order given; each sees what the one before wrote. A failed
 * task fails its own caller only: it never blocks the ones after it.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** One key of one area, read through `read` (which turns anything stored into a valid value). */
export class Slice<T> {
  private readonly writes = new Serial();

  constructor(
    private readonly area: StorageArea,
    readonly key: string,
    private readonly read: (stored: unknown) => T,
  ) {}

  async get(): Promise<T> {
    return this.read((await this.area.get([this.key]))[this.key]);
  }

  /** Writes `value`, after every write queued before it. */
  set(value: T): Promise<void> {
    return this.writes.run(() => this.area.set({ [this.key]: value }));
  }

  /** Reads, changes and writes back, one change at a time: no change is lost to another. */
  change(mutate: (value: T) => T | void): Promise<void> {
    return this.writes.run(async () => {
      const value = this.read((await this.area.get([this.key]))[this.key]);
      const next = mutate(value);
      await this.area.set({ [this.key]: next === undefined ? value : next });
    });
  }
}
