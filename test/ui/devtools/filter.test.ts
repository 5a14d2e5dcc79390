import { describe, expect, it } from 'vitest';
import { DecodeCache } from '../../../src/ui/devtools/model/decoded';
import { filterChoices, filterRecords, matchesSource, NO_FILTER, sourceChoices } from '../../../src/ui/devtools/model/filter';
import { parseHarEntry } from '../../../src/ui/devtools/model/har';
import { recordFromEntry, withResponseContent, type EasRecord } from '../../../src/ui/devtools/model/record';
import { FOLDERSYNC_142, FOLDERSYNC_REQUEST, FOLDERSYNC_RESPONSE, harEntry, PROVISION_REQUEST, PROVISION_RESPONSE, type ExchangeSpec } from './fixtures';

function records(specs: ExchangeSpec[]): EasRecord[] {
  return specs.map((spec, i) => {
    const built = harEntry(spec);
    return withResponseContent(recordFromEntry(i + 1, parseHarEntry(built.entry)!), built.content, built.second);
  });
}

describe('filtering the list', () => {
  const list = records([
    { command: 'FolderSync', request: FOLDERSYNC_REQUEST, response: FOLDERSYNC_142, status: 449 },
    { command: 'Provision', request: PROVISION_REQUEST, response: PROVISION_RESPONSE },
    { command: 'FolderSync', request: FOLDERSYNC_REQUEST, response: FOLDERSYNC_RESPONSE },
  ]);
  const cache = new DecodeCache();
  const text = (r: EasRecord) => cache.searchText(r);
  const ids = (f: Partial<typeof NO_FILTER>) => filterRecords(list, { ...NO_FILTER, ...f }, text).map((r) => r.id);

  it('by command and by status', () => {
    expect(ids({})).toEqual([1, 2, 3]);
    expect(ids({ command: 'FolderSync' })).toEqual([1, 3]);
    expect(ids({ status: 'problems' })).toEqual([1]);
    expect(ids({ status: 'http:200' })).toEqual([2, 3]);
    expect(ids({ status: 'status:142' })).toEqual([1]);
    expect(ids({ command: 'Provision', status: 'status:142' })).toEqual([]);
  });

  it('by text inside the decoded bodies, ignoring case', () => {
    expect(ids({ search: 'entwürfe' })).toEqual([3]);
    expect(ids({ search: 'MS-EAS-Provisioning' })).toEqual([2]);
    expect(ids({ search: '<SyncKey>0</SyncKey>' })).toEqual([1, 3]);
    expect(ids({ search: 'PolicyKey>1307199584' })).toEqual([2]);
    expect(ids({ search: '  ' })).toEqual([1, 2, 3]);
  });

  it('searches the lower-cased XML of both bodies, and asks for it only when the cheap tests pass', () => {
    const asked: number[] = [];
    const spy = (r: EasRecord) => {
      asked.push(r.id);
      return cache.searchText(r);
    };
    expect(filterRecords(list, { ...NO_FILTER, command: 'Provision', search: 'provision' }, spy).map((r) => r.id)).toEqual([2]);
    expect(asked).toEqual([]);
    filterRecords(list, { ...NO_FILTER, command: 'FolderSync', search: 'inbox' }, spy);
    expect(asked).toEqual([1, 3]);
    expect(cache.searchText(list[2]!)).toContain('<displayname>inbox</displayname>');
    expect(cache.searchText(list[2]!)).toContain('<synckey>0</synckey>');
  });

  it('offers the commands and statuses seen', () => {
    expect(filterChoices(list)).toEqual({ commands: ['FolderSync', 'Provision'], httpStatuses: [200, 449], protocolStatuses: [1, 142] });
  });
});

describe('filtering by source', () => {
  const [tab, fromFile, fromExtension, fromOtherFile] = records([
    { command: 'FolderSync', request: FOLDERSYNC_REQUEST, response: FOLDERSYNC_RESPONSE },
    { command: 'Provision', request: PROVISION_REQUEST, response: PROVISION_RESPONSE },
    { command: 'FolderSync', request: FOLDERSYNC_REQUEST, response: FOLDERSYNC_142, status: 449 },
    { command: 'Provision', request: PROVISION_REQUEST, response: PROVISION_RESPONSE },
  ]) as [EasRecord, EasRecord, EasRecord, EasRecord];
  fromFile.source = { kind: 'capture', file: 'phone.saz', index: 1 };
  fromExtension.source = { kind: 'extension', run: 'run-1', step: 'FolderSync' };
  fromOtherFile.source = { kind: 'capture', file: 'a.har', index: 4 };
  const all = [fromFile, fromExtension, tab, fromOtherFile];

  it('keeps the rows of one source: the tab, the extension, or one file', () => {
    const ids = (source: string) => all.filter((r) => matchesSource(r, source)).map((r) => r.id);
    expect(ids('')).toEqual([2, 3, 1, 4]);
    expect(ids('tab')).toEqual([1]);
    expect(ids('extension')).toEqual([3]);
    expect(ids('file:phone.saz')).toEqual([2]);
    expect(ids('file:a.har')).toEqual([4]);
    expect(ids('file:other.har')).toEqual([]);
  });

  it('offers the sources present: the tab, then the extension, then the files as first seen', () => {
    expect(sourceChoices(all)).toEqual(['tab', 'extension', 'file:phone.saz', 'file:a.har']);
    expect(sourceChoices([fromOtherFile, fromOtherFile])).toEqual(['file:a.har']);
    expect(sourceChoices([])).toEqual([]);
  });
});
