// The big HAR of the capture benchmarks (captures.ts in Node, panel-capture.ts in Chromium):
// 20,000 ActiveSync exchanges in 200 MB, Sync responses of 2-20 kB in base64, written as a stream.
import { createWriteStream, statSync } from 'node:fs';
import { toBase64 } from '../src/shared/base64.js';
import { syncResponse } from './sync-response.js';

/** Writes a HAR of about `targetBytes` with `count` ActiveSync entries (1 in 50 a 449), streamed. */
export async function writeHar(file: string, count: number, targetBytes: number): Promise<number> {
  const perEntry = Math.floor(targetBytes / count);
  // Sync responses of a few sizes (the generator adds whole emails of a few kB each), base64 in
  // the entry as Chrome writes it; each entry takes the one that keeps the file on its target.
  const variants = [...new Map([2, 4, 6, 8, 10, 12, 16, 20].map((kb) => syncResponse(kb * 1024).bytes).map((b) => [b.length, b])).values()].map((bytes) => ({
    bytes,
    body: toBase64(bytes),
  }));
  let written = 0;
  const request = String.fromCharCode(0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01);
  const out = createWriteStream(file);
  const write = (text: string): Promise<void> => new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write('{"log":{"version":"1.2","creator":{"name":"owa-inspector benchmark","version":"1"},"pages":[],"entries":[');
  for (let i = 0; i < count; i++) {
    const retry = i % 50 === 7;
    const wanted = (i + 1) * perEntry - written - 1400;
    const { bytes, body } = variants.reduce((best, v) => (Math.abs(v.body.length - wanted) < Math.abs(best.body.length - wanted) ? v : best));
    const entry = {
      startedDateTime: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
      time: 50 + (i % 17),
      request: {
        method: 'POST',
        url: `https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=${retry ? 'FolderSync' : 'Sync'}&User=alice&DeviceId=DEV${i % 7}&DeviceType=iPhone`,
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' },
          { name: 'MS-ASProtocolVersion', value: '16.1' },
          { name: 'X-MS-PolicyKey', value: '3942919513' },
          { name: 'Content-Length', value: String(request.length) },
        ],
        postData: { mimeType: 'application/vnd.ms-sync.wbxml', text: request },
        bodySize: request.length,
      },
      response: retry
        ? { status: 449, statusText: 'Retry With', headers: [], content: { size: 0, mimeType: 'text/plain' } }
        : {
            status: 200,
            statusText: 'OK',
            headers: [{ name: 'Content-Type', value: 'application/vnd.ms-sync.wbxml' }],
            content: { size: bytes.length, mimeType: 'application/vnd.ms-sync.wbxml', text: body, encoding: 'base64' },
          },
    };
    const text = `${i > 0 ? ',' : ''}${JSON.stringify(entry)}`;
    written += text.length;
    await write(text);
  }
  await write(']}}');
  await new Promise<void>((resolve) => out.end(resolve));
  return statSync(file).size;
}
