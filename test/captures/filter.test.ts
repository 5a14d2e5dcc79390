// The panel's filter words on captures.
import { describe, expect, it } from 'vitest';
import { exchangeFacts, matchesFilter, parseFilterWords, type CaptureExchange } from '../../src/captures/index.js';
import { FOLDER_SYNC_142, FOLDER_SYNC_OK, FOLDER_SYNC_REQUEST } from './helpers.js';

const ex = (cmd: string, http: number, response: Uint8Array): CaptureExchange => ({
  file: 'f',
  index: 1,
  format: 'har',
  startedAt: undefined,
  durationMs: undefined,
  method: 'POST',
  url: `https://h/Microsoft-Server-ActiveSync?Cmd=${cmd}&User=u&DeviceId=d&DeviceType=t`,
  requestHeaders: [],
  responseHeaders: [],
  httpStatus: http,
  httpStatusText: '',
  request: { kind: 'bytes', bytes: FOLDER_SYNC_REQUEST },
  response: { kind: 'bytes', bytes: response },
});

describe('filters', () => {
  const failed = ex('FolderSync', 200, FOLDER_SYNC_142);
  const ok = ex('FolderSync', 200, FOLDER_SYNC_OK);
  const retry = ex('Sync', 449, FOLDER_SYNC_142);
  const pass = (e: CaptureExchange, ...words: string[]): boolean => matchesFilter(e, exchangeFacts(e), parseFilterWords(words));

  it('reads the words as the panel filters', () => {
    expect(parseFilterWords(['problems', 'cmd:Sync', 'SyncKey', '0'])).toEqual({ command: 'Sync', status: 'problems', search: 'SyncKey 0' });
    expect(parseFilterWords(['status:142'])).toEqual({ command: '', status: 'status:142', search: '' });
  });

  it('filters by command, HTTP status, protocol Status, problems and text in the decoded bodies', () => {
    expect([failed, ok, retry].map((e) => pass(e, 'problems'))).toEqual([true, false, true]);
    expect([failed, ok, retry].map((e) => pass(e, 'http:449'))).toEqual([false, false, true]);
    expect([failed, ok, retry].map((e) => pass(e, 'status:142'))).toEqual([true, false, true]);
    expect([failed, ok, retry].map((e) => pass(e, 'cmd:foldersync'))).toEqual([true, true, false]);
    // "<Status>142" is only in the decoded XML, not in the bytes or the URL.
    expect([failed, ok, retry].map((e) => pass(e, '<status>142'))).toEqual([true, false, true]);
  });
});
