// "New DeviceId" on the options page: the message goes through the same validation as the real
// onMessage, and the controller makes a new random id, keeps the rest of the identity, writes
// it to the private store (a restarted worker reads it back) and tells the settings listeners.
import { describe, expect, it } from 'vitest';
import { Controller } from '../../src/background/controller';
import type { SettingsView } from '../../src/background/deps';
import { answerMessage, parseUiMessage } from '../../src/background/message-table';
import { loadState, Store } from '../../src/background/store';
import { FakeOwa, MemoryArea, Recorder } from './fakes';

async function start(areas: { session: MemoryArea; local: MemoryArea }): Promise<Controller> {
  const store = new Store(await loadState(areas.session, areas.local), areas);
  const controller = new Controller({ ...new Recorder().deps(), store, signIn: new FakeOwa().signInDeps() });
  await controller.ensureDevice();
  return controller;
}

/** As the worker's onMessage does: validate by the message table, then answer by it. */
async function send(controller: Controller, raw: unknown) {
  const message = parseUiMessage(raw);
  if (!message) throw new Error(`refused: ${JSON.stringify(raw)}`);
  return answerMessage({ controller, eas: null, version: 'test' }, message);
}

const stored = (local: MemoryArea) => (local.data.device as { deviceId: string } | undefined)?.deviceId;

describe('ui-bg-new-device-id', () => {
  it('makes a new DeviceId, keeps the rest of the identity, persists it and tells the settings listeners', async () => {
    const areas = { session: new MemoryArea(), local: new MemoryArea() };
    const controller = await start(areas);
    await send(controller, { type: 'ui-bg-set-device', device: { deviceType: 'TestDevice', model: 'Pixel Test' } });
    const old = controller.device();
    expect(stored(areas.local)).toBe(old.deviceId);
    const pushed: SettingsView[] = [];
    controller.feeds.onSettings((view) => pushed.push(view));

    // Unknown fields are dropped on the way in, as from any page.
    expect(await send(controller, { type: 'ui-bg-new-device-id', deviceId: 'OWAI0000000000000000' })).toEqual({ type: 'bg-ui-ok' });

    const now = controller.device();
    expect(now.deviceId).toMatch(/^OWAI[0-9A-F]{16}$/);
    expect(now.deviceId).not.toBe(old.deviceId);
    expect(now).toEqual({ ...old, deviceId: now.deviceId });
    expect(stored(areas.local)).toBe(now.deviceId);
    expect(pushed.map((view) => view.device.deviceId)).toEqual([now.deviceId]);

    // A restarted worker reads the new id back from storage.
    const restarted = await start(areas);
    expect(restarted.device()).toEqual(now);

    // And each press gives another one.
    await send(controller, { type: 'ui-bg-new-device-id' });
    const third = controller.device().deviceId;
    expect(new Set([old.deviceId, now.deviceId, third]).size).toBe(3);
    expect(stored(areas.local)).toBe(third);
  });

  it('is a message the protocol accepts with no payload', () => {
    expect(parseUiMessage({ type: 'ui-bg-new-device-id' })).toEqual({ type: 'ui-bg-new-device-id' });
  });
});
