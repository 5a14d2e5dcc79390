// Reading untyped data (messages between the extension's parts, stored settings, imported files,
// DevTools' HAR entries) starts with the same question.

/** A plain object (not null, not an array): its fields can be read one by one and checked. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
