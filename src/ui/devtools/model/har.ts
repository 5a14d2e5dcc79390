// The parts of a HAR 1.2 entry the panel reads, as Chrome's and Firefox's devtools.network hand
// them over, and a validator: entries come from the browser, so they are checked, not trusted.
import { isRecord } from '../../../shared/is-record';

export interface HarHeader {
  name: string;
  value: string;
}

export interface HarCookie {
  name: string;
  value: string;
  [extra: string]: unknown;
}

export interface HarPostData {
  mimeType?: string;
  /** Chrome: the body as a string; see body.ts for how binary bodies arrive. */
  text?: string;
  [extra: string]: unknown;
}

export interface HarContent {
  size?: number;
  mimeType?: string;
  /** Only in getHAR logs and exports; onRequestFinished entries leave it out (getContent gives it). */
  text?: string;
  encoding?: string;
  [extra: string]: unknown;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion?: string;
  headers: HarHeader[];
  cookies?: HarCookie[];
  queryString?: HarHeader[];
  postData?: HarPostData;
  headersSize?: number;
  bodySize?: number;
  [extra: string]: unknown;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion?: string;
  headers: HarHeader[];
  cookies?: HarCookie[];
  content: HarContent;
  redirectURL?: string;
  headersSize?: number;
  bodySize?: number;
  [extra: string]: unknown;
}

export interface HarEntry {
  startedDateTime: string;
  /** Total time of the exchange in ms. */
  time: number;
  request: HarRequest;
  response: HarResponse;
  timings?: Record<string, number>;
  [extra: string]: unknown;
}

function headers(value: unknown): HarHeader[] {
  if (!Array.isArray(value)) return [];
  const out: HarHeader[] = [];
  for (const h of value) {
    if (isRecord(h) && typeof h.name === 'string' && typeof h.value === 'string') out.push({ name: h.name, value: h.value });
  }
  return out;
}

function cookies(value: unknown): HarCookie[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((c): c is HarCookie => isRecord(c) && typeof c.name === 'string' && typeof c.value === 'string');
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * A HAR entry from the browser, or null when it lacks what the panel needs (a request with a
 * method and URL, a response with a status). Copies the fields it knows; the caller keeps the
 * original object for getContent.
 */
export function parseHarEntry(value: unknown): HarEntry | null {
  if (!isRecord(value) || !isRecord(value.request) || !isRecord(value.response)) return null;
  const req = value.request;
  const res = value.response;
  if (typeof req.method !== 'string' || typeof req.url !== 'string') return null;
  const status = num(res.status);
  if (status === undefined) return null;
  const request: HarRequest = { method: req.method, url: req.url, headers: headers(req.headers) };
  const httpVersion = str(req.httpVersion);
  if (httpVersion !== undefined) request.httpVersion = httpVersion;
  const reqCookies = cookies(req.cookies);
  if (reqCookies) request.cookies = reqCookies;
  if (Array.isArray(req.queryString)) request.queryString = headers(req.queryString);
  if (isRecord(req.postData)) {
    const postData: HarPostData = {};
    const mimeType = str(req.postData.mimeType);
    const text = str(req.postData.text);
    if (mimeType !== undefined) postData.mimeType = mimeType;
    if (text !== undefined) postData.text = text;
    request.postData = postData;
  }
  const reqHeadersSize = num(req.headersSize);
  if (reqHeadersSize !== undefined) request.headersSize = reqHeadersSize;
  const reqBodySize = num(req.bodySize);
  if (reqBodySize !== undefined) request.bodySize = reqBodySize;

  const content: HarContent = {};
  if (isRecord(res.content)) {
    const size = num(res.content.size);
    const mimeType = str(res.content.mimeType);
    const text = str(res.content.text);
    const encoding = str(res.content.encoding);
    if (size !== undefined) content.size = size;
    if (mimeType !== undefined) content.mimeType = mimeType;
    if (text !== undefined) content.text = text;
    if (encoding !== undefined) content.encoding = encoding;
  }
  const response: HarResponse = {
    status,
    statusText: str(res.statusText) ?? '',
    headers: headers(res.headers),
    content,
  };
  const resHttpVersion = str(res.httpVersion);
  if (resHttpVersion !== undefined) response.httpVersion = resHttpVersion;
  const resCookies = cookies(res.cookies);
  if (resCookies) response.cookies = resCookies;
  const redirectURL = str(res.redirectURL);
  if (redirectURL !== undefined) response.redirectURL = redirectURL;
  const resHeadersSize = num(res.headersSize);
  if (resHeadersSize !== undefined) response.headersSize = resHeadersSize;
  const resBodySize = num(res.bodySize);
  if (resBodySize !== undefined) response.bodySize = resBodySize;

  const entry: HarEntry = {
    startedDateTime: str(value.startedDateTime) ?? new Date(0).toISOString(),
    time: num(value.time) ?? 0,
    request,
    response,
  };
  if (isRecord(value.timings)) {
    const timings: Record<string, number> = {};
    for (const [key, v] of Object.entries(value.timings)) if (typeof v === 'number') timings[key] = v;
    entry.timings = timings;
  }
  const resourceType = str(value._resourceType);
  if (resourceType !== undefined) entry._resourceType = resourceType;
  return entry;
}

/** The first header with this name (case-insensitive). */
export function header(list: readonly HarHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return list.find((h) => h.name.toLowerCase() === lower)?.value;
}
