// The record of every HTTP exchange, for the CLI's printout and the UI's trace view. It is built
// only from redacted headers, so the password can never reach it.

export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

export interface TraceBody {
  byteLength: number;
  contentType?: string;
  /** The raw bytes, so a viewer can decode them itself. */
  base64?: string;
  /** The WBXML body decoded to XML. */
  xml?: string;
  /** A body that is text but not WBXML (an HTML error page, a 2.5 policy), cut to a readable size. */
  text?: string;
  /** Why a body that should be WBXML could not be decoded, and where. */
  decodeError?: { message: string; offset?: number };
}

export interface TraceStep {
  /** What the step was for, e.g. "Provision: policy request (phase 1)". */
  step: string;
  startedAt: string;
  durationMs: number;
  request: { method: string; url: string; headers: HeaderList; body?: TraceBody };
  response?: { status: number; statusText: string; headers: HeaderList; body?: TraceBody };
  error?: { kind: string; message: string };
  /** Plain-words readings of what came back: "HTTP 449: provision first", "Policy Status 5: …". */
  notes: string[];
}

export const REDACTED_AUTHORIZATION = 'Basic [redacted]';

const secretHeaders = new Set(['authorization', 'proxy-authorization']);

/** Header pairs with credentials replaced; the scheme stays visible so users see Basic was sent. */
export function redactHeaders(headers: Iterable<readonly [string, string]>): HeaderList {
  return Array.from(headers, ([name, value]) => (secretHeaders.has(name.toLowerCase()) ? ([name, `${value.split(' ')[0] ?? 'Basic'} [redacted]`] as const) : ([name, value] as const)));
}

export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}
