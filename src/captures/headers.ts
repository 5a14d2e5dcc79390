// Header lists as captures give them: ordered, repeated names allowed, looked up without case.
import type { CaptureHeader } from './types.js';

export function headerValue(headers: readonly CaptureHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const h of headers) if (h.name.toLowerCase() === lower) return h.value;
  return undefined;
}
