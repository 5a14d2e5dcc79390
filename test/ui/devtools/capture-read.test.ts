// The panel reads capture files in a worker (capture-read.ts). Here the worker's side runs in the
// same process behind a stand-in Worker whose messages go through structuredClone with their
// transfer lists, as postMessage does: buffers handed to the page are detached on the worker's
// side, so a view the reader kept of them would show up as a wrong or missing body.
import { describe, expect, it, vi } from 'vitest';
import { readCapture, type CaptureExchange } from '../../../src/captures';
import { lazyBase64Body } from '../../../src/captures/lazy-bytes';
import { WireReader, WireWriter } from '../../../src/captures/wire';
import { readCaptureInWorker, serveCaptureRead, type ReadMessage, type ReadRequest, type WorkerLike } from '../../../src/ui/devtools/capture-read';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST, provisionResponse } from '../../captures/helpers';

const EAS = 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=ABC&DeviceType=iPhone';
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** A HAR of `count` ActiveSync exchanges (big bodies every so often, to cross the stream's 64 kB pieces) and some other traffic. */
function harText(count: number): string {
  const entries: object[] = [];
  for (let i = 0; i < count; i++) {
    const response = i % 3 === 0 ? FOLDER_SYNC_142 : i % 3 === 1 ? FOLDER_SYNC_OK : provisionResponse(`${1000 + i}${'7'.repeat(i % 7 === 0 ? 30_000 : 10)}`);
    entries.push({
      startedDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      time: i,
      request: {
        method: 'POST',
        url: `${EAS}&n=${i}`,
        headers: [
          { name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' },
          { name: 'X-Count', value: String(i) },
        ],
        postData: { mimeType: 'application/vnd.ms-sync.wbxml', text: b64(FOLDER_SYNC_REQUEST), encoding: 'base64' },
        bodySize: FOLDER_SYNC_REQUEST.length,
      },
      response: {
        status: 200,
        statusText: 'OK',
        headers: [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }],
        content: { size: response.length, mimeType: 'application/vnd.ms-sync.wbxml', text: b64(response), encoding: 'base64' },
      },
    });
    if (i % 5 === 0)
      entries.push({
        startedDateTime: '2026-01-01T00:00:00Z',
        time: 1,
        request: { method: 'GET', url: 'https://example.com/', headers: [] },
        response: { status: 200, statusText: 'OK', headers: [], content: { size: 0, text: '' } },
      });
  }
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } }, null, 1);
}

/** A Blob whose stream hands out pieces of 7,001 bytes, as a browser's does in pieces (Node's gives one). */
class PieceBlob extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    let at = 0;
    const next = (): Promise<ArrayBuffer> => this.slice(at, at + 7001).arrayBuffer();
    const size = this.size;
    return new ReadableStream({
      async pull(controller) {
        if (at >= size) return controller.close();
        controller.enqueue(new Uint8Array(await next()));
        at += 7001;
      },
    });
  }
}

/** A stand-in Worker running serveCaptureRead, messages cloned (and buffers transferred) as postMessage does. */
function fakeWorker(): { worker: WorkerLike; transferred: ArrayBuffer[]; terminated: () => boolean } {
  const transferred: ArrayBuffer[] = [];
  let terminated = false;
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    terminate: () => void (terminated = true),
    postMessage(request: ReadRequest) {
      void serveCaptureRead(request, (message: ReadMessage, transfer: ArrayBuffer[]) => {
        transferred.push(...transfer);
        const data = structuredClone(message, { transfer });
        // As a worker's messages: later, in their own tasks, and never after terminate().
        setTimeout(() => {
          if (!terminated) worker.onmessage?.({ data });
        }, 0);
      });
    },
  };
  return { worker, transferred, terminated: () => terminated };
}

const view = (e: CaptureExchange) => ({
  ...e,
  request: e.request.kind === 'bytes' ? { kind: 'bytes', bytes: [...e.request.bytes] } : e.request,
  response: e.response.kind === 'bytes' ? { kind: 'bytes', bytes: [...e.response.bytes] } : e.response,
});

describe('exchanges as messages (wire.ts)', () => {
  it('come back as they went, base64 bodies lazy, strings shared across batches', () => {
    let base64 = new Uint8Array();
    const made = (): CaptureExchange[] => [
      {
        file: 'a.har',
        index: 1,
        format: 'har',
        startedAt: 1700000000000,
        durationMs: undefined,
        method: 'POST',
        url: EAS,
        requestHeaders: [{ name: 'Content-Type', value: 'x'.repeat(300) }],
        responseHeaders: [],
        httpStatus: undefined,
        httpStatusText: '',
        request: { kind: 'bytes', bytes: FOLDER_SYNC_REQUEST },
        response: lazyBase64Body((base64 = new TextEncoder().encode(b64(FOLDER_SYNC_OK))), FOLDER_SYNC_OK.length),
      },
      {
        file: 'a.har',
        index: 2,
        format: 'hex-log',
        startedAt: undefined,
        durationMs: 0.5,
        method: 'POST',
        url: EAS,
        requestHeaders: [{ name: 'Content-Type', value: 'x'.repeat(300) }],
        responseHeaders: [{ name: 'Server', value: '' }],
        httpStatus: 200,
        httpStatusText: 'OK',
        request: { kind: 'empty' },
        response: { kind: 'missing', reason: 'gone' },
        command: 'FolderSync',
      },
      {
        ...({} as CaptureExchange),
        file: 'a.har',
        index: 3,
        format: 'mailbox-log',
        startedAt: NaN,
        durationMs: -0,
        method: '',
        url: '/x',
        requestHeaders: [],
        responseHeaders: [],
        httpStatus: 0,
        httpStatusText: 'é',
        request: { kind: 'xml', xml: '<a/>' },
        response: { kind: 'empty' },
      },
    ];
    // Read before anything is sent: reading a lazy body decodes it.
    const expected = made().map(view);
    const exchanges = made();
    const writer = new WireWriter();
    const reader = new WireReader();
    writer.add(exchanges.slice(0, 1), false);
    expect(writer.pending).toBe(1);
    const first = writer.take()!;
    expect(writer.take()).toBeUndefined();
    // The base64 body's buffer is transferred; other bytes are copied until the reader is done.
    expect(first.buffers).toContain(base64.buffer);
    expect(first.buffers).not.toContain(FOLDER_SYNC_REQUEST.buffer);
    writer.add(exchanges.slice(1), true);
    const second = writer.take()!;
    // Strings the reader already has are not sent again (the long one is).
    expect(second.strings).not.toContain(EAS);
    expect(second.strings).toContain('x'.repeat(300));
    const back = [...reader.read(structuredClone(first, { transfer: first.buffers })), ...reader.read(structuredClone(second, { transfer: second.buffers }))];
    expect(base64.byteLength).toBe(0);
    expect(back.map(view)).toEqual(expected);
    expect(back[2]!.startedAt).toBeNaN();
    expect(Object.is(back[2]!.durationMs, -0)).toBe(true);
    expect('command' in back[0]!).toBe(false);
  });
});

describe('reading a capture in a worker', () => {
  it('gives what readCapture gives, handed over in batches while reading, the buffers transferred', async () => {
    const blob = new PieceBlob([harText(300)]);
    const inPage = await readCapture('big.har', blob, { stream: true });
    const { worker, transferred, terminated } = fakeWorker();
    const batches: number[] = [];
    const seen: CaptureExchange[] = [];
    const progress: number[] = [];
    const result = await readCaptureInWorker(
      'big.har',
      blob,
      {
        onExchanges: (exchanges) => {
          batches.push(exchanges.length);
          seen.push(...exchanges);
        },
        onProgress: (read) => progress.push(read),
      },
      () => worker,
    );
    expect(result.readIn).toBe('worker');
    expect(terminated()).toBe(true);
    expect(result.exchanges).toEqual([]);
    expect(batches.length).toBeGreaterThan(1);
    expect(seen.map((e) => e.index)).toEqual(inPage.exchanges.map((_, i) => i + 1));
    expect(seen.map(view)).toEqual(inPage.exchanges.map(view));
    expect({ ...result, exchanges: undefined, readIn: undefined }).toEqual({ ...inPage, exchanges: undefined });
    expect(progress.at(-1)).toBe(blob.size);
    // The bodies' buffers went to the page, not copies of them.
    expect(transferred.length).toBeGreaterThan(1);
    expect(transferred.every((b) => b.byteLength === 0)).toBe(true);
  });

  it('without onExchanges, the result holds them all; a damaged file shows what was read and where it stopped', async () => {
    const text = harText(40);
    const cut = new PieceBlob([text.slice(0, Math.floor(text.length * 0.7))]);
    const inPage = await readCapture('cut.har', cut, { stream: true });
    const { worker } = fakeWorker();
    const result = await readCaptureInWorker('cut.har', cut, {}, () => worker);
    expect(inPage.problems[0]!.message).toMatch(/cut short/);
    expect(inPage.exchanges.length).toBeGreaterThan(10);
    expect({ ...result, readIn: undefined, exchanges: result.exchanges.map(view) }).toEqual({ ...inPage, exchanges: inPage.exchanges.map(view) });
  });

  it('reads in the page when there is no worker, its script fails before a word, or with a password', async () => {
    const blob = new Blob([harText(3)]);
    expect((await readCaptureInWorker('a.har', blob, {}, () => undefined)).readIn).toBe('page');
    const broken: WorkerLike = {
      onmessage: null,
      onerror: null,
      terminate: vi.fn(),
      postMessage() {
        setTimeout(() => broken.onerror?.({ message: 'failed to load' }), 0);
      },
    };
    // A password is never posted, not even to the worker.
    const unused = vi.fn(() => broken);
    expect((await readCaptureInWorker('a.har', blob, { password: 'secret' }, unused)).readIn).toBe('page');
    expect(unused).not.toHaveBeenCalled();
    const result = await readCaptureInWorker('a.har', blob, {}, () => broken);
    expect(result.readIn).toBe('page');
    expect(result.exchanges).toHaveLength(3);
    expect(broken.terminate).toHaveBeenCalled();
  });

  it('cancelling ends the worker and rejects with the reason', async () => {
    const controller = new AbortController();
    const { worker, terminated } = fakeWorker();
    const reading = readCaptureInWorker('a.har', new Blob([harText(50)]), { signal: controller.signal, onProgress: () => controller.abort(new Error('stop')) }, () => worker);
    await expect(reading).rejects.toThrow('stop');
    expect(terminated()).toBe(true);
  });
});
