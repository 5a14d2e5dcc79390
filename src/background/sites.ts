// What the user does to a site from the popup and the options page: watch it, stop watching,
// change its settings, give or forget its credentials, unlock the vault, sign in now.
import type { BgResponse, SettingsPatch } from '../messages/protocol';
import type { Credential } from '../owa/credentials';
import { isSafeForCredentials, normalizeOrigin } from '../owa/origin';
import { initialRecord, resetRecord } from '../owa/relogin-policy';
import { initialSession } from '../owa/session-model';
import { applySettingsPatch, DEFAULT_SETTINGS } from '../owa/settings';
import { GRANT_WAIT_MS, type BackgroundDeps } from './deps';
import type { FreshCookies } from './fresh-cookies';
import type { ReloginRunner } from './relogin-runner';
import type { SessionWatch } from './session-watch';
import type { Ticker } from './ticker';
import type { UiFeeds } from './ui-feeds';
import { forgetWhileLocked, rewriteVault, unlockOrCreateVault, unlockVault } from './vault';
import { literal, msg } from '../shared/words';

export interface SetCredentials {
  origin: string;
  username: string;
  password: string;
  remember: boolean;
  passphrase?: string;
}

const OK: BgResponse = { type: 'bg-ui-ok' };

export class Sites {
  constructor(
    private readonly deps: BackgroundDeps,
    private readonly parts: { fresh: FreshCookies; watch: SessionWatch; relogin: ReloginRunner; ticker: Ticker; feeds: UiFeeds },
  ) {}

  /**
   * The page asked for the host permission in the user's click; without it nothing is watched.
   * `awaitGrant`: the page asks at the same time, and may be gone before the answer (Chromium's
   * prompt closes the popup): the watch waits for the grant and happens all the same.
   */
  async watch(input: string, awaitGrant = false): Promise<BgResponse> {
    const origin = normalizeOrigin(input);
    if (!origin) return { type: 'bg-ui-error', error: msg('bg_error_not_http_origin') };
    const granted = (await this.deps.permissions.hasOrigin(origin)) || (awaitGrant && (await this.deps.permissions.waitForOrigin(origin, GRANT_WAIT_MS)));
    if (!granted) return { type: 'bg-ui-error', error: msg('bg_error_no_host_permission', origin) };
    this.parts.feeds.setHostPermission(origin, true);
    const watched = await this.deps.store.update((draft) => {
      if (!draft.watched.includes(origin)) draft.watched.push(origin);
      // Settings imported before the permission was granted apply now.
      draft.settings[origin] ??= { ...(draft.pending[origin] ?? DEFAULT_SETTINGS) };
      delete draft.pending[origin];
      draft.sessions[origin] ??= initialSession(origin, this.deps.now());
      return [...draft.watched];
    });
    await this.parts.watch.seedFromJar(origin);
    await this.deps.contentScripts.sync(watched);
    this.parts.feeds.refreshSettings();
    return this.ok();
  }

  async unwatch(input: string): Promise<BgResponse> {
    const origin = normalizeOrigin(input) ?? input;
    this.parts.fresh.drop(origin);
    const watched = await this.deps.store.update((draft) => {
      draft.watched = draft.watched.filter((o) => o !== origin);
      delete draft.settings[origin];
      delete draft.sessions[origin];
      delete draft.relogin[origin];
      delete draft.secrets.credentials[origin];
      delete draft.marks[origin];
      delete draft.pending[origin];
      delete draft.learned[origin];
      forgetWhileLocked(draft, origin);
      return [...draft.watched];
    });
    await this.deps.timeline.clear(origin);
    this.parts.feeds.refreshSettings();
    await this.deps.contentScripts.sync(watched);
    await rewriteVault(this.deps.store, this.deps.crypto);
    // Match patterns have no port: keep the permission while another port of the host is watched.
    const host = new URL(origin).hostname;
    if (!watched.some((o) => new URL(o).hostname === host)) await this.deps.permissions.release(origin).catch(() => undefined);
    this.parts.feeds.forgetHostPermission(origin);
    return this.ok();
  }

  async setSettings(input: string, patch: SettingsPatch): Promise<BgResponse> {
    const origin = this.watchedOrigin(input);
    const result = applySettingsPatch(this.deps.store.current.settings[origin] ?? DEFAULT_SETTINGS, patch);
    if (!result.ok) return { type: 'bg-ui-error', error: literal(result.errors.join('; ')) };
    await this.deps.store.update((draft) => {
      draft.settings[origin] = result.settings;
    });
    await this.parts.ticker.tick();
    return this.ok();
  }

  async setCredentials(message: SetCredentials): Promise<BgResponse> {
    const origin = this.watchedOrigin(message.origin);
    if (!isSafeForCredentials(origin)) return { type: 'bg-ui-error', error: msg('bg_error_https_only') };
    if (!message.username || !message.password) return { type: 'bg-ui-error', error: msg('bg_error_credentials_required') };
    const credential: Credential = { username: message.username, password: message.password };
    if (message.remember) await unlockOrCreateVault(this.deps.store, this.deps.crypto, message.passphrase);
    await this.deps.store.update((draft) => {
      draft.secrets.credentials[origin] = credential;
      draft.secrets.remembered = draft.secrets.remembered.filter((o) => o !== origin);
      if (message.remember) draft.secrets.remembered.push(origin);
      // New credentials lift a refusal of the old ones.
      draft.relogin[origin] = resetRecord(draft.relogin[origin] ?? initialRecord());
      const session = draft.sessions[origin];
      if (session?.status === 'sign-in-failed') draft.sessions[origin] = { ...session, status: 'expired', failure: null };
      else if (session?.failure === 'rejected') draft.sessions[origin] = { ...session, failure: null };
    });
    await rewriteVault(this.deps.store, this.deps.crypto);
    return this.ok();
  }

  async forgetCredentials(input: string): Promise<BgResponse> {
    const origin = normalizeOrigin(input) ?? input;
    await this.deps.store.update((draft) => {
      delete draft.secrets.credentials[origin];
      draft.secrets.remembered = draft.secrets.remembered.filter((o) => o !== origin);
      forgetWhileLocked(draft, origin);
    });
    await rewriteVault(this.deps.store, this.deps.crypto);
    return this.ok();
  }

  async unlock(passphrase: string): Promise<BgResponse> {
    if (!this.deps.store.current.vault) return { type: 'bg-ui-error', error: msg('bg_error_nothing_stored') };
    await unlockVault(this.deps.store, this.deps.crypto, passphrase);
    return this.ok();
  }

  async reloginNow(input: string): Promise<BgResponse> {
    const origin = this.watchedOrigin(input);
    if (!this.deps.store.current.secrets.credentials[origin]) return { type: 'bg-ui-error', error: msg('bg_error_no_credentials') };
    await this.parts.relogin.maybeRelogin(origin, null, true);
    return this.ok();
  }

  private watchedOrigin(input: string): string {
    const origin = normalizeOrigin(input);
    if (!origin || !this.deps.store.current.watched.includes(origin)) throw new Error(`not a watched origin: ${input}`);
    return origin;
  }

  private ok(): BgResponse {
    this.parts.feeds.refresh();
    return OK;
  }
}
