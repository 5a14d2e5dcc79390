// Password-protected Fiddler SAZ files made by real tools (7-Zip's WinZip AES-128/192/256 and
// ZipCrypto, Info-ZIP's ZipCrypto; helpers/encrypted-saz.ts), read by the SAZ reader and by
// `owa-inspector inspect`: the bodies must be the bytes put in, exactly as from the same SAZ
// without a password, and their XML what libwbxml's wbxml2xml makes of them. A wrong password,
// no password and a damaged entry must each be a clear problem, never garbage bodies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { zipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture, type CaptureExchange, type CaptureReadResult } from '../../src/captures/index.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST } from '../captures/helpers.js';
import { request, response, saz } from '../captures/saz-fixture.js';
import { asAe1, encryptedSaz, entryData, requireZipTools, type Encryption } from './helpers/encrypted-saz.js';
import { wbxml2xml, xml2wbxml } from './libwbxml.js';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist', 'cli.mjs');
const PASSWORD = 'Fiddler-Saz-2024';
const DOCTYPE = '<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">';

/** Text that deflate cannot shrink much, from a fixed seed: the Sync response's ciphertext passes 64 kB. */
function noise(length: number, seed: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += letters[(state >>> 16) % letters.length];
  }
  return out;
}

/** A Sync response with 400 mails, encoded by libwbxml's xml2wbxml (not our encoder). */
function bigSyncResponse(): Uint8Array {
  const adds = Array.from(
    { length: 400 },
    (_, i) => `<Add><ServerId>1:${i + 1}</ServerId><ApplicationData><Subject xmlns="Email:">${noise(300, i + 1)}</Subject></ApplicationData></Add>`,
  ).join('');
  const xml = `<?xml version="1.0"?>\n${DOCTYPE}\n<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>2</SyncKey><CollectionId>1</CollectionId><Status>1</Status><Commands>${adds}</Commands></Collection></Collections></Sync>\n`;
  return xml2wbxml(xml, false);
}

const SYNC_REQUEST_XML = `<?xml version="1.0"?>\n${DOCTYPE}\n<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>1</SyncKey><CollectionId>1</CollectionId></Collection></Collections></Sync>\n`;

let dir = '';
let files: Record<string, Uint8Array> = {};
let syncRequest: Uint8Array = new Uint8Array();
let syncResponse: Uint8Array = new Uint8Array();
let plain: CaptureReadResult;
const made = new Map<Encryption, Uint8Array<ArrayBuffer>>();

function sazWith(encryption: Encryption): Uint8Array<ArrayBuffer> {
  let bytes = made.get(encryption);
  if (!bytes) {
    bytes = encryptedSaz(files, encryption, PASSWORD);
    made.set(encryption, bytes);
  }
  return bytes;
}

/** What an exchange says, without the file's name. */
const seen = (e: CaptureExchange) => ({ ...e, file: '' });

const bytesOf = (e: CaptureExchange | undefined, side: 'request' | 'response'): Uint8Array | undefined => (e?.[side].kind === 'bytes' ? e[side].bytes : undefined);

/** Element names (local) and text in document order: what two XML writers must agree on. */
function shape(xml: string): string[] {
  const out: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => out.push(`<${tag.local}>`));
  parser.on('text', (text) => {
    if (text.trim() !== '') out.push(text.trim());
  });
  parser.write(xml).close();
  return out;
}

function runCli(args: string[], env: Record<string, string> = {}, input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'inspect', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OWA_INSPECTOR_SAZ_PASSWORD: '', ...env },
    ...(input !== undefined ? { input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  requireZipTools();
  dir = mkdtempSync(join(tmpdir(), 'owa-saz-password-test-'));
  syncRequest = xml2wbxml(SYNC_REQUEST_XML, false);
  syncResponse = bigSyncResponse();
  files = {
    ...saz(),
    'raw/05_c.txt': request(syncRequest),
    'raw/05_s.txt': response('200 OK', `Content-Length: ${syncResponse.length}\r\n`, syncResponse),
  };
  // The request line says FolderSync (saz-fixture's URL); the body is a Sync: enough for the bytes.
  plain = await readCapture('plain.saz', new Blob([zipSync(files)]));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a password-protected SAZ made by a real zip tool', () => {
  it('the SAZ without a password holds the bytes put in (the reference for the others)', () => {
    expect(plain).toMatchObject({ format: 'saz', otherRequests: 1, problems: [] });
    expect(plain.exchanges.map((e) => [bytesOf(e, 'request'), bytesOf(e, 'response')])).toEqual([
      [FOLDER_SYNC_REQUEST, FOLDER_SYNC_142],
      [FOLDER_SYNC_REQUEST, FOLDER_SYNC_OK],
      [FOLDER_SYNC_REQUEST, FOLDER_SYNC_OK],
      [syncRequest, syncResponse],
    ]);
    expect(syncResponse.length).toBeGreaterThan(100_000);
  });

  it.each<Encryption>(['AES256', 'AES192', 'AES128', 'ZipCrypto', 'Info-ZIP'])('%s with the right password: every exchange as from the SAZ without one', async (encryption) => {
    const file = sazWith(encryption);
    if (encryption === 'Info-ZIP' || encryption === 'ZipCrypto') expect(file.subarray(0, 4)).toEqual(Uint8Array.of(0x50, 0x4b, 0x03, 0x04));
    const result = await readCapture('locked.saz', new Blob([file]), { password: PASSWORD });
    expect(result).toMatchObject({ format: 'saz', otherRequests: 1, problems: [] });
    expect(result.exchanges.map(seen)).toEqual(plain.exchanges.map(seen));
    // libwbxml reads the decrypted body as the body put in: 400 mails, the last one's subject whole.
    const xml = wbxml2xml(bytesOf(result.exchanges[3], 'response')!);
    expect(xml.match(/<Add>/g)).toHaveLength(400);
    expect(xml).toContain(noise(300, 400));
  });

  it.each<Encryption>(['AES256', 'AES128', 'ZipCrypto', 'Info-ZIP'])('%s with a wrong password: one clear problem, no exchange', async (encryption) => {
    const result = await readCapture('locked.saz', new Blob([sazWith(encryption)]), { password: 'not-the-password' });
    expect(result.exchanges).toEqual([]);
    expect(result.problems).toEqual([
      { file: 'locked.saz', where: 'the whole file', message: 'the password is wrong: no entry of the SAZ could be decrypted with it', code: 'password-wrong' },
    ]);
  });

  it('without a password: one problem asking for it, no exchange', async () => {
    const result = await readCapture('locked.saz', new Blob([sazWith('AES256')]));
    expect(result).toMatchObject({ format: 'saz', exchanges: [] });
    expect(result.problems).toEqual([{ file: 'locked.saz', where: 'the whole file', message: 'the SAZ is password-protected: give its password to read it', code: 'password-missing' }]);
  });

  it('a password with letters beyond ASCII (Info-ZIP in a UTF-8 locale takes its UTF-8 bytes)', async () => {
    const file = encryptedSaz(files, 'Info-ZIP', 'Pässwörd-ÉÀ');
    const result = await readCapture('umlaut.saz', new Blob([file]), { password: 'Pässwörd-ÉÀ' });
    expect(result.problems).toEqual([]);
    expect(result.exchanges.map(seen)).toEqual(plain.exchanges.map(seen));
  });

  it.each<[Encryption, RegExp]>([
    ['AES256', /^the authentication code \(HMAC-SHA1\) does not match: the entry is damaged/],
    ['ZipCrypto', /CRC-32 of the decrypted data does not match|deflate data is damaged|check byte of the encryption header does not match/],
  ])('%s with one byte of an entry changed: a problem naming that entry, the other sessions read', async (encryption, message) => {
    const file = sazWith(encryption).slice();
    const { start, end } = entryData(file, 'raw/05_s.txt');
    file[Math.floor((start + end) / 2)]! ^= 0x01;
    const result = await readCapture('damaged.saz', new Blob([file]), { password: PASSWORD });
    expect(result.problems).toEqual([{ file: 'damaged.saz', where: 'raw/05_s.txt', message: expect.stringMatching(message) }]);
    expect(result.exchanges.map((e) => e.response.kind)).toEqual(['bytes', 'bytes', 'bytes', 'missing']);
    expect(result.exchanges.slice(0, 3).map(seen)).toEqual(plain.exchanges.slice(0, 3).map(seen));
    expect(bytesOf(result.exchanges[3], 'request')).toEqual(syncRequest);
  });
});

it('AES256 with the password verifier of the first entry changed: that entry is a problem, not the password', async () => {
  const file = sazWith('AES256').slice();
  const first = ['raw/01_c.txt', 'raw/01_s.txt', 'raw/02_c.txt'].map((name) => ({ name, ...entryData(file, name) })).sort((a, b) => a.start - b.start)[0]!;
  // Salt (16 bytes for AES-256), then the 2-byte verifier.
  file[first.start + 16]! ^= 0xff;
  const result = await readCapture('verifier.saz', new Blob([file]), { password: PASSWORD });
  expect(result.problems).toEqual([{ file: 'verifier.saz', where: first.name, message: expect.stringMatching(/^the password verifier does not match/) }]);
  expect(result.exchanges.length).toBeGreaterThanOrEqual(3);
});

describe('AE-1 (WinZip keeps the CRC-32 besides the authentication code)', () => {
  it('an AE-1 entry whose CRC matches is read; one whose CRC does not is a problem naming it', async () => {
    // 7-Zip writes AE-2: its file with the version and the CRCs of AE-1 (node:zlib's crc32) written in.
    const ae1 = asAe1(sazWith('AES256'), (name) => crc32(files[name] ?? new Uint8Array()));
    const result = await readCapture('ae1.saz', new Blob([ae1]), { password: PASSWORD });
    expect(result.problems).toEqual([]);
    expect(result.exchanges.map(seen)).toEqual(plain.exchanges.map(seen));
    const wrong = asAe1(sazWith('AES256'), (name) => crc32(files[name] ?? new Uint8Array()) ^ (name === 'raw/02_s.txt' ? 1 : 0));
    const damaged = await readCapture('ae1.saz', new Blob([wrong]), { password: PASSWORD });
    expect(damaged.problems).toEqual([{ file: 'ae1.saz', where: 'raw/02_s.txt', message: expect.stringMatching(/^the CRC-32 of the decrypted data does not match/) }]);
    expect(damaged.exchanges.map((e) => e.response.kind)).toEqual(['missing', 'bytes', 'bytes', 'bytes']);
  });
});

describe('owa-inspector inspect on a password-protected SAZ', () => {
  let locked = '';
  beforeAll(() => {
    locked = join(dir, 'locked.saz');
    writeFileSync(locked, sazWith('AES256'));
  });

  it('without the password: says how to give it, exit 1', () => {
    const { status, stdout, stderr } = runCli([locked]);
    expect(status).toBe(1);
    expect(stderr).toBe(
      `owa-inspector inspect: ${locked}: the whole file: the SAZ is password-protected: give its password with --password-stdin (a pipe; a terminal gets a prompt without echo) or the OWA_INSPECTOR_SAZ_PASSWORD environment variable\n`,
    );
    expect(stdout).toBe(`== ${locked}: Fiddler SAZ, 0 ActiveSync exchanges, 0 other requests\n`);
  });

  it('with the password in OWA_INSPECTOR_SAZ_PASSWORD: the XML libwbxml gives', () => {
    const { status, stdout, stderr } = runCli(['--json', locked], { OWA_INSPECTOR_SAZ_PASSWORD: PASSWORD });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const list = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(list.map((e) => [e.index, e.httpStatus, e.status])).toEqual([
      [1, 449, 142],
      [2, 200, 1],
      [3, 200, 1],
      [4, 200, 1],
    ]);
    const sent = plain.exchanges.map((e) => [bytesOf(e, 'request')!, bytesOf(e, 'response')!] as const);
    list.forEach((e, i) => {
      expect(shape(e.requestXml as string), `request ${i + 1}`).toEqual(shape(wbxml2xml(sent[i]![0])));
      expect(shape(e.responseXml as string), `response ${i + 1}`).toEqual(shape(wbxml2xml(sent[i]![1])));
    });
    expect(stdout).not.toContain(PASSWORD);
  });

  it('with --password-stdin from a pipe: lists the exchanges', () => {
    const { status, stdout, stderr } = runCli(['--password-stdin', locked], {}, `${PASSWORD}\n`);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`== ${locked}: Fiddler SAZ, 4 ActiveSync exchanges, 1 other request`);
  });

  it('with a wrong password: says it is wrong without printing it, exit 1', () => {
    const { status, stdout, stderr } = runCli([locked], { OWA_INSPECTOR_SAZ_PASSWORD: 'wrong-guess-123' });
    expect(status).toBe(1);
    expect(stderr).toBe(`owa-inspector inspect: ${locked}: the whole file: the password in OWA_INSPECTOR_SAZ_PASSWORD is wrong: no entry of the SAZ could be decrypted with it\n`);
    expect(stdout + stderr).not.toContain('wrong-guess-123');
  });

  it('refuses --password on the command line (exit 2) without repeating it, and --password-stdin with FILE -', () => {
    const refused = runCli(['--password', 'secret-on-argv', locked]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--password is not taken: a password on the command line is visible/);
    expect(refused.stderr).toContain('OWA_INSPECTOR_SAZ_PASSWORD');
    expect(refused.stdout + refused.stderr).not.toContain('secret-on-argv');
    const both = runCli(['--password-stdin', '-'], {}, '');
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--password-stdin and FILE - both read standard input/);
  });
});
