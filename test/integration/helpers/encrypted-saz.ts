// Password-protected SAZ files made by real zip tools, not by the code under test: Debian's 7zip
// (7zz: WinZip AES-128/192/256, and ZipCrypto) and Info-ZIP's zip (ZipCrypto). Fiddler writes
// the same two kinds with DotNetZip. Fails (never skips) when a tool is missing, with the
// command that installs it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SEVEN_ZIP_HINT = 'install with: apt-get install -y 7zip';
export const INFO_ZIP_HINT = 'install with: apt-get install -y zip';

export type Encryption = 'AES256' | 'AES192' | 'AES128' | 'ZipCrypto' | 'Info-ZIP';

/** Fails when `7zz` (Debian's 7zip package) or `zip` is missing. */
export function requireZipTools(): void {
  if (spawnSync('sh', ['-c', 'command -v 7zz']).status !== 0) throw new Error(`7zz is missing: ${SEVEN_ZIP_HINT}`);
  if (spawnSync('sh', ['-c', 'command -v zip']).status !== 0) throw new Error(`zip is missing: ${INFO_ZIP_HINT}`);
}

/** A zip of `files` (name → bytes) encrypted with `password` by the real tool, as bytes. */
export function encryptedSaz(files: Readonly<Record<string, Uint8Array>>, encryption: Encryption, password: string): Uint8Array<ArrayBuffer> {
  requireZipTools();
  const dir = mkdtempSync(join(tmpdir(), 'owa-saz-password-'));
  try {
    const source = join(dir, 'source');
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(dirname(join(source, name)), { recursive: true });
      writeFileSync(join(source, name), data);
    }
    const out = join(dir, 'out.saz');
    const [tool, args] = encryption === 'Info-ZIP' ? ['zip', ['-q', '-r', '-P', password, out, '.']] : ['7zz', ['a', '-tzip', `-mem=${encryption}`, `-p${password}`, out, '.']];
    const result = spawnSync(tool, args, { cwd: source, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where the data of entry `name` starts and ends in a zip (from its local header). */
export function entryData(zip: Uint8Array, name: string): { start: number; end: number; header: number } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const wanted = new TextEncoder().encode(name);
  for (let at = 0; at + 30 <= zip.length;) {
    if (view.getUint32(at, true) !== 0x04034b50) break;
    const flags = view.getUint16(at + 6, true);
    const compressed = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const start = at + 30 + nameLength + extraLength;
    const found = zip.subarray(at + 30, at + 30 + nameLength);
    if (found.length === wanted.length && found.every((b, i) => b === wanted[i])) return { start, end: start + compressed, header: at };
    // Info-ZIP writes sizes in the local header too when it adds a data descriptor.
    at = start + compressed + (flags & 0x08 ? (view.getUint32(start + compressed, true) === 0x08074b50 ? 16 : 12) : 0);
  }
  throw new Error(`no entry ${name} in the zip`);
}

/**
 * A copy of a 7-Zip AES zip turned into AE-1, as WinZip writes most files: the 0x9901 fields say
 * version 1 and the CRC-32 fields hold `crc(name)` (AE-2 leaves them 0), in the local headers
 * and the central directory alike. The encrypted data and its authentication code are the tool's.
 */
export function asAe1(zip: Uint8Array, crc: (name: string) => number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer);
  const patch = (at: number, crcAt: number, nameAt: number, nameLength: number, extraAt: number, extraLength: number): void => {
    for (let p = extraAt; p + 4 <= extraAt + extraLength; p += 4 + view.getUint16(p + 2, true)) {
      if (view.getUint16(p, true) !== 0x9901) continue;
      view.setUint16(p + 4, 1, true);
      view.setUint32(crcAt, crc(new TextDecoder().decode(out.subarray(nameAt, nameAt + nameLength))), true);
    }
  };
  for (let at = 0; at + 30 <= out.length && view.getUint32(at, true) === 0x04034b50;) {
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    patch(at, at + 14, at + 30, nameLength, at + 30 + nameLength, extraLength);
    at += 30 + nameLength + extraLength + view.getUint32(at + 18, true);
  }
  let end = out.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  for (let at = view.getUint32(end + 16, true); view.getUint32(at, true) === 0x02014b50;) {
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    patch(at, at + 16, at + 46, nameLength, at + 46 + nameLength, extraLength);
    at += 46 + nameLength + extraLength + view.getUint16(at + 32, true);
  }
  return out;
}
