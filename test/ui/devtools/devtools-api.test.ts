import { describe, expect, it } from 'vitest';
import { watchRequests, type CapturedRequest, type DevtoolsApi, type DevtoolsRequest } from '../../../src/ui/devtools/devtools-api';
import { harEntry } from './fixtures';

function fakeApi(harEntries: DevtoolsRequest[], duringGetHar?: (fire: (r: DevtoolsRequest) => void) => void) {
  const listeners: Array<(r: DevtoolsRequest) => void> = [];
  const fire = (r: DevtoolsRequest) => listeners.forEach((l) => l(r));
  const api: DevtoolsApi = {
    inspectedWindow: { tabId: 7, eval: (_e, cb) => cb('https://mail.contoso.com', undefined) },
    network: {
      onRequestFinished: { addListener: (l) => listeners.push(l), removeListener: (l) => listeners.splice(listeners.indexOf(l), 1) },
      onNavigated: { addListener: () => undefined, removeListener: () => undefined },
      getHAR: (cb) => {
        duringGetHar?.(fire);
        cb({ entries: harEntries });
      },
    },
  };
  return { api, fire, listeners };
}

const withContent = (built: ReturnType<typeof harEntry>): DevtoolsRequest => ({ ...built.entry, getContent: (cb) => cb(built.content, built.second) });

describe('watching devtools.network', () => {
  it('delivers what DevTools already had, then new requests, once each', async () => {
    const early = harEntry({ command: 'Ping', startedDateTime: '2026-03-02T10:00:00.000Z', response: '<Ping xmlns="Ping:"><Status>1</Status></Ping>' });
    const both = harEntry({ command: 'Sync', startedDateTime: '2026-03-02T10:00:01.000Z' });
    const later = harEntry({ command: 'FolderSync', startedDateTime: '2026-03-02T10:00:02.000Z' });
    const { api, fire, listeners } = fakeApi([withContent(early), withContent(both)], (f) => f(withContent(both)));
    const seen: CapturedRequest[] = [];
    const stop = watchRequests(api, (r) => seen.push(r));
    fire(withContent(later));
    expect(seen.map((r) => new URL(r.entry.request.url).searchParams.get('Cmd'))).toEqual(['Sync', 'Ping', 'FolderSync']);
    expect(await seen[1]!.content()).toEqual([early.content, 'base64']);
    stop();
    expect(listeners).toHaveLength(0);
  });

  it('reads the body from the entry when there is no getContent', async () => {
    const built = harEntry({ command: 'Ping', response: '<Ping xmlns="Ping:"><Status>1</Status></Ping>' });
    const entry = { ...built.entry, response: { ...(built.entry.response as object), content: { mimeType: 'application/vnd.ms-sync.wbxml', text: built.content, encoding: 'base64' } } };
    const { api } = fakeApi([entry]);
    const seen: CapturedRequest[] = [];
    watchRequests(api, (r) => seen.push(r));
    expect(await seen[0]!.content()).toEqual([built.content, 'base64']);
  });

  it('skips what is not a HAR entry', () => {
    const { api, fire } = fakeApi([]);
    const seen: CapturedRequest[] = [];
    watchRequests(api, (r) => seen.push(r));
    fire({ nonsense: true });
    expect(seen).toEqual([]);
  });
});
