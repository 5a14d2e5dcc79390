// Exchange's ActiveSync mailbox log. fixtures/mailbox-log-2013.txt is modelled on the log shown in
// Microsoft's own posts: "Exchange ActiveSync Mailbox Logging" (Jason Slaughter, TechNet blog,
// 2013-03-19, learn.microsoft.com/en-us/archive/blogs/jasonsla/exchange-activesync-mailbox-logging:
// the sections and the bytes="N" attribute of data-less tags) and "Under The Hood: Exchange
// ActiveSync Mailbox Log Analysis" (Exchange Team Blog, 2013-10-04: a Windows Phone provisioning
// in two phases, then FolderSync). Names and keys are invented; the section layout is theirs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exchangeFacts, readCapture } from '../../src/captures/index.js';
import { blobOf } from './helpers.js';

const text = readFileSync(join(import.meta.dirname, 'fixtures/mailbox-log-2013.txt'), 'utf8');

describe('Exchange mailbox log', () => {
  it('reads each record: time, request line and headers, both bodies as XML, HTTP status', async () => {
    // The name says nothing: the content does.
    const result = await readCapture('log.eml.txt', blobOf(text));
    expect(result).toMatchObject({ format: 'mailbox-log', otherRequests: 0, problems: [] });
    expect(result.exchanges.map((e) => [e.index, e.startedAt, e.method, e.httpStatus])).toEqual([
      [1, Date.parse('2013-10-04T17:41:40.120Z'), 'POST', 200],
      [2, Date.parse('2013-10-04T17:41:41.530Z'), 'POST', 200],
      [3, Date.parse('2013-10-04T17:41:43.002Z'), 'POST', 200],
      [4, Date.parse('2013-10-04T17:42:10.450Z'), 'POST', 200],
    ]);
    const first = result.exchanges[0]!;
    expect(first.url).toBe('https://mail.contoso.com/Microsoft-Server-ActiveSync/default.eas?Cmd=Provision&User=contoso%5Cjim&DeviceId=6F24CAD599A5BF1A690246B8C68FAE8D&DeviceType=WP8');
    expect(first.requestHeaders).toContainEqual({ name: 'X-MS-PolicyKey', value: '0' });
    expect(first.request).toEqual({ kind: 'xml', xml: expect.stringMatching(/^<\?xml[\s\S]*<PolicyType>MS-EAS-Provisioning-WBXML<\/PolicyType>[\s\S]*<\/Provision>$/) });
    expect(result.exchanges[3]!.request).toEqual({ kind: 'empty' });
  });

  it('gives each record its command, user, key and Status from the XML', async () => {
    const result = await readCapture('log.txt', blobOf(text));
    const facts = result.exchanges.map(exchangeFacts);
    expect(facts.map((f) => [f.command, f.user, f.policyKey, f.protocolVersion, f.statusName])).toEqual([
      ['Provision', 'contoso\\jim', '0', '14.1', '1 Success'],
      ['Provision', 'contoso\\jim', '2143425154', '14.1', '1 Success'],
      ['FolderSync', 'contoso\\jim', '3942919513', '14.1', '1 Success'],
      ['Ping', 'contoso\\jim', '3942919513', '14.1', '3 ParametersMissing'],
    ]);
    expect(facts[3]!.statusMeaning).toBe('3 ParametersMissing: The request omitted required parameters (no stored Ping to reuse): send the full request.');
    // The Provision response's first Status is settings:Status; the command's own is the unprefixed one.
    expect(facts[0]!.status).toEqual({ code: 1, namespace: 'Provision', parent: 'Provision' });
  });

  it('reports a record without its RequestHeader and keeps the others; tells text that is no mailbox log', async () => {
    const damaged = text.replace('RequestHeader : \nPOST /Microsoft-Server-ActiveSync/default.eas?Cmd=FolderSync', 'Requestheader-gone : \nPOST /x');
    const result = await readCapture('log.txt', blobOf(damaged));
    expect(result.exchanges).toHaveLength(3);
    expect(result.problems).toEqual([{ file: 'log.txt', where: expect.stringMatching(/^line \d+$/), message: expect.stringMatching(/without a RequestHeader/) }]);
    const plain = await readCapture('notes.txt', blobOf('RequestHeader : but nothing else of a mailbox log\n'));
    expect(plain.format).toBeUndefined();
  });
});
