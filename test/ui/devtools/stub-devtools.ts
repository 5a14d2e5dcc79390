// chrome.devtools as the panel uses it, with ways to finish requests, for the happy-dom tests of
// the whole panel (App).
import type { DevtoolsApi, DevtoolsRequest } from '../../../src/ui/devtools/devtools-api';
import { ORIGIN } from './fixtures';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');

export interface StubDevtools {
  api: DevtoolsApi;
  /** Finishes one request, as DevTools' onRequestFinished does. */
  finish(request: DevtoolsRequest): void;
  /** Finishes `count` Ping requests, one second apart from T0, in the order they started. */
  finishPings(count: number): void;
}

export function stubDevtools(origin: string = ORIGIN): StubDevtools {
  const finished = new Set<(request: DevtoolsRequest) => void>();
  const api: DevtoolsApi = {
    inspectedWindow: { tabId: 7, eval: (_expression, callback) => callback(origin, undefined) },
    network: {
      onRequestFinished: { addListener: (l) => void finished.add(l), removeListener: (l) => void finished.delete(l) },
      getHAR: (callback) => callback({ entries: [] }),
      onNavigated: { addListener: () => undefined, removeListener: () => undefined },
    },
  };
  const finish = (request: DevtoolsRequest): void => {
    for (const l of finished) l(request);
  };
  let n = 0;
  const finishPings = (count: number): void => {
    for (let i = 0; i < count; i++, n++) {
      finish({
        startedDateTime: new Date(T0 + n * 1000).toISOString(),
        time: 1,
        request: { method: 'POST', url: `${origin}/Microsoft-Server-ActiveSync?Cmd=Ping&User=a&DeviceId=D${n}&DeviceType=T`, headers: [] },
        response: { status: 200, statusText: 'OK', headers: [], content: {} },
      });
    }
  };
  return { api, finish, finishPings };
}
