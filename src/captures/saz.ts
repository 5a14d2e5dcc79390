// Fiddler's SAZ: a zip of raw/NN_c.txt (the request as sent), raw/NN_s.txt (the response as
// received) and raw/NN_m.xml (the session's timers and flags), one NN per session. A
// password-protected SAZ (Fiddler's "Password-Protected SAZ", encrypted by DotNetZip with WinZip
// AES or ZipCrypto) is read with the password in ReadOptions; without it, or with a wrong one,
// the result holds no exchange and one problem whose code says so.
import { absoluteUrl, isActiveSyncTarget } from './activesync-url.js';
import { Progress } from './blob-stream.js';
import { CaptureBuilder } from './capture-builder.js';
import { headerValue } from './headers.js';
import { parseHttpMessage, type HttpMessage } from './http-message.js';
import { MAX_BODY_BYTES } from './limits.js';
import { listZip, readZipEntry, type EntryRead, type ZipEntry } from './zip.js';
import type { CaptureReadResult, ReadOptions } from './types.js';

const SESSION_FILE = /^raw\/(\d+)_([csm])\.(txt|xml)$/i;

interface Session {
  number: number;
  c?: ZipEntry;
  s?: ZipEntry;
  m?: ZipEntry;
}

/** Fiddler writes times with seven decimals and an offset; Date.parse wants at most three. */
function fiddlerTime(xml: string, attribute: string): number | undefined {
  const match = new RegExp(`${attribute}="([^"]+)"`).exec(xml);
  if (!match) return undefined;
  const value = Date.parse(match[1]!.replace(/(\.\d{3})\d+/, '$1'));
  // Fiddler writes 0001-01-01 for a timer that never fired.
  return Number.isNaN(value) || value < 0 ? undefined : value;
}

/** Reads the entries of one SAZ, with its password when it has one, counting what decrypted. */
class Parts {
  decrypted = 0;
  failed = 0;
  private readonly known = new Map<ZipEntry, EntryRead>();

  constructor(
    private readonly blob: Blob,
    private readonly password: string | undefined,
  ) {}

  async read(entry: ZipEntry): Promise<EntryRead> {
    const known = this.known.get(entry);
    if (known) {
      this.known.delete(entry);
      return known;
    }
    const data = await readZipEntry(this.blob, entry, MAX_BODY_BYTES, this.password);
    if (entry.flags & 0x01) {
      if (data.ok) this.decrypted++;
      else this.failed++;
    }
    return data;
  }

  /** Reads an entry ahead of its turn; `read` gives the same result later without reading it again. */
  async probe(entry: ZipEntry): Promise<EntryRead> {
    const data = await this.read(entry);
    this.known.set(entry, data);
    return data;
  }
}

async function readPart(parts: Parts, entry: ZipEntry | undefined, builder: CaptureBuilder): Promise<Uint8Array | undefined> {
  if (!entry) return undefined;
  const data = await parts.read(entry);
  if (!data.ok) {
    builder.problem(entry.name, data.reason);
    return undefined;
  }
  return data.bytes;
}

function checkLength(message: HttpMessage, builder: CaptureBuilder, where: string, noBody: boolean): void {
  if (message.problem !== undefined) builder.problem(where, message.problem);
  const declared = headerValue(message.headers, 'content-length');
  if (noBody || declared === undefined || /chunked/i.test(headerValue(message.headers, 'transfer-encoding') ?? '')) return;
  const length = Number(declared);
  if (Number.isSafeInteger(length) && length > message.wireBodySize) {
    builder.problem(where, `Content-Length says ${length} bytes, the file holds ${message.wireBodySize}: the body is cut short`);
  }
}

export async function readSaz(file: string, blob: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> {
  const builder = new CaptureBuilder(file, 'saz');
  const progress = new Progress(blob.size, options);
  const listing = await listZip(blob);
  for (const p of listing.problems) builder.problem(p.where, p.message);
  const sessions = new Map<number, Session>();
  for (const entry of listing.entries) {
    const match = SESSION_FILE.exec(entry.name);
    if (!match) continue;
    const number = Number(match[1]);
    const session = sessions.get(number) ?? { number };
    session[match[2]!.toLowerCase() as 'c' | 's' | 'm'] = entry;
    sessions.set(number, session);
  }
  if (sessions.size === 0) {
    builder.setFormat(undefined);
    builder.problem(
      'the whole file',
      listing.entries.length === 0 ? 'no zip entries could be read: not a SAZ file, or damaged from its start' : 'a zip without raw/NN_c.txt sessions: not a Fiddler SAZ file',
    );
    return builder.result();
  }
  const parts = new Parts(blob, options.password);
  const encrypted = [...sessions.values()].flatMap((s) => [s.c, s.s, s.m]).filter((e): e is ZipEntry => e !== undefined && (e.flags & 0x01) !== 0);
  if (encrypted.length > 0) {
    if (options.password === undefined) {
      builder.problem('the whole file', 'the SAZ is password-protected: give its password to read it', 'password-missing');
      return builder.result();
    }
    // Two entries tell a wrong password (their verifier or check byte) before the whole file is
    // tried; two, so that one entry damaged just there is not taken for a wrong password.
    let wrong = true;
    for (const entry of encrypted.sort((a, b) => a.offset - b.offset).slice(0, 2)) {
      const read = await parts.probe(entry);
      if (read.ok || read.password !== 'wrong') {
        wrong = false;
        break;
      }
    }
    if (wrong) return wrongPassword(file, listing.problems);
  }
  for (const session of [...sessions.values()].sort((a, b) => a.number - b.number)) {
    progress.at(session.c?.offset ?? 0);
    const requestBytes = await readPart(parts, session.c, builder);
    const request = requestBytes && parseHttpMessage(requestBytes);
    if (!request) {
      // An entry that could not be read is a problem already.
      if (session.c && requestBytes) builder.problem(session.c.name, 'no HTTP request line');
      continue;
    }
    const [method = '', target = ''] = request.startLine.split(/\s+/);
    const url = absoluteUrl(target, headerValue(request.headers, 'host'));
    if (method.toUpperCase() === 'CONNECT' || !isActiveSyncTarget(url)) {
      builder.other();
      continue;
    }
    const responseBytes = await readPart(parts, session.s, builder);
    const response = responseBytes && parseHttpMessage(responseBytes);
    const statusMatch = response && /^HTTP\/\S+\s+(\d{3})\s*(.*)$/i.exec(response.startLine);
    const meta = await readPart(parts, session.m, builder);
    const metaText = meta ? new TextDecoder().decode(meta) : '';
    const begin = fiddlerTime(metaText, 'ClientBeginRequest');
    const done = fiddlerTime(metaText, 'ClientDoneResponse');
    checkLength(request, builder, session.c!.name, false);
    const httpStatus = statusMatch ? Number(statusMatch[1]) : undefined;
    if (response && session.s) checkLength(response, builder, session.s.name, method === 'HEAD' || httpStatus === 204 || httpStatus === 304);
    builder.add({
      startedAt: begin,
      durationMs: begin !== undefined && done !== undefined ? done - begin : undefined,
      method,
      url,
      requestHeaders: request.headers,
      responseHeaders: response?.headers ?? [],
      httpStatus,
      httpStatusText: statusMatch?.[2]?.trim() ?? '',
      request: request.body,
      response: response
        ? response.body
        : { kind: 'missing', reason: session.s ? `${session.s.name} could not be read` : 'Fiddler saved no response for this session (aborted, or still running)' },
    });
  }
  progress.at(blob.size, true);
  // Not one entry decrypted: a wrong password (one that passed the verifier by chance), not damage everywhere.
  if (parts.failed > 0 && parts.decrypted === 0) return wrongPassword(file, listing.problems);
  return builder.result();
}

function wrongPassword(file: string, listingProblems: ReadonlyArray<{ where: string; message: string }>): CaptureReadResult {
  const builder = new CaptureBuilder(file, 'saz');
  for (const p of listingProblems) builder.problem(p.where, p.message);
  builder.problem('the whole file', 'the password is wrong: no entry of the SAZ could be decrypted with it', 'password-wrong');
  return builder.result();
}
