// Reading a Blob through its stream (what the panel asks for) gives the same bytes as slices,
// reports progress up to the whole size, and stops when the signal aborts.
import { describe, expect, it } from 'vitest';
import { blobChunks } from '../../src/captures/blob-stream.js';
import { readHar } from '../../src/captures/har.js';

const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);

async function all(blob: Blob, options: Parameters<typeof blobChunks>[1], slice?: number): Promise<{ data: Uint8Array; pieces: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of blobChunks(blob, options, slice)) parts.push(chunk.slice());
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { data, pieces: parts.length };
}

describe('blobChunks', () => {
  it('gives the same bytes through the stream as in slices, progress up to the whole size', async () => {
    const seen: number[] = [];
    const streamed = await all(new Blob([bytes]), { stream: true, onProgress: (read, total) => seen.push(read / total) });
    expect(streamed.data).toEqual(bytes);
    expect(seen.at(-1)).toBe(1);
    expect((await all(new Blob([bytes]), {}, 4096)).data).toEqual(bytes);
  });

  it('stops reading the stream when the signal aborts', async () => {
    const controller = new AbortController();
    const pieces: Uint8Array[] = [];
    const big = new Blob([bytes, bytes, bytes, bytes]);
    await expect(
      (async () => {
        for await (const chunk of blobChunks(big, { stream: true, signal: controller.signal })) {
          pieces.push(chunk);
          controller.abort(new Error('cancelled'));
        }
      })(),
    ).rejects.toThrow('cancelled');
    expect(pieces).toHaveLength(1);
  });

  it('reads a HAR through the stream as through slices', async () => {
    const entry = { request: { method: 'POST', url: 'https://x/Microsoft-Server-ActiveSync?Cmd=Sync', headers: [] }, response: { status: 200, headers: [], content: {} } };
    const text = JSON.stringify({ log: { entries: Array.from({ length: 500 }, () => entry) } });
    const blob = new Blob([text]);
    const streamed = await readHar('x.har', blob, { stream: true });
    const sliced = await readHar('x.har', blob, {}, 1000);
    expect(streamed.exchanges).toHaveLength(500);
    expect(streamed).toEqual(sliced);
  });
});
