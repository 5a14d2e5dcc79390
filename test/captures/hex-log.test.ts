// WBXML as text in client logs. fixtures/tbsync.log is modelled on EAS-4-TbSync's debug log: its
// network code logs each body with TbSync.dump("WBXML: " + what, "\n" + bytes), the bytes as
// charCodeAt(i).toString(16) joined by spaces (hence unpadded "3 1 6a 0"), `what` being
// "Sending data" or "Receiving data" (github.com/jobisoft/EAS-4-TbSync, content/includes/network.js).
// The second pair is written as other tools do: padded hex over two lines, and base64.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exchangeFacts, readCapture } from '../../src/captures/index.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST, blobOf, bytesOf } from './helpers.js';

const text = readFileSync(join(import.meta.dirname, 'fixtures/tbsync.log'), 'utf8');

describe('hex and base64 WBXML in text logs', () => {
  it('pairs what was sent with what was received, in every written form', async () => {
    const result = await readCapture('tbsync.log', blobOf(text));
    expect(result).toMatchObject({ format: 'hex-log', problems: [], otherRequests: 0 });
    expect(result.exchanges).toHaveLength(2);
    const [first, second] = result.exchanges;
    expect(bytesOf(first!.request)).toEqual(FOLDER_SYNC_REQUEST);
    expect(bytesOf(first!.response)).toEqual(FOLDER_SYNC_142);
    expect(bytesOf(second!.request)).toEqual(FOLDER_SYNC_REQUEST);
    expect(bytesOf(second!.response)).toEqual(FOLDER_SYNC_OK);
    expect(first!.command).toBe('FolderSync');
    // The stamp on the line before the bodies; a time without a zone is read as UTC.
    expect([first!.startedAt, second!.startedAt]).toEqual([Date.parse('2023-11-02T09:14:03.225Z'), Date.parse('2023-11-02T09:14:04.010Z')]);
    expect(exchangeFacts(first!)).toMatchObject({ command: 'FolderSync', statusName: '142 DeviceNotProvisioned' });
  });

  it('leaves a response the log calls received on its own when no request came before', async () => {
    const result = await readCapture('x.log', blobOf('Receiving data\n3 1 6a 0 0 7 56 4c 3 31 34 32 0 1 1\n'));
    expect(result.exchanges).toHaveLength(1);
    expect(result.exchanges[0]!.request).toMatchObject({ kind: 'missing' });
    expect(bytesOf(result.exchanges[0]!.response)).toEqual(FOLDER_SYNC_142);
  });

  it('reads hostile lines in linear time (no regular expression backtracking)', async () => {
    const hostile = `Sending data\n3 1 6a 0 0 7 56 52 3 30 0 1 1\n${'ab'.repeat(50_000)}g\n${'3 1 6a 0 '.repeat(20_000)}zz\n`;
    const result = await readCapture('hostile.log', blobOf(hostile));
    expect(result.exchanges.length).toBeGreaterThanOrEqual(1);
    expect(bytesOf(result.exchanges[0]!.request)).toEqual(FOLDER_SYNC_REQUEST);
  });

  it('says so when a text holds no ActiveSync WBXML', async () => {
    const result = await readCapture('readme.txt', blobOf('just words, 3 1 6b 0 and 0x0301 nothing more\n'));
    expect(result).toMatchObject({ format: undefined, exchanges: [], problems: [{ file: 'readme.txt', where: 'the whole file', message: expect.stringMatching(/no ActiveSync WBXML/) }] });
  });
});
