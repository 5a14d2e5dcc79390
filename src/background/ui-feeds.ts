// What the extension's pages are fed: the session views (and the badge drawn from them) and the
// settings view, pushed to every subscribed port on each change.
import type { SessionView } from '../messages/protocol';
import { badgeFor } from './badge';
import type { BackgroundDeps, SettingsView } from './deps';
import { deviceOf } from './store';
import { vaultStatus } from './vault';
import { sessionViews } from './views';

export class UiFeeds {
  /**
   * Whether the extension holds each watched origin's host permission. Memory only, on purpose:
   * asked of the browser again at every start (refreshPermissions).
   */
  private readonly hostPermissions = new Map<string, boolean>();
  private readonly viewListeners = new Set<(views: SessionView[]) => void>();
  private readonly settingsListeners = new Set<(view: SettingsView) => void>();

  constructor(private readonly deps: BackgroundDeps) {}

  views(): SessionView[] {
    return sessionViews(this.deps.store.current, this.deps.now(), this.hostPermissions);
  }

  vaultStatus(): 'none' | 'locked' | 'unlocked' {
    return vaultStatus(this.deps.store.current);
  }

  onViews(listener: (views: SessionView[]) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  refresh(): void {
    const views = this.views();
    this.deps.ui.badge(badgeFor(views, this.deps.now(), this.deps.words));
    for (const listener of this.viewListeners) listener(views);
  }

  settingsView(): SettingsView {
    const state = this.deps.store.current;
    return { device: deviceOf(state, this.deps.crypto.randomBytes), prefs: { ...state.prefs }, pending: Object.keys(state.pending) };
  }

  onSettings(listener: (view: SettingsView) => void): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  refreshSettings(): void {
    const view = this.settingsView();
    for (const listener of this.settingsListeners) listener(view);
  }

  setHostPermission(origin: string, held: boolean): void {
    this.hostPermissions.set(origin, held);
  }

  forgetHostPermission(origin: string): void {
    this.hostPermissions.delete(origin);
  }

  async refreshPermissions(): Promise<void> {
    for (const origin of this.deps.store.current.watched) this.hostPermissions.set(origin, await this.deps.permissions.hasOrigin(origin));
    this.refresh();
  }
}
