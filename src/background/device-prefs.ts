// Settings beyond one site: the ActiveSync device identity, the credential storage preference,
// and the settings file (export, and import, which may watch sites).
import { applyIdentityPatch, defaultIdentity, randomDeviceId, type DeviceIdentity } from '../activesync/device-identity';
import type { BgResponse, Prefs } from '../messages/protocol';
import { initialSession } from '../owa/session-model';
import type { BackgroundDeps } from './deps';
import { deviceOf } from './store';
import { buildExport, parseImport } from './settings-transfer';
import type { UiFeeds } from './ui-feeds';
import { literal, msg } from '../shared/words';

export class DeviceAndPrefs {
  constructor(
    private readonly deps: BackgroundDeps,
    private readonly feeds: UiFeeds,
  ) {}

  device(): DeviceIdentity {
    return deviceOf(this.deps.store.current, this.deps.crypto.randomBytes);
  }

  async ensureDevice(): Promise<void> {
    if (this.deps.store.current.device) return;
    await this.deps.store.update((draft) => {
      draft.device ??= defaultIdentity(this.deps.crypto.randomBytes);
    });
  }

  async setPrefs(prefs: Partial<Prefs>): Promise<BgResponse> {
    const cs = prefs.credentialStorage;
    if (cs !== 'memory' && cs !== 'encrypted') return { type: 'bg-ui-error', error: msg('bg_error_credential_storage') };
    await this.deps.store.update((draft) => {
      draft.prefs = { ...draft.prefs, credentialStorage: cs };
    });
    return this.changed();
  }

  async setDevice(patch: Partial<DeviceIdentity>): Promise<BgResponse> {
    const result = applyIdentityPatch(this.device(), patch);
    if (!result.ok) return { type: 'bg-ui-error', error: literal(result.errors.join('; ')) };
    await this.deps.store.update((draft) => {
      draft.device = result.identity;
    });
    return this.changed();
  }

  /** A fresh random DeviceId: servers then see a new device (and provision it anew). */
  async newDeviceId(): Promise<BgResponse> {
    await this.deps.store.update((draft) => {
      draft.device = { ...(draft.device ?? defaultIdentity(this.deps.crypto.randomBytes)), deviceId: randomDeviceId(this.deps.crypto.randomBytes) };
    });
    return this.changed();
  }

  exportSettings(): BgResponse {
    const state = this.deps.store.current;
    const data = buildExport({ watched: state.watched, settings: state.settings, pending: state.pending, prefs: state.prefs, device: state.device, now: this.deps.now() });
    const day = data.exportedAt.slice(0, 10);
    return { type: 'bg-ui-export', json: `${JSON.stringify(data, null, 2)}\n`, filename: `owa-inspector-settings-${day}.json` };
  }

  /**
   * Applies an exported file: settings of watched origins at once; origins not watched yet are
   * watched when the host permission is already held, and otherwise kept as pending until the
   * user grants it (a permission can only be asked for in a click, on the page).
   */
  async importSettings(json: string): Promise<BgResponse> {
    const parsed = parseImport(json, this.device());
    const report = { applied: [] as string[], refused: [...parsed.refused], needsPermission: [] as string[] };
    const toWatch: string[] = [];
    for (const origin of Object.keys(parsed.origins)) {
      if (this.deps.store.current.watched.includes(origin)) {
        report.applied.push(`${origin}: settings`);
      } else if (await this.deps.permissions.hasOrigin(origin)) {
        toWatch.push(origin);
        this.feeds.setHostPermission(origin, true);
        report.applied.push(`${origin}: watched, settings`);
      } else {
        report.needsPermission.push(origin);
      }
    }
    const watched = await this.deps.store.update((draft) => {
      for (const [origin, settings] of Object.entries(parsed.origins)) {
        if (draft.watched.includes(origin) || toWatch.includes(origin)) {
          if (!draft.watched.includes(origin)) draft.watched.push(origin);
          draft.settings[origin] = settings;
          draft.sessions[origin] ??= initialSession(origin, this.deps.now());
          delete draft.pending[origin];
        } else {
          draft.pending[origin] = settings;
        }
      }
      if (parsed.prefs) draft.prefs = parsed.prefs;
      if (parsed.device) draft.device = parsed.device;
      return [...draft.watched];
    });
    if (parsed.prefs) report.applied.push('credential storage preference');
    if (parsed.device) report.applied.push('ActiveSync device identity');
    if (toWatch.length) await this.deps.contentScripts.sync(watched);
    this.changed();
    return { type: 'bg-ui-import', report };
  }

  private changed(): BgResponse {
    this.feeds.refreshSettings();
    this.feeds.refresh();
    return { type: 'bg-ui-ok' };
  }
}
