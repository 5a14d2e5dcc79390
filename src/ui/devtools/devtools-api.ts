// The panel's view of chrome.devtools (Chrome) / browser.devtools (Firefox): the few calls it
// makes, typed here so that tests can hand the panel a stand-in (see test/e2e).
import { parseHarEntry, type HarEntry } from './model/har';

/** Calls back (content, second): Chrome's second is the encoding, Firefox's the MIME type. */
export type GetContent = (callback: (content: string | null, second: string | null) => void) => void;

export interface DevtoolsRequest {
  getContent?: GetContent;
  [field: string]: unknown;
}

export interface DevtoolsApi {
  inspectedWindow: {
    tabId: number;
    eval(expression: string, callback: (result: unknown, exception: unknown) => void): void;
  };
  network: {
    onRequestFinished: {
      addListener(listener: (request: DevtoolsRequest) => void): void;
      removeListener(listener: (request: DevtoolsRequest) => void): void;
    };
    getHAR(callback: (log: { entries?: DevtoolsRequest[] }) => void): void;
    onNavigated: {
      addListener(listener: (url: string) => void): void;
      removeListener(listener: (url: string) => void): void;
    };
  };
}

/** The devtools API when the page runs as a DevTools panel, else null (opened in a tab). */
export function devtoolsApi(): DevtoolsApi | null {
  const g = globalThis as unknown as { chrome?: { devtools?: DevtoolsApi } };
  const api = g.chrome?.devtools;
  return api && api.network && api.inspectedWindow ? api : null;
}

export interface CapturedRequest {
  entry: HarEntry;
  /** Fetches the response body; resolves [content, second] (see GetContent). */
  content(): Promise<[string | null, string | null]>;
}

function captured(request: DevtoolsRequest): CapturedRequest | null {
  const entry = parseHarEntry(request);
  if (!entry) return null;
  return {
    entry,
    content: () =>
      new Promise((resolve) => {
        if (typeof request.getContent !== 'function') {
          resolve([entry.response.content.text ?? null, entry.response.content.encoding ?? null]);
          return;
        }
        try {
          request.getContent((content, second) => resolve([content ?? null, second ?? null]));
        } catch {
          resolve([null, null]);
        }
      }),
  };
}

/**
 * Calls `onRequest` for every request of the inspected tab: first those DevTools already has
 * (the panel page loads only when first shown), then each one as it finishes. Returns a stop
 * function.
 */
export function watchRequests(api: DevtoolsApi, onRequest: (request: CapturedRequest) => void): () => void {
  // A request finishing while getHAR runs can come both ways: those seen first as events are
  // skipped in the HAR log. (Two requests never share start time, method and URL in practice.)
  const early = new Set<string>();
  let harDone = false;
  const key = (entry: HarEntry): string => `${entry.startedDateTime}|${entry.request.method}|${entry.request.url}`;
  const onFinished = (request: DevtoolsRequest): void => {
    const item = captured(request);
    if (!item) return;
    if (!harDone) early.add(key(item.entry));
    onRequest(item);
  };
  api.network.onRequestFinished.addListener(onFinished);
  try {
    api.network.getHAR((log) => {
      for (const request of log?.entries ?? []) {
        const item = captured(request);
        if (item && !early.has(key(item.entry))) onRequest(item);
      }
      harDone = true;
      early.clear();
    });
  } catch {
    // getHAR is optional for the panel: new requests still arrive.
    harDone = true;
  }
  return () => api.network.onRequestFinished.removeListener(onFinished);
}

/** Every entry DevTools has now (without bodies). */
export function harEntries(api: DevtoolsApi): Promise<HarEntry[]> {
  return new Promise((resolve) => {
    try {
      api.network.getHAR((log) => resolve((log?.entries ?? []).map((e) => parseHarEntry(e)).filter((e): e is HarEntry => e !== null)));
    } catch {
      resolve([]);
    }
  });
}

/** The inspected page's origin, as the page itself reports it. */
export function inspectedOrigin(api: DevtoolsApi): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      api.inspectedWindow.eval('location.origin', (result, exception) => resolve(!exception && typeof result === 'string' ? result : undefined));
    } catch {
      resolve(undefined);
    }
  });
}
