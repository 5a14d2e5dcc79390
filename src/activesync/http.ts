// One HTTP exchange with a time-out, recorded as a trace step: the fetch and the timers are the
// caller's, so this runs in the service worker, in Node and under fake timers alike.
import { decode, toXml, WbxmlError, type WbxmlElement } from '../wbxml';
import { toBase64 } from '../shared/base64';
import { decodeUtf8Lossy } from '../wbxml/utils/utf8';
import { ActiveSyncError } from './errors';
import type { HttpRequest } from './request';
import { describeHttpStatus } from './status';
import { redactHeaders, type HeaderList, type TraceBody, type TraceStep } from './trace';

/** The part of the Fetch API's Response this client reads. */
export interface ResponseLike {
  status: number;
  statusText: string;
  type?: string;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface FetchInit {
  method: string;
  headers: Array<[string, string]>;
  /** Backed by a plain ArrayBuffer, which is what the DOM's fetch accepts. */
  body?: Uint8Array<ArrayBuffer>;
  signal: AbortSignal;
  redirect: 'manual';
}

/** `globalThis.fetch` fits as it is (browser and Node); tests pass a fake. */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TransportContext {
  fetch: FetchLike;
  timers: Timers;
  /** Per request, covering the response body too. */
  timeoutMs: number;
  now: () => number;
  signal?: AbortSignal;
}

export interface Exchange {
  step: TraceStep;
  status: number;
  headers: HeaderList;
  body: Uint8Array;
  /** The decoded body, when it was WBXML and decoded cleanly. */
  root?: WbxmlElement;
  decodeError?: { message: string; offset?: number };
}

const TEXT_PREVIEW_CHARS = 2000;

function looksLikeWbxml(bytes: Uint8Array): boolean {
  // Version 1.3 (0x03) and public id 1 (0x01) start every ActiveSync WBXML body.
  return bytes.length >= 4 && bytes[0] === 0x03 && bytes[1] === 0x01;
}

/** The trace view of a body: raw bytes, and XML when it decodes, or readable text when not. */
export function describeBody(bytes: Uint8Array, contentType: string | undefined): { body: TraceBody; root?: WbxmlElement } {
  const body: TraceBody = { byteLength: bytes.length, base64: toBase64(bytes) };
  if (contentType) body.contentType = contentType;
  if (bytes.length === 0) return { body };
  const wbxmlType = contentType?.toLowerCase().includes('vnd.ms-sync.wbxml') ?? false;
  if (wbxmlType || looksLikeWbxml(bytes)) {
    try {
      const { root } = decode(bytes);
      body.xml = toXml(root);
      return { body, root };
    } catch (error) {
      if (!(error instanceof WbxmlError)) throw error;
      body.decodeError = { message: error.message, offset: error.offset };
      return { body };
    }
  }
  const preview = decodeUtf8Lossy(bytes.subarray(0, TEXT_PREVIEW_CHARS * 4));
  body.text = preview.length > TEXT_PREVIEW_CHARS ? `${preview.slice(0, TEXT_PREVIEW_CHARS)}…` : preview;
  return { body };
}

function networkMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  const message = (error as Error).message ?? String(error);
  return detail ? `${message} (${detail})` : message;
}

/**
 * Sends one request and records it. Network failures and time-outs throw an ActiveSyncError
 * whose trace holds this step; every HTTP status is returned for the caller to judge.
 */
export async function exchange(stepName: string, request: HttpRequest, ctx: TransportContext): Promise<Exchange> {
  const started = ctx.now();
  const step: TraceStep = {
    step: stepName,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    request: { method: request.method, url: request.url, headers: redactHeaders(request.headers) },
    notes: [],
  };
  if (request.body) {
    const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    step.request.body = describeBody(request.body, contentType).body;
  }

  const controller = new AbortController();
  let timedOut = false;
  const timer = ctx.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  ctx.signal?.addEventListener('abort', onCallerAbort);

  const fail = (kind: 'network' | 'timeout' | 'aborted' | 'http', message: string, cause?: unknown): never => {
    step.durationMs = ctx.now() - started;
    step.error = { kind, message };
    throw new ActiveSyncError(kind, message, { step: stepName, trace: [step], cause });
  };

  try {
    if (ctx.signal?.aborted) fail('aborted', `${stepName}: cancelled before sending`);
    let response: ResponseLike;
    let bytes: Uint8Array;
    try {
      const init: FetchInit = { method: request.method, headers: request.headers, signal: controller.signal, redirect: 'manual' };
      if (request.body) init.body = new Uint8Array(request.body);
      response = await ctx.fetch(request.url, init);
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (timedOut) return fail('timeout', `${stepName}: no complete answer within ${ctx.timeoutMs / 1000} s`, error);
      if (ctx.signal?.aborted) return fail('aborted', `${stepName}: cancelled`, error);
      return fail('network', `${stepName}: ${networkMessage(error)}`, error);
    }

    const headers: Array<[string, string]> = [];
    response.headers.forEach((value, name) => headers.push([name, value]));
    step.durationMs = ctx.now() - started;
    if (response.type === 'opaqueredirect') {
      step.response = { status: 0, statusText: 'opaque redirect', headers: [] };
      return fail('http', `${stepName}: the server answered with an HTTP redirect (the browser hides its target)`);
    }
    const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    const { body, root } = describeBody(bytes, contentType);
    step.response = { status: response.status, statusText: response.statusText, headers, body };
    if (response.status !== 200) step.notes.push(describeHttpStatus(response.status));

    const result: Exchange = { step, status: response.status, headers, body: bytes };
    if (root) result.root = root;
    if (body.decodeError) result.decodeError = body.decodeError;
    return result;
  } finally {
    ctx.timers.clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onCallerAbort);
  }
}
