import { describe, expect, it } from 'vitest';
import { parseHarEntry } from '../../../src/ui/devtools/model/har';
import { recordFromEntry, type EasRecord } from '../../../src/ui/devtools/model/record';
import { addRecord, EMPTY_LOG, MAX_RECORDS, updateRecord, type RequestLog } from '../../../src/ui/devtools/model/request-log';
import { ORIGIN } from './fixtures';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');

function ping(id: number, at = T0 + id * 1000): EasRecord {
  const entry = parseHarEntry({
    startedDateTime: new Date(at).toISOString(),
    time: 1,
    request: { method: 'POST', url: `${ORIGIN}/Microsoft-Server-ActiveSync?Cmd=Ping&User=a&DeviceId=D&DeviceType=T`, headers: [] },
    response: { status: 200, statusText: 'OK', headers: [], content: {} },
  });
  return recordFromEntry(id, entry!);
}

const ids = (log: RequestLog) => log.records.map((r) => r.id);

describe('the request log', () => {
  it('is bounded at 5,000 by default', () => {
    expect(MAX_RECORDS).toBe(5000);
    let log = EMPTY_LOG;
    for (let id = 1; id <= MAX_RECORDS + 3; id++) log = addRecord(log, ping(id));
    expect(log.records).toHaveLength(MAX_RECORDS);
    expect(log.dropped).toBe(3);
    expect(log.records[0]!.id).toBe(4);
    expect(log.records.at(-1)!.id).toBe(MAX_RECORDS + 3);
  });

  it('keeps time order and drops the oldest by time, also a late arrival older than all it keeps', () => {
    let log = EMPTY_LOG;
    for (const id of [1, 2, 3]) log = addRecord(log, ping(id), 3);
    log = addRecord(log, ping(4, T0 + 1500), 3);
    expect(ids(log)).toEqual([4, 2, 3]);
    expect(log.dropped).toBe(1);
    log = addRecord(log, ping(5, T0), 3);
    expect(ids(log)).toEqual([4, 2, 3]);
    expect(log.dropped).toBe(2);
  });

  it('updates a record in place, and leaves the log alone when that record was dropped', () => {
    let log = EMPTY_LOG;
    for (const id of [1, 2, 3]) log = addRecord(log, ping(id), 2);
    const updated = updateRecord(log, 3, (r) => ({ ...r, httpStatus: 503 }));
    expect(updated.records.map((r) => r.httpStatus)).toEqual([200, 503]);
    expect(updated.dropped).toBe(1);
    expect(updateRecord(log, 1, (r) => ({ ...r, httpStatus: 503 }))).toBe(log);
  });
});
