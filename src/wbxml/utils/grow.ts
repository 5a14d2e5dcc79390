// Byte buffers: growing one, copying out of one.

/**
 * A buffer with room for `needed` bytes, keeping the first `used`: the same one if it is big
 * enough, else a copy at least twice the size (so that appending costs amortised O(1)).
 */
export function grow(buffer: Uint8Array<ArrayBuffer>, used: number, needed: number, cap = Infinity): Uint8Array<ArrayBuffer> {
  if (needed <= buffer.length) return buffer;
  let size = Math.max(buffer.length * 2, 64);
  while (size < needed) size *= 2;
  // Doubling past a limit would allocate up to twice what the caller may ever use.
  size = Math.max(needed, Math.min(size, cap));
  const bigger = new Uint8Array(size);
  bigger.set(buffer.subarray(0, used));
  return bigger;
}

/**
 * A copy of `bytes[start, end)` as a plain Uint8Array. Not `bytes.slice()`: on a Node Buffer that
 * is a view sharing memory, and the tree must neither keep the whole input alive nor change with it.
 */
export function copyOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}
