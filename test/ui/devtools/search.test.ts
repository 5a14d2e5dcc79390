// Searching decoded bodies in slices: the same matches as a plain loop, bodies decoded only when
// the cheap fields do not match, the event loop given back between slices, a cancel that keeps
// what was found, and 20,000 exchanges searched without a slice much longer than asked for.
import { describe, expect, it } from 'vitest';
import type { CaptureExchange } from '../../../src/captures/types';
import { recordFromCapture } from '../../../src/ui/devtools/model/capture-record';
import { DecodeCache } from '../../../src/ui/devtools/model/decoded';
import type { EasRecord } from '../../../src/ui/devtools/model/record';
import { searchBodies, type SearchProgress } from '../../../src/ui/devtools/model/search';

/** <FolderSync xmlns="FolderHierarchy:"><SyncKey>N</SyncKey></FolderSync>, by hand. */
function folderSync(key: string): Uint8Array {
  return Uint8Array.from([0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, ...Buffer.from(key), 0x00, 0x01, 0x01]);
}

function exchanges(n: number): EasRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const exchange: CaptureExchange = {
      file: i % 2 ? 'odd.har' : 'even.har',
      index: i + 1,
      format: 'har',
      startedAt: i,
      durationMs: 1,
      method: 'POST',
      url: `https://m.example/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=u&DeviceId=D&DeviceType=T`,
      requestHeaders: [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }],
      responseHeaders: [],
      httpStatus: 200,
      httpStatusText: 'OK',
      request: { kind: 'bytes', bytes: folderSync(`key-${i}`) },
      response: { kind: 'empty' },
    };
    return recordFromCapture(i + 1, exchange);
  });
}

describe('searchBodies', () => {
  it('finds text inside decoded bodies, decoding only what the URL and command do not already match', async () => {
    const records = exchanges(30);
    const decoded: number[] = [];
    const cache = new DecodeCache();
    const text = (r: EasRecord): string => {
      decoded.push(r.id);
      return cache.searchText(r);
    };
    expect([...(await searchBodies(records, 'KEY-17<', text))]).toEqual([18]);
    expect(decoded).toHaveLength(30);
    decoded.length = 0;
    // Every URL holds "foldersync": no body is decoded.
    expect((await searchBodies(records, 'foldersync', text)).size).toBe(30);
    expect(decoded).toEqual([]);
    // The file name counts as well.
    expect((await searchBodies(records, 'odd.har', text)).size).toBe(15);
  });

  it('gives the event loop back between slices and reports progress as it goes', async () => {
    const records = exchanges(50);
    let clock = 0;
    let pauses = 0;
    const progress: SearchProgress[] = [];
    const cache = new DecodeCache();
    await searchBodies(records, 'key-4', (r) => ((clock += 1), cache.searchText(r)), {
      sliceMs: 10,
      now: () => clock,
      pause: async () => void pauses++,
      onProgress: (p) => progress.push(p),
    });
    expect(pauses).toBe(5);
    expect(progress.map((p) => p.done)).toEqual([10, 20, 30, 40, 50, 50]);
    expect([...progress.at(-1)!.matches].sort((a, b) => a - b)).toEqual([5, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
  });

  it('stops when cancelled, and what it found until then was reported', async () => {
    const records = exchanges(100);
    const controller = new AbortController();
    let clock = 0;
    let last: SearchProgress | undefined;
    const cache = new DecodeCache();
    const search = searchBodies(records, 'key-', (r) => ((clock += 1), cache.searchText(r)), {
      signal: controller.signal,
      sliceMs: 25,
      now: () => clock,
      pause: async () => {
        if (clock >= 50) controller.abort();
      },
      onProgress: (p) => (last = p),
    });
    await expect(search).rejects.toThrow();
    expect(last).toMatchObject({ done: 50, total: 100 });
    expect(last!.matches.size).toBe(50);
  });

  it('20,000 exchanges: every one searched, no slice far past its budget', async () => {
    const records = exchanges(20_000);
    const cache = new DecodeCache();
    let longest = 0;
    let sliceStart = performance.now();
    let pauses = 0;
    const matches = await searchBodies(records, 'key-19999<', (r) => cache.searchText(r), {
      sliceMs: 12,
      pause: async () => {
        longest = Math.max(longest, performance.now() - sliceStart);
        pauses++;
        await new Promise((r) => setTimeout(r, 0));
        sliceStart = performance.now();
      },
    });
    expect([...matches]).toEqual([20_000]);
    expect(pauses).toBeGreaterThan(0);
    // A budget of 12 ms plus one body: generous for a loaded 2-core machine.
    expect(longest).toBeLessThan(200);
  });
});
