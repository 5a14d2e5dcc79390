import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDeviceId } from '../../src/cli/eas-args';
import { EXIT, exitCodeFor } from '../../src/cli/exit-codes';
import { defaultStateFile, FileKeyStore, stateFileProblem } from '../../src/cli/file-key-store';
import type { ActiveSyncErrorKind } from '../../src/activesync/errors';

const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'owa-inspector-state-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const account = { url: 'https://mail.example.com/Microsoft-Server-ActiveSync', user: 'CONTOSO\\Alice', deviceId: 'DEV1' };

describe('the CLI policy-key file', () => {
  it('lives under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultStateFile({ XDG_STATE_HOME: '/x/state' })).toBe('/x/state/owa-inspector/policy-keys.json');
    expect(defaultStateFile({})).toMatch(/\/\.local\/state\/owa-inspector\/policy-keys\.json$/);
  });

  it('keeps one key per account, private to the user, and forgets on delete', async () => {
    const path = join(temp(), 'nested', 'keys.json');
    const store = new FileKeyStore(path);
    expect(await store.get(account)).toBeUndefined();
    await store.set(account, { policyKey: '123', protocolVersion: '14.1', storedAt: '2026-01-01T00:00:00.000Z' });
    await store.set({ ...account, deviceId: 'DEV2' }, { policyKey: '456', protocolVersion: '16.0', storedAt: '2026-01-01T00:00:00.000Z' });
    expect(await new FileKeyStore(path).get({ ...account, user: 'contoso\\alice' })).toEqual({
      policyKey: '123',
      protocolVersion: '14.1',
      storedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).keys)).toHaveLength(2);
    await store.delete(account);
    expect(await store.get(account)).toBeUndefined();
    expect((await store.get({ ...account, deviceId: 'DEV2' }))?.policyKey).toBe('456');
  });

  it('refuses to overwrite a file that is not its own', async () => {
    const path = join(temp(), 'other.json');
    writeFileSync(path, '{"something": "else"}');
    await expect(new FileKeyStore(path).set(account, { policyKey: '1', protocolVersion: '14.1', storedAt: '' })).rejects.toThrow(/is not an owa-inspector state file/);
    expect(readFileSync(path, 'utf8')).toBe('{"something": "else"}');
  });
  it('names a directory, or a file in the way, instead of a bare EISDIR or ENOTDIR', async () => {
    const dir = temp();
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expect(stateFileProblem(dir)).toBe(`${dir} is a directory; expected a file to keep policy keys in (it is created if missing), e.g. ${join(dir, 'policy-keys.json')}`);
    expect(stateFileProblem(join(file, 'a', 'keys.json'), '--state X')).toBe(
      `--state X: ${file} is a file, not a directory; expected a file to keep policy keys in (it is created if missing)`,
    );
    expect(stateFileProblem(join(dir, 'new', 'keys.json'))).toBeUndefined();
    expect(stateFileProblem(file)).toBeUndefined();
    await expect(new FileKeyStore(dir).get(account)).rejects.toThrow(`${dir} is a directory; expected a file`);
    await expect(new FileKeyStore(join(file, 'keys.json')).set(account, { policyKey: '1', protocolVersion: '14.1', storedAt: '' })).rejects.toThrow(`${file} is a file, not a directory`);
  });
});

describe('CLI defaults', () => {
  it('derives the same device id for the same server and user', () => {
    const id = defaultDeviceId(account.url, 'alice');
    expect(id).toMatch(/^OWAI[0-9A-F]{16}$/);
    expect(defaultDeviceId(account.url, 'ALICE')).toBe(id);
    expect(defaultDeviceId(account.url, 'bob')).not.toBe(id);
  });

  it('has an exit status for every kind of failure', () => {
    const kinds: ActiveSyncErrorKind[] = [
      'invalid-input',
      'insecure-transport',
      'network',
      'timeout',
      'aborted',
      'unauthorized',
      'forbidden',
      'redirect',
      'blocked',
      'redirect-other-origin',
      'password-expired',
      'unavailable',
      'http',
      'not-wbxml',
      'malformed-response',
      'provision-failed',
      'policy-failed',
      'provisioning-required',
      'remote-wipe',
    ];
    expect(kinds.map(exitCodeFor)).toEqual([2, 2, 3, 3, 3, 4, 4, 8, 4, 8, 4, 8, 8, 7, 7, 5, 5, 5, 6]);
    expect(exitCodeFor('remote-wipe')).toBe(EXIT.remoteWipe);
  });
});
