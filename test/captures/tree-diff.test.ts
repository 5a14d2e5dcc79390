// The diff of two decoded bodies: trees built with the codec's element() helper, so the expected
// paths are written from the XML one reads, not from the diff's output.
import { describe, expect, it } from 'vitest';
import { diffExchanges, diffTrees, type CaptureExchange } from '../../src/captures/index.js';
import { element } from '../../src/wbxml/index.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST } from './helpers.js';

const sync = (key: string, collections: Array<[id: string, syncKey: string]>) =>
  element(
    'AirSync:Sync',
    element('AirSync:Collections', ...collections.map(([id, k]) => element('AirSync:Collection', element('AirSync:SyncKey', k), element('AirSync:CollectionId', id)))),
    element('AirSync:Limit', key),
  );

describe('diffTrees', () => {
  it('matches collections by CollectionId whatever their order, and names what changed', () => {
    const a = sync('1', [
      ['5', '10'],
      ['6', '20'],
    ]);
    const b = sync('2', [
      ['6', '20'],
      ['5', '11'],
      ['7', '0'],
    ]);
    expect(diffTrees(a, b)).toEqual([
      { path: 'Sync/Collections/Collection[CollectionId=5]/SyncKey', kind: 'changed', before: '10', after: '11' },
      { path: 'Sync/Collections/Collection[CollectionId=7]', kind: 'added', after: '(2 children)' },
      { path: 'Sync/Limit', kind: 'changed', before: '1', after: '2' },
    ]);
    expect(diffTrees(a, a)).toEqual([]);
  });

  it('numbers same-named siblings without a key, and says when the roots differ', () => {
    const a = element('FolderHierarchy:FolderSync', element('FolderHierarchy:SyncKey', '0'));
    const b = element('FolderHierarchy:FolderSync', element('FolderHierarchy:SyncKey', '0'), element('FolderHierarchy:SyncKey', '1'));
    expect(diffTrees(a, b)).toEqual([
      { path: 'FolderSync/SyncKey', kind: 'removed', before: '0' },
      { path: 'FolderSync/SyncKey[1]', kind: 'added', after: '0' },
      { path: 'FolderSync/SyncKey[2]', kind: 'added', after: '1' },
    ]);
    expect(diffTrees(a, element('Ping:Ping'))).toEqual([{ path: '', kind: 'changed', before: '<FolderHierarchy:FolderSync>', after: '<Ping:Ping>' }]);
  });
});

describe('diffExchanges', () => {
  const base: CaptureExchange = {
    file: 'a',
    index: 1,
    format: 'har',
    startedAt: undefined,
    durationMs: undefined,
    method: 'POST',
    url: '',
    requestHeaders: [],
    responseHeaders: [],
    httpStatus: 200,
    httpStatusText: '',
    request: { kind: 'bytes', bytes: FOLDER_SYNC_REQUEST },
    response: { kind: 'bytes', bytes: FOLDER_SYNC_142 },
  };

  it('compares decoded WBXML with a mailbox log XML body, and says which side could not be read', () => {
    const other: CaptureExchange = {
      ...base,
      request: { kind: 'xml', xml: '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>' },
      response: { kind: 'bytes', bytes: FOLDER_SYNC_OK },
    };
    expect(diffExchanges(base, other)).toEqual({
      request: [],
      response: [
        { path: 'FolderSync/Status', kind: 'changed', before: '142', after: '1' },
        { path: 'FolderSync/SyncKey', kind: 'added', after: '1' },
      ],
    });
    const missing = diffExchanges(base, { ...other, response: { kind: 'missing', reason: 'not captured' } });
    expect(missing.responseNote).toBe('second: not captured');
  });
});
