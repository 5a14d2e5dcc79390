// Just enough of ZIP (PKWARE APPNOTE 6.3) to read Fiddler's SAZ over a Blob without loading it:
// the central directory when the file is whole, the local headers one after another when it was
// cut (a truncated download keeps the sessions before the cut). Entries are stored or deflated,
// and may be encrypted (WinZip AES or ZipCrypto, zip-crypto.ts) when a password is given; every
// size is checked against the file and MAX_BODY_BYTES before anything is allocated.
import { readRange } from './blob-stream.js';
import { inflateWith } from './content-encoding.js';
import { MAX_BODY_BYTES } from './limits.js';
import { AES_METHOD, aesField, crc32, decryptAes, decryptZipCrypto, type AesField, type Decrypted } from './zip-crypto.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  /** CRC-32 of the uncompressed data (0 when a data descriptor that was not read holds it). */
  crc: number;
  /** The DOS time field: ZipCrypto's check byte is its high byte when a data descriptor follows. */
  time: number;
  /** The WinZip AES extra field of an AES-encrypted entry (method 99). */
  aes?: AesField;
  /** Offset of the local header. */
  offset: number;
  /** Offset of the data, when already known (from a local header). */
  dataOffset?: number;
}

export interface ZipListing {
  entries: ZipEntry[];
  problems: Array<{ where: string; message: string }>;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const END64_LOCATOR = 0x07064b50;
const DESCRIPTOR = 0x08074b50;

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 2 ** 32;

/** What reading one entry gave: its bytes, or why not (`password` when a password is missing or wrong). */
export type EntryRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: string; password?: 'missing' | 'wrong' };

/** Whether the bytes start like a zip file. */
export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && u32(head, 0) === LOCAL;
}

function zip64Extra(extra: Uint8Array, entry: ZipEntry, fromCentral: boolean): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = u16(extra, at);
    const length = u16(extra, at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const end = p + length;
      if (entry.size === 0xffffffff && p + 8 <= end) {
        entry.size = u64(extra, p);
        p += 8;
      }
      if (entry.compressedSize === 0xffffffff && p + 8 <= end) {
        entry.compressedSize = u64(extra, p);
        p += 8;
      }
      if (fromCentral && entry.offset === 0xffffffff && p + 8 <= end) entry.offset = u64(extra, p);
    }
    at += 4 + length;
  }
}

/** What an entry's extra fields add to it: ZIP64 sizes and offset, the WinZip AES field. */
function readExtra(extra: Uint8Array, entry: ZipEntry, fromCentral: boolean): void {
  zip64Extra(extra, entry, fromCentral);
  const aes = aesField(extra);
  if (aes) entry.aes = aes;
}

async function fromCentralDirectory(blob: Blob): Promise<ZipEntry[] | undefined> {
  const tailStart = Math.max(0, blob.size - (65535 + 22 + 20));
  const tail = await readRange(blob, tailStart, blob.size);
  let end = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (u32(tail, at) === END) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  let count = u16(tail, end + 10);
  let size = u32(tail, end + 12);
  let offset = u32(tail, end + 16);
  if (end >= 20 && u32(tail, end - 20) === END64_LOCATOR) {
    const record = await readRange(blob, u64(tail, end - 20 + 8), u64(tail, end - 20 + 8) + 56);
    if (record.length >= 56 && u32(record, 0) === END64) {
      count = u64(record, 32);
      size = u64(record, 40);
      offset = u64(record, 48);
    }
  }
  if (offset + size > blob.size || size > 64 * 1024 * 1024) return undefined;
  const dir = await readRange(blob, offset, offset + size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count && at + 46 <= dir.length; i++) {
    if (u32(dir, at) !== CENTRAL) return undefined;
    const nameLength = u16(dir, at + 28);
    const extraLength = u16(dir, at + 30);
    const commentLength = u16(dir, at + 32);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(dir.subarray(at + 46, at + 46 + nameLength)),
      flags: u16(dir, at + 8),
      method: u16(dir, at + 10),
      compressedSize: u32(dir, at + 20),
      size: u32(dir, at + 24),
      crc: u32(dir, at + 16),
      time: u16(dir, at + 12),
      offset: u32(dir, at + 42),
    };
    readExtra(dir.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry, true);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The data of an entry written with sizes in a trailing data descriptor: up to the descriptor that matches. */
async function findDescriptor(blob: Blob, dataOffset: number): Promise<{ compressedSize: number; size: number; crc: number; next: number } | undefined> {
  const WINDOW = 1024 * 1024;
  for (let start = dataOffset; start < blob.size && start - dataOffset <= MAX_BODY_BYTES; start += WINDOW - 16) {
    const window = await readRange(blob, start, start + WINDOW);
    for (let at = 0; at + 16 <= window.length; at++) {
      if (window[at] !== 0x50 || u32(window, at) !== DESCRIPTOR) continue;
      const compressedSize = u32(window, at + 8);
      if (start + at - dataOffset === compressedSize) return { compressedSize, size: u32(window, at + 12), crc: u32(window, at + 4), next: start + at + 16 };
    }
  }
  return undefined;
}

/** Walks the local headers from the start: what a cut zip still holds. */
async function fromLocalHeaders(blob: Blob, problems: ZipListing['problems']): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 30 <= blob.size) {
    const head = await readRange(blob, at, at + 30 + 1024);
    if (u32(head, 0) !== LOCAL) break;
    const nameLength = u16(head, 26);
    const extraLength = u16(head, 28);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(head.subarray(30, 30 + nameLength)),
      flags: u16(head, 6),
      method: u16(head, 8),
      compressedSize: u32(head, 18),
      size: u32(head, 22),
      crc: u32(head, 14),
      time: u16(head, 10),
      offset: at,
      dataOffset: at + 30 + nameLength + extraLength,
    };
    readExtra(head.subarray(30 + nameLength, 30 + nameLength + extraLength), entry, false);
    let next = entry.dataOffset! + entry.compressedSize;
    if (entry.flags & 0x08 && entry.compressedSize === 0) {
      const descriptor = await findDescriptor(blob, entry.dataOffset!);
      if (!descriptor) {
        problems.push({ where: `${entry.name} (byte ${at})`, message: 'the file is cut inside this entry' });
        break;
      }
      entry.compressedSize = descriptor.compressedSize;
      entry.size = descriptor.size;
      entry.crc = descriptor.crc;
      next = descriptor.next;
    } else if (entry.flags & 0x08) {
      // The sizes are in the header; the descriptor (signature optional) may still hold the CRC.
      const descriptor = await readRange(blob, next, next + 16);
      if (entry.crc === 0 && descriptor.length >= 8) entry.crc = u32(descriptor, 0) === DESCRIPTOR ? u32(descriptor, 4) : u32(descriptor, 0);
      next += u32(descriptor, 0) === DESCRIPTOR ? 16 : 12;
    }
    if (entry.dataOffset! + entry.compressedSize > blob.size) {
      problems.push({
        where: `${entry.name} (byte ${at})`,
        message: `the entry claims ${entry.compressedSize} bytes, but the file ends ${blob.size - entry.dataOffset!} bytes after its start: cut short`,
      });
      break;
    }
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** The entries of a zip, from its central directory or, when that is missing or damaged, its local headers. */
export async function listZip(blob: Blob): Promise<ZipListing> {
  const problems: ZipListing['problems'] = [];
  const central = await fromCentralDirectory(blob).catch(() => undefined);
  if (central) return { entries: central, problems };
  problems.push({ where: 'end of file', message: 'no zip central directory (the file is cut short or damaged); reading the entries one after another' });
  return { entries: await fromLocalHeaders(blob, problems), problems };
}

/**
 * The uncompressed bytes of one entry, or why not. An encrypted entry is decrypted with
 * `password` (kept for this call only); without it, or with a wrong one, `password` says so.
 */
export async function readZipEntry(blob: Blob, entry: ZipEntry, cap = MAX_BODY_BYTES, password?: string): Promise<EntryRead> {
  if (entry.size > cap) return { ok: false, reason: `the entry claims ${entry.size} bytes uncompressed, more than the ${cap} a capture part may have` };
  const encrypted = (entry.flags & 0x01) !== 0;
  if (encrypted && entry.flags & 0x40) return { ok: false, reason: "the entry uses PKWARE's strong encryption, which is not supported (WinZip AES and ZipCrypto are)" };
  let dataOffset = entry.dataOffset;
  let aes = entry.aes;
  if (dataOffset === undefined || (entry.method === AES_METHOD && !aes)) {
    const head = await readRange(blob, entry.offset, entry.offset + 30);
    if (head.length < 30 || u32(head, 0) !== LOCAL) return { ok: false, reason: `no local header at byte ${entry.offset}` };
    const extraStart = entry.offset + 30 + u16(head, 26);
    dataOffset = extraStart + u16(head, 28);
    if (entry.method === AES_METHOD && !aes) aes = aesField(await readRange(blob, extraStart, dataOffset));
  }
  if (entry.method === AES_METHOD && (!encrypted || !aes)) return { ok: false, reason: 'compression method 99 (WinZip AES) without its 0x9901 extra field' };
  const method = aes ? aes.method : entry.method;
  if (method !== 0 && method !== 8) return { ok: false, reason: `compression method ${method} is not supported (stored and deflate are)` };
  if (encrypted && password === undefined) return { ok: false, reason: 'the entry is encrypted (a password-protected SAZ): its password is needed', password: 'missing' };
  if (dataOffset + entry.compressedSize > blob.size) return { ok: false, reason: `the entry's data runs past the end of the file (byte ${blob.size})` };
  let data = await readRange(blob, dataOffset, dataOffset + entry.compressedSize);
  if (encrypted) {
    let decrypted: Decrypted;
    try {
      decrypted = aes ? await decryptAes(data, aes, password!) : decryptZipCrypto(data, password!, [entry.time >>> 8, entry.crc >>> 24]);
    } catch (error) {
      // No WebCrypto, or a key the library refuses: a problem of this entry, not of the reader.
      return { ok: false, reason: `the entry could not be decrypted (${error instanceof Error ? error.message : String(error)})` };
    }
    if (!decrypted.ok) return decrypted.wrongPassword ? { ok: false, reason: decrypted.reason, password: 'wrong' } : { ok: false, reason: decrypted.reason };
    data = decrypted.bytes;
  }
  let bytes = data;
  if (method === 8) {
    const inflated = inflateWith('raw', data, cap);
    // Wrongly decrypted data is rarely valid deflate: damaged or a wrong password, as for the CRC.
    if (!inflated.ok) return { ok: false, reason: `the entry's ${inflated.reason}${encrypted ? ' (after decryption: damaged, or the password is wrong)' : ''}` };
    bytes = inflated.bytes;
  }
  // ZipCrypto and AE-1 keep the CRC (AE-2 leaves it out: the authentication code checked the data).
  if (encrypted && (!aes || aes.version === 1) && crc32(bytes) !== entry.crc) {
    return { ok: false, reason: 'the CRC-32 of the decrypted data does not match: the entry is damaged (or the password is wrong)' };
  }
  return { ok: true, bytes };
}
