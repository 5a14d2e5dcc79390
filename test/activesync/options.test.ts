import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/activesync/options';
import { compareVersions, highestCommonVersion } from '../../src/activesync/versions';
import { client } from './helpers/client';
import { fakeServer } from './helpers/fake-server';

describe('OPTIONS', () => {
  it('reads the versions, commands and server version a server advertises', () => {
    const result = parseOptions(200, [
      ['MS-Server-ActiveSync', '15.1'],
      ['ms-asprotocolversions', '2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1'],
      ['MS-ASProtocolCommands', 'Sync, SendMail ,FolderSync,Provision'],
    ]);
    expect(result).toEqual({
      httpStatus: 200,
      serverVersion: '15.1',
      versions: ['2.0', '2.1', '2.5', '12.0', '12.1', '14.0', '14.1', '16.0', '16.1'],
      commands: ['Sync', 'SendMail', 'FolderSync', 'Provision'],
      highestCommonVersion: '16.1',
    });
  });

  it('negotiates the highest version both sides speak', () => {
    expect(highestCommonVersion(['2.5', '12.0', '12.1', '14.0', '14.1'])).toBe('14.1');
    expect(highestCommonVersion(['14.1', '16.0'], ['2.5', '12.1', '14.0'])).toBeUndefined();
    expect(highestCommonVersion(['2.0', '9.9'])).toBeUndefined();
    expect(compareVersions('2.5', '12.0')).toBeLessThan(0);
  });

  it('reads a 401 that still carries the headers, and a server that sends none', () => {
    expect(parseOptions(401, [['MS-ASProtocolVersions', '12.1']]).highestCommonVersion).toBe('12.1');
    expect(parseOptions(200, [])).toEqual({ httpStatus: 200, versions: [], commands: [] });
  });
});

describe('OPTIONS through the client', () => {
  it('returns what the server offers, even with a 401', async () => {
    const server = fakeServer({ password: 'other' });
    const { c } = client(server.fetch);
    const options = await c.options();
    expect(options.httpStatus).toBe(401);
    const ok = client(fakeServer().fetch);
    expect(await ok.c.options()).toMatchObject({ httpStatus: 200, highestCommonVersion: '14.1', serverVersion: '14.1' });
  });
});
