// The background's logic, with every browser API passed in: browser events arrive here as
// observations, become session events for the pure core, and lead to sign-ins, alarms, the
// badge and bringing the user back. index.ts wires the real APIs; tests pass fakes.
import type { BgResponse, EasMessage, LastSignIn, SessionView, TimelineEvent, UiMessage } from '../messages/protocol';
import { applyIdentityPatch, defaultIdentity, randomDeviceId, type DeviceIdentity } from '../activesync/device-identity';
import { buildExport, parseImport } from './settings-transfer';
import { timelineEntries, type TimelineLog } from './timeline';
import { VaultError, type CryptoDeps, type Credential } from '../owa/credentials';
import { classifyUrl, isAuthCookie, isSessionCookie, isTimeoutRedirect } from '../owa/detection';
import { failureLabel, formsUnavailableLabel } from '../owa/labels';
import { expiryPhase, expiryWindow } from '../owa/expiry';
import { isSafeForCredentials, normalizeOrigin } from '../owa/origin';
import { decideRelogin, finishRelogin, initialRecord, POLICY, resetRecord, takeLateTabs, type ReloginOutcome } from '../owa/relogin-policy';
import { initialSession, isLive, reduceSession, type SessionEvent, type SessionState } from '../owa/session-model';
import { applySettingsPatch, DEFAULT_SETTINGS, effectiveTimeoutMinutes } from '../owa/settings';
import { badgeFor, type Badge } from './badge';
import { bringBack } from './bring-back';
import { signIn, type CaughtCookie, type SignInDeps, type SignInResult } from './sign-in';
import type { Marks, State, Store } from './store';
import { rewriteVault, unlockOrCreateVault, unlockVault, vaultStatus } from './vault';
import { sessionViews } from './views';

export interface TabInfo {
  id: number;
  url: string;
}

export interface ControllerDeps {
  now(): number;
  store: Store;
  signIn: SignInDeps;
  crypto: CryptoDeps;
  tabs: {
    ofOrigin(origin: string): Promise<TabInfo[]>;
    get(tabId: number): Promise<TabInfo | null>;
    /** Asks the page's content script; null when it could not be asked. */
    hasUnsavedInput(tabId: number): Promise<boolean | null>;
    showBanner(tabId: number, text: string): Promise<boolean>;
    reload(tabId: number): Promise<void>;
    navigate(tabId: number, url: string): Promise<void>;
  };
  alarms: {
    set(name: string, when: number): void;
    /** Creates the alarm only when none of that name is pending (a busy page must not keep pushing it back). */
    ensure(name: string, when: number): void;
    clear(name: string): void;
  };
  ui: { badge(badge: Badge): void; notify(origin: string, message: string): Promise<void> };
  permissions: {
    hasOrigin(origin: string): Promise<boolean>;
    /** Gives the host permission back (unwatching leaves the extension no broader than needed). */
    release(origin: string): Promise<void>;
  };
  contentScripts: { sync(origins: readonly string[]): Promise<void> };
  /** The per-origin session timeline (storage.session). */
  timeline: TimelineLog;
  log(message: string): void;
}

/** What the settings port pushes. */
export interface SettingsView {
  device: DeviceIdentity;
  prefs: State['prefs'];
  pending: string[];
}

/** What a browser event told us about one watched origin. */
export interface Observation {
  origin: string;
  event: SessionEvent;
  /** The tab the request came from (-1 for none). */
  tabId: number;
  /** The request that showed it (for the timeline), when there was one. */
  url?: string;
}

export const TICK_ALARM = 'owa-tick';
export const RETRY_ALARM = 'owa-relogin-retry:';
export const CHECK_ALARM = 'owa-relogin-check:';

function sessionOf(state: State, origin: string, now: number): SessionState {
  return state.sessions[origin] ?? initialSession(origin, now);
}

function marksOf(state: State, origin: string): Marks {
  return (state.marks[origin] ??= { last440: null, lastSignIn: null });
}

function signInFailureDetail(result: SignInResult): string {
  switch (result.outcome) {
    case 'success':
      return result.posted ? 'signed in again' : 'already signed in (in another tab)';
    case 'rejected':
      return failureLabel('rejected');
    case 'blocked':
      return `${failureLabel('blocked')} (reason=${result.reason})`;
    case 'forms-unavailable':
      return formsUnavailableLabel(result.why);
    case 'unsafe-redirect':
      return `${failureLabel('unsafe-redirect')} (HTTP ${result.status} to ${result.location})`;
    case 'error':
      return result.detail;
  }
}

export class Controller {
  private hostPermissions = new Map<string, boolean>();
  /**
   * The session cookies our last sign-in got, per origin, while late 440s may still clear them.
   * Memory only (they are as good as a password); a restarted worker just does without.
   */
  private fresh = new Map<string, { cookies: readonly CaughtCookie[]; until: number; left: number }>();

  constructor(private readonly deps: ControllerDeps) {}

  private get state(): Readonly<State> {
    return this.deps.store.current;
  }

  watchedOrigins(): readonly string[] {
    return this.state.watched;
  }

  isWatched(origin: string): boolean {
    return this.state.watched.includes(origin);
  }

  // ---- observations -------------------------------------------------------------------

  async observe(obs: Observation): Promise<void> {
    if (!this.isWatched(obs.origin)) return;
    const { event, origin } = obs;
    // Signing out by hand is never undone: its cookies are not put back.
    if (event.type === 'logoff') this.fresh.delete(origin);
    if (event.type === 'cookie-cleared' && isAuthCookie(event.name) && (await this.putBackFresh(origin, event.at))) {
      void this.deps.timeline.append(origin, [{ at: event.at, kind: 'cookie-cleared', detail: `${event.name}, cleared by a late answer to a request sent before the sign-in: put back` }]);
      return;
    }
    let entries: TimelineEvent[] = [];
    const timedOut = await this.deps.store.update((draft) => {
      const before = sessionOf(draft, origin, event.at);
      let timeout = event.type === 'login-timeout';
      if (event.type === 'logon-redirect') {
        const meaning = classifyUrl(event.logonUrl);
        timeout = isTimeoutRedirect(meaning.kind === 'logon-page' ? { ...meaning, generation: before.generation } : meaning, isLive(before));
      }
      // The timeline shows what the browser saw, late answers included.
      entries = timelineEntries(event, before, reduceSession(before, event), obs.url);
      if (timeout) marksOf(draft, origin).last440 = event.at;
      // A timeout answer to a request sent before our sign-in finished, with the fresh
      // cookies still in the jar: the session is fine; only that tab needs bringing back.
      const record = draft.relogin[origin];
      const late =
        timeout &&
        isLive(before) &&
        (before.cookies.some(isAuthCookie) || this.holdsFresh(origin, event.at)) &&
        record?.lastSuccess != null &&
        event.at - record.lastSuccess < POLICY.graceAfterSuccessMs;
      if (late) return true;
      const after = reduceSession(before, event);
      draft.sessions[origin] = after;
      // While a sign-in runs, later timeouts still reach the policy: it records their tabs
      // (to bring back) and starts nothing.
      const waiting = after.status === 'expired' || after.status === 'signing-in';
      // The server clearing the auth cookies of a live session ends it as surely as a 440.
      const cleared = event.type === 'cookie-cleared' && isLive(before) && after.status === 'expired';
      return (timeout && waiting) || cleared;
    });
    // Not awaited: the timeline is written in the background and must not slow the sign-in.
    void this.deps.timeline.append(origin, entries);
    if (timedOut) await this.maybeRelogin(origin, obs.tabId);
    if (isLive(sessionOf(this.state, origin, event.at))) this.ensureTick();
    this.refreshUi();
  }

  /**
   * A site watched while its session is already open: the cookies in the jar say so. Without
   * this it would count as signed out, and its timeouts (only those of a live session start a
   * sign-in) would be ignored until the next sign-in by hand.
   */
  private async seedFromJar(origin: string): Promise<void> {
    const names = (await this.deps.signIn.cookies(origin).catch(() => [])).filter((c) => c.value !== '' && isSessionCookie(c.name)).map((c) => c.name);
    if (!names.some(isAuthCookie)) return;
    const now = this.deps.now();
    await this.deps.store.update((draft) => {
      let session = sessionOf(draft, origin, now);
      if (session.status !== 'signed-out') return;
      for (const name of names) session = reduceSession(session, { type: 'cookie-set', name, at: now });
      draft.sessions[origin] = session;
    });
    this.ensureTick();
  }

  private setLastSignIn(draft: State, origin: string, lastSignIn: LastSignIn): void {
    marksOf(draft, origin).lastSignIn = lastSignIn;
  }

  // ---- sign-in --------------------------------------------------------------------------

  /** A timeout (or a retry alarm, or the user's "sign in now") may start one sign-in. */
  async maybeRelogin(origin: string, tabId: number | null, force = false): Promise<void> {
    const now = this.deps.now();
    const decision = await this.deps.store.update((draft) => {
      const session = sessionOf(draft, origin, now);
      const settings = draft.settings[origin] ?? DEFAULT_SETTINGS;
      let record = draft.relogin[origin] ?? initialRecord();
      if (force) record = resetRecord(record);
      const d = decideRelogin(record, {
        now,
        enabled: settings.autoRelogin || force,
        haveCredentials: draft.secrets.credentials[origin] !== undefined,
        formsAvailable: session.status !== 'forms-unavailable',
        tabId,
        // Cookies we are putting back count as held: the model hears of them a moment later.
        sessionAlive: isLive(session) && (session.cookies.some(isAuthCookie) || this.holdsFresh(origin, now)),
      });
      draft.relogin[origin] = d.record;
      // A request sent before the sign-in finished failed just after it: its tab is brought
      // back with the fresh session (once), no new sign-in.
      if (d.action === 'skip' && d.why === 'just-succeeded') {
        const late = takeLateTabs(d.record);
        draft.relogin[origin] = late.record;
        return { ...d, late: late.tabs };
      }
      // Recorded (and persisted by update) before any request is made.
      if (d.action === 'start') {
        draft.sessions[origin] = reduceSession(session, { type: 'relogin-started', at: now });
        this.setLastSignIn(draft, origin, { at: now, outcome: 'running', detail: `attempt ${d.attempt}` });
      }
      if (d.action === 'skip' && d.why === 'gave-up' && session.status === 'expired') {
        draft.sessions[origin] = reduceSession(session, { type: 'relogin-failed', failure: 'gave-up', final: true, at: now });
      }
      return { ...d, late: [] as number[] };
    });
    if (decision.late.length) {
      // Not reloaded before the fresh cookies are back: the late 440's clearing lands as its
      // answer completes (waited for, with the tabs' other requests, 3 s at most), and in
      // Chromium cookies.onChanged reports it only after the 440.
      if (this.holdsFresh(origin, now)) {
        await this.deps.signIn.waitForTabRequests?.(origin).catch(() => undefined);
        await this.putBackFresh(origin, this.deps.now());
      }
      await this.bringBack(origin, decision.late);
    }
    if (decision.action === 'wait') {
      this.deps.alarms.set(RETRY_ALARM + origin, decision.until);
      return;
    }
    if (decision.action !== 'start') {
      if (decision.why !== 'in-flight' && decision.why !== 'just-succeeded') this.deps.log(`relogin ${origin}: skipped (${decision.why})`);
      return;
    }
    // Should the worker stop during the sign-in, this alarm finishes the record.
    this.deps.alarms.set(CHECK_ALARM + origin, now + POLICY.staleInFlightMs + 1_000);
    void this.deps.timeline.append(origin, [{ at: now, kind: 'sign-in-started', detail: `automatic sign-in, attempt ${decision.attempt}` }]);
    this.refreshUi();
    const state = this.state;
    const session = sessionOf(state, origin, now);
    const credential = state.secrets.credentials[origin];
    let result: SignInResult;
    if (!credential) {
      result = { outcome: 'error', detail: 'credentials disappeared' };
    } else {
      result = await signIn(this.deps.signIn, {
        origin,
        generation: session.generation,
        logonUrl: session.logonUrl,
        credential,
        privateComputer: (state.settings[origin] ?? DEFAULT_SETTINGS).computer === 'private',
      }).catch((error: unknown) => ({ outcome: 'error', detail: String(error) }) as SignInResult);
    }
    this.deps.log(`relogin ${origin}: attempt ${decision.attempt} -> ${result.outcome}${result.outcome === 'error' ? ` (${result.detail})` : ''}`);
    await this.finish(origin, result);
  }

  private async finish(origin: string, result: SignInResult): Promise<void> {
    const now = this.deps.now();
    // A server that sends the password elsewhere is treated as a refused password: nothing is
    // tried again until the user enters the credentials again.
    const outcome: ReloginOutcome =
      result.outcome === 'success' ? 'success' : result.outcome === 'rejected' || result.outcome === 'unsafe-redirect' ? 'rejected' : 'error';
    const tabs = await this.deps.store.update((draft) => {
      const record = draft.relogin[origin] ?? initialRecord();
      const tabsToBringBack = record.tabs;
      const finished = finishRelogin(record, outcome, now);
      // A blocked account, a server without forms logon or one that sends the password
      // elsewhere will not get better by retrying.
      const final = finished.final || result.outcome === 'blocked' || result.outcome === 'forms-unavailable' || result.outcome === 'unsafe-redirect';
      draft.relogin[origin] = final && outcome === 'error' ? { ...finished.record, attempts: POLICY.maxAttempts } : finished.record;
      let session = sessionOf(draft, origin, now);
      if (result.outcome === 'success') session = reduceSession(session, { type: 'relogin-succeeded', generation: result.generation, at: now });
      else if (result.outcome === 'forms-unavailable') session = reduceSession(session, { type: 'forms-unavailable', why: result.why, at: now });
      else {
        const failure = result.outcome === 'rejected' || result.outcome === 'blocked' || result.outcome === 'unsafe-redirect' ? result.outcome : 'error';
        session = reduceSession(session, { type: 'relogin-failed', failure, final, at: now });
        if (!final) this.deps.alarms.set(RETRY_ALARM + origin, draft.relogin[origin]!.notBefore);
      }
      draft.sessions[origin] = session;
      this.setLastSignIn(draft, origin, { at: now, outcome: result.outcome, detail: signInFailureDetail(result) });
      return tabsToBringBack;
    });
    this.deps.alarms.clear(CHECK_ALARM + origin);
    void this.deps.timeline.append(origin, [
      result.outcome === 'success'
        ? { at: now, kind: 'sign-in-succeeded', detail: signInFailureDetail(result) }
        : { at: now, kind: 'sign-in-failed', detail: signInFailureDetail(result) },
    ]);
    if (result.outcome === 'success') {
      this.ensureTick();
      if (result.cookies?.length) {
        this.fresh.set(origin, { cookies: result.cookies, until: now + POLICY.graceAfterSuccessMs, left: POLICY.maxRestores });
        await this.putBackFresh(origin, now);
      }
      await this.bringBack(origin, tabs);
    } else if (result.outcome === 'rejected') {
      await this.deps.ui.notify(origin, 'The stored password was refused. Automatic sign-in is off until you enter it again.');
    } else if (result.outcome === 'unsafe-redirect') {
      await this.deps.ui.notify(origin, `The server sent the sign-in to ${result.location}. The password was not sent there; automatic sign-in is off until you enter it again.`);
    }
    this.refreshUi();
  }

  /** Whether fresh cookies of our sign-in are still being put back (within the grace and the bound). */
  private holdsFresh(origin: string, at: number): boolean {
    const entry = this.fresh.get(origin);
    return entry !== undefined && at < entry.until && entry.left > 0 && this.deps.signIn.restoreCookies !== undefined;
  }

  /**
   * Within the grace after our sign-in, a clearing of its cookies comes from a 440 answering a
   * request sent before it (Exchange clears the cookies with every 440): put them back, a
   * bounded number of times. Says whether the clearing was handled so.
   */
  private async putBackFresh(origin: string, at: number): Promise<boolean> {
    const entry = this.fresh.get(origin);
    const restore = this.deps.signIn.restoreCookies;
    if (!entry || !restore || !this.holdsFresh(origin, at)) {
      this.fresh.delete(origin);
      return false;
    }
    const restored = await restore(origin, entry.cookies).catch(() => 0);
    if (restored > 0) {
      entry.left--;
      this.deps.log(`relogin ${origin}: put back ${restored} session cookie(s) a late 440 cleared`);
    }
    return true;
  }

  private bringBack(origin: string, tabIds: readonly number[]): Promise<void> {
    return bringBack(this.deps.tabs, this.state.settings[origin] ?? DEFAULT_SETTINGS, origin, tabIds, this.deps.log);
  }

  // ---- alarms ---------------------------------------------------------------------------

  async onAlarm(name: string): Promise<void> {
    if (name === TICK_ALARM) return this.tick();
    if (name.startsWith(RETRY_ALARM)) {
      const origin = name.slice(RETRY_ALARM.length);
      const session = this.state.sessions[origin];
      if (session && (session.status === 'expired' || session.status === 'signing-in')) await this.maybeRelogin(origin, null);
      return;
    }
    if (name.startsWith(CHECK_ALARM)) return this.checkStale(name.slice(CHECK_ALARM.length));
  }

  /**
   * Called once as the worker starts: a sign-in recorded as in flight was cut off with the worker
   * that ran it (only one runs at a time), so it is settled now rather than by its check alarm a
   * minute later, while the tabs wait on the logon page.
   */
  async settleCutOffSignIns(): Promise<void> {
    for (const [origin, record] of Object.entries(this.state.relogin)) {
      if (record.inFlight) await this.checkStale(origin, true);
    }
  }

  /**
   * A sign-in the worker did not finish (it was stopped mid-way). We cannot know whether the
   * POST went out, so we never repeat it at once: fresh auth cookies mean it worked; otherwise
   * it counts as a failed attempt and the usual pause applies.
   */
  private async checkStale(origin: string, cutOff = false): Promise<void> {
    const record = this.state.relogin[origin];
    if (!record?.inFlight || (!cutOff && this.deps.now() - record.inFlight.since < POLICY.staleInFlightMs)) return;
    const session = this.state.sessions[origin];
    const cookies = await this.deps.signIn.cookies(origin);
    const signedIn = cookies.some((c) => isAuthCookie(c.name)) && session?.lastIssued !== null && (session?.lastIssued ?? 0) >= record.inFlight.since;
    await this.finish(origin, signedIn ? { outcome: 'success', generation: session?.generation ?? 'unknown', posted: true } : { outcome: 'error', detail: 'the worker stopped during the sign-in' });
  }

  ensureTick(): void {
    this.deps.alarms.ensure(TICK_ALARM, this.deps.now() + 30_000);
  }

  /** Moves live sessions through their estimated window; warns once per activity. */
  async tick(): Promise<void> {
    const now = this.deps.now();
    const warnings: Array<{ origin: string; minutes: number }> = [];
    const entries: Array<[string, TimelineEvent[]]> = [];
    const anyLive = await this.deps.store.update((draft) => {
      let live = false;
      for (const origin of draft.watched) {
        const session = draft.sessions[origin];
        if (!session || !isLive(session) || session.lastActivity === null) continue;
        const settings = draft.settings[origin] ?? DEFAULT_SETTINGS;
        const window = expiryWindow(session.lastActivity, effectiveTimeoutMinutes(settings, session.generation), session.lastIssued);
        const phase = expiryPhase(window, now, settings.warnMinutes);
        const tickEvent = { type: 'tick', phase, at: now } as const;
        const next = reduceSession(session, tickEvent);
        draft.sessions[origin] = next;
        entries.push([origin, timelineEntries(tickEvent, session, next)]);
        if (isLive(next)) live = true;
        if (phase === 'warn' && settings.notify && draft.warned[origin] !== session.lastActivity) {
          draft.warned[origin] = session.lastActivity;
          warnings.push({ origin, minutes: Math.max(0, Math.round((window.earliest - now) / 60_000)) });
        }
      }
      return live;
    });
    for (const [origin, list] of entries) void this.deps.timeline.append(origin, list);
    for (const w of warnings) await this.deps.ui.notify(w.origin, `Your OWA session may end in about ${w.minutes} min without activity.`);
    // The tick alarm has just fired (or the settings changed): schedule the next one.
    if (anyLive) this.deps.alarms.set(TICK_ALARM, now + 30_000);
    this.refreshUi();
  }

  // ---- views ----------------------------------------------------------------------------

  views(): SessionView[] {
    return sessionViews(this.state, this.deps.now(), this.hostPermissions);
  }

  private uiListeners = new Set<(views: SessionView[]) => void>();

  onViews(listener: (views: SessionView[]) => void): () => void {
    this.uiListeners.add(listener);
    return () => this.uiListeners.delete(listener);
  }

  refreshUi(): void {
    const views = this.views();
    this.deps.ui.badge(badgeFor(views, this.deps.now()));
    for (const listener of this.uiListeners) listener(views);
  }

  vaultStatus(): 'none' | 'locked' | 'unlocked' {
    return vaultStatus(this.state);
  }

  // ---- permissions and watching -----------------------------------------------------------

  async refreshPermissions(): Promise<void> {
    for (const origin of this.state.watched) this.hostPermissions.set(origin, await this.deps.permissions.hasOrigin(origin));
    this.refreshUi();
  }

  // ---- messages from the extension's pages ------------------------------------------------

  async handle(message: Exclude<UiMessage, EasMessage>): Promise<BgResponse> {
    try {
      return await this.dispatch(message);
    } catch (error) {
      const text = error instanceof VaultError ? error.message : error instanceof Error ? error.message : String(error);
      return { type: 'bg-ui-error', error: text };
    }
  }

  private ok(): BgResponse {
    this.refreshUi();
    return { type: 'bg-ui-ok' };
  }

  private async dispatch(message: Exclude<UiMessage, EasMessage>): Promise<BgResponse> {
    switch (message.type) {
      case 'ui-bg-ping':
        return { type: 'bg-ui-pong', version: '' };
      case 'ui-bg-get-sessions':
        return { type: 'bg-ui-sessions', sessions: this.views(), vault: this.vaultStatus() };
      case 'ui-bg-watch-origin': {
        const origin = normalizeOrigin(message.origin);
        if (!origin) return { type: 'bg-ui-error', error: 'not an http(s) origin' };
        if (!(await this.deps.permissions.hasOrigin(origin))) return { type: 'bg-ui-error', error: `no host permission for ${origin}: request it first` };
        this.hostPermissions.set(origin, true);
        const watched = await this.deps.store.update((draft) => {
          if (!draft.watched.includes(origin)) draft.watched.push(origin);
          // Settings imported before the permission was granted apply now.
          draft.settings[origin] ??= { ...(draft.pending[origin] ?? DEFAULT_SETTINGS) };
          delete draft.pending[origin];
          draft.sessions[origin] ??= initialSession(origin, this.deps.now());
          return [...draft.watched];
        });
        await this.seedFromJar(origin);
        await this.deps.contentScripts.sync(watched);
        this.refreshSettings();
        return this.ok();
      }
      case 'ui-bg-unwatch-origin': {
        const origin = normalizeOrigin(message.origin) ?? message.origin;
        this.fresh.delete(origin);
        const watched = await this.deps.store.update((draft) => {
          draft.watched = draft.watched.filter((o) => o !== origin);
          delete draft.settings[origin];
          delete draft.sessions[origin];
          delete draft.relogin[origin];
          delete draft.secrets.credentials[origin];
          delete draft.marks[origin];
          delete draft.pending[origin];
          // A locked vault cannot be rewritten now: record the forgetting, applied at unlock.
          if (draft.vault && !draft.secrets.vaultKey && !draft.forgotten.includes(origin)) draft.forgotten.push(origin);
          return [...draft.watched];
        });
        await this.deps.timeline.clear(origin);
        this.refreshSettings();
        await this.deps.contentScripts.sync(watched);
        await this.rewriteVault();
        // Match patterns have no port: keep the permission while another port of the host is watched.
        const host = new URL(origin).hostname;
        if (!watched.some((o) => new URL(o).hostname === host)) await this.deps.permissions.release(origin).catch(() => undefined);
        this.hostPermissions.delete(origin);
        return this.ok();
      }
      case 'ui-bg-set-settings': {
        const origin = this.watchedOrigin(message.origin);
        const result = applySettingsPatch(this.state.settings[origin] ?? DEFAULT_SETTINGS, message.settings);
        if (!result.ok) return { type: 'bg-ui-error', error: result.errors.join('; ') };
        await this.deps.store.update((draft) => {
          draft.settings[origin] = result.settings;
        });
        await this.tick();
        return this.ok();
      }
      case 'ui-bg-set-credentials': {
        const origin = this.watchedOrigin(message.origin);
        if (!isSafeForCredentials(origin)) return { type: 'bg-ui-error', error: 'passwords are only sent over HTTPS' };
        if (!message.username || !message.password) return { type: 'bg-ui-error', error: 'username and password are required' };
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
        await this.rewriteVault();
        return this.ok();
      }
      case 'ui-bg-forget-credentials': {
        const origin = normalizeOrigin(message.origin) ?? message.origin;
        await this.deps.store.update((draft) => {
          delete draft.secrets.credentials[origin];
          draft.secrets.remembered = draft.secrets.remembered.filter((o) => o !== origin);
          // Locked: the blob keeps them until the next unlock, which drops them (see vault.ts).
          if (draft.vault && !draft.secrets.vaultKey && !draft.forgotten.includes(origin)) draft.forgotten.push(origin);
        });
        await this.rewriteVault();
        return this.ok();
      }
      case 'ui-bg-unlock': {
        if (!this.state.vault) return { type: 'bg-ui-error', error: 'nothing is stored' };
        await unlockVault(this.deps.store, this.deps.crypto, message.passphrase);
        return this.ok();
      }
      case 'ui-bg-relogin-now': {
        const origin = this.watchedOrigin(message.origin);
        if (!this.state.secrets.credentials[origin]) return { type: 'bg-ui-error', error: 'no credentials for this origin' };
        await this.maybeRelogin(origin, null, true);
        return this.ok();
      }
      case 'ui-bg-get-timeline': {
        const origin = normalizeOrigin(message.origin) ?? message.origin;
        return { type: 'bg-ui-timeline', origin, events: this.deps.timeline.events(origin) };
      }
      case 'ui-bg-set-prefs': {
        const cs = message.prefs.credentialStorage;
        if (cs !== 'memory' && cs !== 'encrypted') return { type: 'bg-ui-error', error: 'credentialStorage must be "memory" or "encrypted"' };
        await this.deps.store.update((draft) => {
          draft.prefs = { ...draft.prefs, credentialStorage: cs };
        });
        this.refreshSettings();
        return this.ok();
      }
      case 'ui-bg-set-device': {
        const result = applyIdentityPatch(this.device(), message.device);
        if (!result.ok) return { type: 'bg-ui-error', error: result.errors.join('; ') };
        await this.deps.store.update((draft) => {
          draft.device = result.identity;
        });
        this.refreshSettings();
        return this.ok();
      }
      case 'ui-bg-new-device-id': {
        await this.deps.store.update((draft) => {
          draft.device = { ...(draft.device ?? defaultIdentity(this.deps.crypto.randomBytes)), deviceId: randomDeviceId(this.deps.crypto.randomBytes) };
        });
        this.refreshSettings();
        return this.ok();
      }
      case 'ui-bg-export-settings': {
        const state = this.state;
        const data = buildExport({ watched: state.watched, settings: state.settings, pending: state.pending, prefs: state.prefs, device: state.device, now: this.deps.now() });
        const day = data.exportedAt.slice(0, 10);
        return { type: 'bg-ui-export', json: `${JSON.stringify(data, null, 2)}\n`, filename: `owa-inspector-settings-${day}.json` };
      }
      case 'ui-bg-import-settings':
        return this.importSettings(message.json);
    }
  }

  // ---- settings beyond one origin ------------------------------------------------------------

  /** The device identity, made once (a random DeviceId) the first time it is needed. */
  device(): DeviceIdentity {
    return this.state.device ?? defaultIdentity(this.deps.crypto.randomBytes);
  }

  async ensureDevice(): Promise<void> {
    if (this.state.device) return;
    await this.deps.store.update((draft) => {
      draft.device ??= defaultIdentity(this.deps.crypto.randomBytes);
    });
  }

  settingsView(): SettingsView {
    return { device: this.device(), prefs: { ...this.state.prefs }, pending: Object.keys(this.state.pending) };
  }

  private settingsListeners = new Set<(view: SettingsView) => void>();

  onSettings(listener: (view: SettingsView) => void): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  private refreshSettings(): void {
    const view = this.settingsView();
    for (const listener of this.settingsListeners) listener(view);
  }

  /**
   * Applies an exported file: settings of watched origins at once; origins not watched yet are
   * watched when the host permission is already held, and otherwise kept as pending until the
   * user grants it (a permission can only be asked for in a click, on the page).
   */
  private async importSettings(json: string): Promise<BgResponse> {
    const parsed = parseImport(json, this.device());
    const report = { applied: [] as string[], refused: [...parsed.refused], needsPermission: [] as string[] };
    const toWatch: string[] = [];
    for (const origin of Object.keys(parsed.origins)) {
      if (this.isWatched(origin)) {
        report.applied.push(`${origin}: settings`);
      } else if (await this.deps.permissions.hasOrigin(origin)) {
        toWatch.push(origin);
        this.hostPermissions.set(origin, true);
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
    this.refreshSettings();
    this.refreshUi();
    return { type: 'bg-ui-import', report };
  }

  private watchedOrigin(input: string): string {
    const origin = normalizeOrigin(input);
    if (!origin || !this.isWatched(origin)) throw new Error(`not a watched origin: ${input}`);
    return origin;
  }

  private rewriteVault(): Promise<void> {
    return rewriteVault(this.deps.store, this.deps.crypto);
  }
}
