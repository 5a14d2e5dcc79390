// Bodies kept as their base64 text until their bytes are wanted. A HAR of 20,000 Sync responses
// is mostly base64, and the list needs of each body only its size and its first Status, which
// is near the start: decoding every body whole before showing the list was a third of the time
// in the browser. The text is checked when read (canonicalBase64Length), so whether a body is
// bytes is decided then, as before; its bytes are decoded when something first reads `bytes`
// (the detail view, the search, an export), once.
import { decodeBase64Ascii } from './base64.js';

interface Pending {
  /** The base64 text (a view of the file's bytes as read), until decoded. */
  base64: Uint8Array | undefined;
  bytes: Uint8Array | undefined;
  length: number;
}

const pending = new WeakMap<object, Pending>();

function decoded(state: Pending): Uint8Array {
  if (state.bytes === undefined) {
    state.bytes = decodeBase64Ascii(state.base64!);
    state.base64 = undefined;
  }
  return state.bytes;
}

/**
 * A `{ kind: 'bytes' }` body whose bytes are decoded from `base64` when first read. `base64` must
 * be canonical (canonicalBase64Length gave `length`). It is kept as it is, a view of the slice of
 * the file it was read in: on the 2-core test machine, writing fresh memory costs about 4 ms per
 * MB (page faults), so copying 150 MB of base64 (or decoding it) cost more than the rest of the
 * reading. The slice then lives as long as one of its bodies is not decoded: memory stays within
 * the file's size plus what was decoded.
 */
export function lazyBase64Body(base64: Uint8Array, length: number): { kind: 'bytes'; bytes: Uint8Array } {
  const state: Pending = { base64, bytes: undefined, length };
  const body = {
    kind: 'bytes' as const,
    get bytes(): Uint8Array {
      return decoded(state);
    },
  };
  pending.set(body, state);
  return body;
}

/** Another object reading the same lazy bytes (the panel's own body type): `target.bytes` must read `source.bytes`. */
export function shareLazyBytes(target: object, source: object): void {
  const state = pending.get(source);
  if (state) pending.set(target, state);
}

/** The number of bytes of a body, without decoding a lazy one. */
export function byteLength(body: { readonly bytes: Uint8Array }): number {
  const state = pending.get(body);
  return state ? state.length : body.bytes.length;
}

/**
 * At least the first `count` bytes of a body (all of them when it has fewer), decoding only
 * those of a lazy one; `whole` says whether that is the whole body.
 */
export function leadingBytes(body: { readonly bytes: Uint8Array }, count: number): { bytes: Uint8Array; whole: boolean } {
  const state = pending.get(body);
  if (state === undefined || state.bytes !== undefined || count >= state.length) return { bytes: body.bytes, whole: true };
  // Whole groups of four characters only, none of them the padded last one.
  return { bytes: decodeBase64Ascii(state.base64!.subarray(0, Math.ceil(count / 3) * 4)), whole: false };
}

/**
 * The base64 text of a lazy body not yet decoded, and its length: what the capture worker posts
 * to the page instead of the body (lazyBase64Body makes it again there). Undefined otherwise.
 */
export function pendingBase64(body: object): { base64: Uint8Array; length: number } | undefined {
  const state = pending.get(body);
  return state?.base64 === undefined ? undefined : { base64: state.base64, length: state.length };
}
