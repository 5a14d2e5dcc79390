// Undoing what HTTP did to a body on the way: chunked transfer coding and gzip/deflate content
// coding, with fflate (pure JS, the same in Node and the extension page). Every step has a
// size cap: a zip bomb or a lying chunk size stops with a reason, it does not allocate.
import { Gunzip, Inflate, Unzlib } from 'fflate';
import { MAX_BODY_BYTES } from './limits.js';

export type Decoded = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** Input fed to the inflater at a time: deflate expands at most ~1032×, so the output after each step stays bounded. */
const FEED = 64 * 1024;

/** Inflates gzip, zlib or raw deflate data, stopping once the output passes `cap`. */
export function inflateWith(kind: 'gzip' | 'zlib' | 'raw', data: Uint8Array, cap: number): Decoded {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const ondata = (chunk: Uint8Array): void => {
    total += chunk.length;
    if (total > cap) over = true;
    else parts.push(chunk);
  };
  const stream = kind === 'gzip' ? new Gunzip(ondata) : kind === 'zlib' ? new Unzlib(ondata) : new Inflate(ondata);
  try {
    for (let at = 0; at < data.length && !over; at += FEED) stream.push(data.subarray(at, at + FEED), at + FEED >= data.length);
    if (data.length === 0) stream.push(data, true);
  } catch (error) {
    return { ok: false, reason: `${kind === 'raw' ? 'deflate' : kind} data is damaged (${error instanceof Error ? error.message : String(error)})` };
  }
  if (over) return { ok: false, reason: `inflates to more than ${cap} bytes` };
  return { ok: true, bytes: concat(parts, total) };
}

export function concat(parts: readonly Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Inflates deflate data: zlib-wrapped as RFC 9110 says, or raw as some servers send it. */
export function inflateAny(data: Uint8Array, cap = MAX_BODY_BYTES): Decoded {
  const zlib = (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  return inflateWith(zlib ? 'zlib' : 'raw', data, cap);
}

/** Undoes a Content-Encoding list (applied in order, so undone last first). */
export function decodeContent(bytes: Uint8Array, contentEncoding: string | undefined, cap = MAX_BODY_BYTES): Decoded {
  if (contentEncoding === undefined || bytes.length === 0) return { ok: true, bytes };
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let current = bytes;
  for (const coding of codings.reverse()) {
    let step: Decoded;
    if (coding === 'gzip' || coding === 'x-gzip') step = inflateWith('gzip', current, cap);
    else if (coding === 'deflate') step = inflateAny(current, cap);
    else return { ok: false, reason: `Content-Encoding ${coding} is not supported (gzip and deflate are)` };
    if (!step.ok) return { ok: false, reason: `Content-Encoding ${coding}: ${step.reason}` };
    current = step.bytes;
  }
  return { ok: true, bytes: current };
}

/**
 * Undoes chunked transfer coding. A damaged or cut chunk stream gives back the chunks read so
 * far and says where it stopped.
 */
export function dechunk(data: Uint8Array, cap = MAX_BODY_BYTES): { bytes: Uint8Array; problem?: string } {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  for (;;) {
    let end = at;
    while (end < data.length && data[end] !== 0x0a) end++;
    if (end >= data.length) return { bytes: concat(parts, total), problem: `chunked body ends without its last chunk (at byte ${at} of the body)` };
    const line = new TextDecoder('latin1').decode(data.subarray(at, end)).trim();
    const sizeText = line.split(';', 1)[0]!.trim();
    if (!/^[0-9a-f]{1,16}$/i.test(sizeText)) return { bytes: concat(parts, total), problem: `chunk size ${JSON.stringify(line.slice(0, 20))} is not hex (at byte ${at} of the body)` };
    const size = parseInt(sizeText, 16);
    at = end + 1;
    if (size === 0) return { bytes: concat(parts, total) };
    if (size > data.length - at) {
      parts.push(data.subarray(at));
      return { bytes: concat(parts, total + data.length - at), problem: `chunk claims ${size} bytes, only ${data.length - at} are left (at byte ${at} of the body)` };
    }
    if (total + size > cap) return { bytes: concat(parts, total), problem: `chunked body is larger than ${cap} bytes` };
    parts.push(data.subarray(at, at + size));
    total += size;
    at += size;
    // The CRLF after the chunk's data.
    if (data[at] === 0x0d) at++;
    if (data[at] === 0x0a) at++;
  }
}
