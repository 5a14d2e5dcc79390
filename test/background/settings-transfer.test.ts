// Export and import of the settings: never a credential, a passphrase or a policy key out;
// everything validated on the way in, with what was refused said.
import { describe, expect, it } from 'vitest';
import { Controller } from '../../src/background/controller';
import { parseImport } from '../../src/background/settings-transfer';
import { loadState, Store } from '../../src/background/store';
import { defaultIdentity } from '../../src/activesync/device-identity';
import { DEFAULT_SETTINGS } from '../../src/owa/settings';
import { ask, cryptoDeps, FakeOwa, MemoryArea, ORIGIN, Recorder } from './fakes';

const PASSWORD = 'right-password';
const PASSPHRASE = 'a long test passphrase';

async function setup(granted: (origin: string) => boolean = () => true) {
  const areas = { session: new MemoryArea(), local: new MemoryArea() };
  const rec = new Recorder();
  const store = new Store(await loadState(areas.session, areas.local), areas);
  const deps = rec.deps();
  const controller = new Controller({ ...deps, permissions: { ...deps.permissions, hasOrigin: async (o) => granted(o) }, store, signIn: new FakeOwa().signInDeps() });
  await controller.ensureDevice();
  return { areas, rec, controller };
}

async function exported(controller: Controller): Promise<string> {
  const reply = await ask(controller, { type: 'ui-bg-export-settings' });
  if (reply.type !== 'bg-ui-export') throw new Error(JSON.stringify(reply));
  expect(reply.filename).toMatch(/^owa-inspector-settings-\d{4}-\d\d-\d\d\.json$/);
  return reply.json;
}

describe('settings export and import', () => {
  it('exports origins, timeouts, relogin settings, the storage mode and the device identity; no secret', async () => {
    const env = await setup();
    await ask(env.controller, { type: 'ui-bg-watch-origin', origin: ORIGIN });
    await ask(env.controller, { type: 'ui-bg-set-settings', origin: ORIGIN, settings: { autoRelogin: true, publicTimeoutMinutes: 20, privateTimeoutMinutes: 600 } });
    await ask(env.controller, { type: 'ui-bg-set-credentials', origin: ORIGIN, username: 'alice', password: PASSWORD, remember: true, passphrase: PASSPHRASE });
    await ask(env.controller, { type: 'ui-bg-set-prefs', prefs: { credentialStorage: 'encrypted' } });
    await ask(env.controller, { type: 'ui-bg-set-device', device: { deviceType: 'TestDevice', protocolVersion: '16.0' } });
    const json = await exported(env.controller);
    const data = JSON.parse(json);
    expect(data.origins[ORIGIN]).toEqual({ ...DEFAULT_SETTINGS, autoRelogin: true, publicTimeoutMinutes: 20, privateTimeoutMinutes: 600 });
    expect(data.prefs).toEqual({ credentialStorage: 'encrypted' });
    expect(data.activeSync).toMatchObject({ deviceType: 'TestDevice', protocolVersion: '16.0', deviceId: expect.stringMatching(/^OWAI[0-9A-F]{16}$/) });
    for (const secret of [PASSWORD, PASSPHRASE, 'alice', 'vault', 'cadata']) expect(json).not.toContain(secret);
  });

  it('round trip: a fresh installation gets the same settings back', async () => {
    const from = await setup();
    await ask(from.controller, { type: 'ui-bg-watch-origin', origin: ORIGIN });
    await ask(from.controller, { type: 'ui-bg-set-settings', origin: ORIGIN, settings: { computer: 'private', privateTimeoutMinutes: 90, warnMinutes: 5, bringBack: 'tell-only' } });
    await ask(from.controller, { type: 'ui-bg-set-device', device: { model: 'Pixel Test' } });
    const json = await exported(from.controller);
    const to = await setup();
    const reply = await ask(to.controller, { type: 'ui-bg-import-settings', json });
    expect(reply).toEqual({
      type: 'bg-ui-import',
      report: { applied: [`${ORIGIN}: watched, settings`, 'credential storage preference', 'ActiveSync device identity'], refused: [], needsPermission: [] },
    });
    expect(to.controller.views()[0]).toMatchObject({
      origin: ORIGIN,
      settings: { computer: 'private', privateTimeoutMinutes: 90, warnMinutes: 5, bringBack: 'tell-only' },
      credentials: 'none',
    });
    expect(to.controller.device()).toEqual(from.controller.device());
    expect(to.rec.contentScriptOrigins).toEqual([ORIGIN]);
  });

  it('origins without the host permission wait as pending, and take their settings when watched', async () => {
    let granted = false;
    const env = await setup(() => granted);
    const json = JSON.stringify({ format: 'owa-inspector-settings', version: 1, origins: { [ORIGIN]: { autoRelogin: true, publicTimeoutMinutes: 7 } } });
    const reply = await ask(env.controller, { type: 'ui-bg-import-settings', json });
    expect(reply).toMatchObject({ report: { needsPermission: [ORIGIN], applied: [] } });
    expect(env.controller.views()).toEqual([]);
    expect(env.controller.settingsView().pending).toEqual([ORIGIN]);
    // The options page asks for the permission in a click, then watches.
    granted = true;
    await ask(env.controller, { type: 'ui-bg-watch-origin', origin: ORIGIN });
    expect(env.controller.views()[0]!.settings).toMatchObject({ autoRelogin: true, publicTimeoutMinutes: 7 });
    expect(env.controller.settingsView().pending).toEqual([]);
  });

  it('validates everything and says what it refused', () => {
    const device = defaultIdentity(cryptoDeps.randomBytes);
    const parsed = parseImport(
      JSON.stringify({
        format: 'owa-inspector-settings',
        version: 1,
        credentials: { [ORIGIN]: { password: 'x' } },
        origins: {
          [ORIGIN]: { autoRelogin: true, password: 'hunter2' },
          'ftp://files.example.com': {},
          'https://bad.example.com': { publicTimeoutMinutes: -1 },
        },
        prefs: { credentialStorage: 'plaintext' },
        activeSync: { deviceId: 'has spaces', model: 'ok' },
      }),
      device,
    );
    expect(parsed.origins).toEqual({ [ORIGIN]: { ...DEFAULT_SETTINGS, autoRelogin: true } });
    expect(parsed.prefs).toBeUndefined();
    expect(parsed.device).toBeUndefined();
    expect(parsed.refused).toEqual([
      'credentials: credentials and keys are never imported',
      `${ORIGIN}: password: credentials are never imported`,
      'ftp://files.example.com: not an http(s) origin',
      'https://bad.example.com: publicTimeoutMinutes must be null or a whole number from 1 to 43200',
      'prefs: credentialStorage must be "memory" or "encrypted"',
      'activeSync: deviceId must be 1 to 32 letters and digits',
    ]);
    expect(parseImport('{not json', device).refused[0]).toMatch(/not JSON/);
    expect(parseImport('{"format":"other"}', device).refused[0]).toMatch(/not an OWA Inspector settings export/);
  });
});
