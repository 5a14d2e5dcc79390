/**
 * A buffer with room for `needed` bytes, keeping the first `used`: the same one if it is big
 * enough, else a copy at least twice the size (so that appending costs amortised O(1)).
 */
export function grow(buffer: Uint8Array<ArrayBuffer>, used: number, needed: number): Uint8Array<ArrayBuffer> {
  if (needed <= buffer.length) return buffer;
  let size = Math.max(buffer.length * 2, 64);
  while (size < needed) size *= 2;
  const bigger = new Uint8Array(size);
  bigger.set(buffer.subarray(0, used));
  return bigger;
}
