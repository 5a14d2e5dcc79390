// Automatic sign-in, from the decision to the tabs brought back: asks the relogin policy, runs
// one sign-in (sign-in.ts), records how it ended, schedules retries and the check of a sign-in
// cut off with its worker.
import { isAuthCookie } from '../owa/detection';
import { cutOffSignInWorked, decideRelogin, finishRelogin, initialRecord, POLICY, resetRecord, takeLateTabs } from '../owa/relogin-policy';
import { isLive, reduceSession } from '../owa/session-model';
import { DEFAULT_SETTINGS } from '../owa/settings';
import { failureOf, isFinalResult, reloginOutcomeOf, signInDetail, type SignInResult } from '../owa/sign-in-result';
import { literal, msg, spell } from '../shared/words';
import { BANNER, bringBack } from './bring-back';
import type { BackgroundDeps } from './deps';
import type { FreshCookies } from './fresh-cookies';
import { signIn } from './sign-in';
import { marksOf, sessionOf } from './store';

export const RETRY_ALARM = 'owa-relogin-retry:';
export const CHECK_ALARM = 'owa-relogin-check:';

export class ReloginRunner {
  constructor(
    private readonly deps: BackgroundDeps,
    private readonly fresh: FreshCookies,
    private readonly ensureTick: () => void,
    private readonly refreshUi: () => void,
  ) {}

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
        retry: tabId === null,
        // Cookies we are putting back count as held: the model hears of them a moment later.
        sessionAlive: isLive(session) && (session.cookies.some(isAuthCookie) || this.fresh.holds(origin, now)),
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
        marksOf(draft, origin).lastSignIn = { at: now, outcome: 'running', detail: force ? msg('bg_asked_for_by_you') : msg('bg_attempt', d.attempt) };
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
      if (this.fresh.holds(origin, now)) {
        await this.deps.signIn.waitForTabRequests?.(origin).catch(() => undefined);
        await this.fresh.putBack(origin, this.deps.now());
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
    void this.deps.timeline.append(origin, [
      force
        ? { at: now, kind: 'sign-in-requested', detail: msg('bg_timeline_sign_in_now') }
        : { at: now, kind: 'sign-in-started', detail: msg('bg_timeline_sign_in_attempt', decision.attempt) },
    ]);
    this.refreshUi();
    const state = this.deps.store.current;
    const session = sessionOf(state, origin, now);
    const credential = state.secrets.credentials[origin];
    let result: SignInResult;
    if (!credential) {
      result = { outcome: 'error', detail: msg('bg_error_credentials_gone') };
    } else {
      result = await signIn(this.deps.signIn, {
        origin,
        generation: session.generation,
        logonUrl: session.logonUrl,
        credential,
        privateComputer: (state.settings[origin] ?? DEFAULT_SETTINGS).computer === 'private',
        chosenByHand: state.marks[origin]?.computerByHand ?? null,
      }).catch((error: unknown) => ({ outcome: 'error', detail: literal(String(error)) }) as SignInResult);
    }
    this.deps.log(`relogin ${origin}: attempt ${decision.attempt} -> ${result.outcome}${result.outcome === 'error' ? ` (${spell(this.deps.words, result.detail)})` : ''}`);
    await this.finish(origin, result);
  }

  private async finish(origin: string, result: SignInResult): Promise<void> {
    const now = this.deps.now();
    const outcome = reloginOutcomeOf(result);
    const tabs = await this.deps.store.update((draft) => {
      const record = draft.relogin[origin] ?? initialRecord();
      const tabsToBringBack = record.tabs;
      const finished = finishRelogin(record, outcome, now);
      const final = isFinalResult(result, finished.final);
      draft.relogin[origin] = final && outcome === 'error' ? { ...finished.record, attempts: POLICY.maxAttempts } : finished.record;
      let session = sessionOf(draft, origin, now);
      if (result.outcome === 'success') {
        session = reduceSession(session, { type: 'relogin-succeeded', generation: result.generation, at: now });
        if (result.computer) marksOf(draft, origin).sessionComputer = result.computer;
      } else if (result.outcome === 'forms-unavailable') session = reduceSession(session, { type: 'forms-unavailable', why: result.why, at: now });
      else {
        session = reduceSession(session, { type: 'relogin-failed', failure: failureOf(result), final, at: now });
        if (!final) this.deps.alarms.set(RETRY_ALARM + origin, draft.relogin[origin]!.notBefore);
      }
      draft.sessions[origin] = session;
      marksOf(draft, origin).lastSignIn = { at: now, outcome: result.outcome, detail: signInDetail(result) };
      return tabsToBringBack;
    });
    this.deps.alarms.clear(CHECK_ALARM + origin);
    void this.deps.timeline.append(origin, [{ at: now, kind: result.outcome === 'success' ? 'sign-in-succeeded' : 'sign-in-failed', detail: signInDetail(result) }]);
    if (result.outcome === 'success') {
      this.ensureTick();
      if (result.cookies?.length) {
        this.fresh.keep(origin, result.cookies, now);
        await this.fresh.putBack(origin, now);
      }
      await this.bringBack(origin, tabs);
    } else if (result.outcome === 'rejected') {
      await this.deps.ui.notify(origin, spell(this.deps.words, msg('bg_notify_refused')));
    } else if (result.outcome === 'unsafe-redirect') {
      await this.deps.ui.notify(origin, spell(this.deps.words, msg('bg_notify_unsafe_redirect', result.location)));
    }
    this.refreshUi();
  }

  /** The retry alarm: a session still waiting for its sign-in gets the next attempt. */
  async retry(origin: string): Promise<void> {
    const session = this.deps.store.current.sessions[origin];
    if (session && (session.status === 'expired' || session.status === 'signing-in')) await this.maybeRelogin(origin, null);
  }

  /**
   * Called once as the worker starts: a sign-in recorded as in flight was cut off with the worker
   * that ran it (only one runs at a time), so it is settled now rather than by its check alarm a
   * minute later, while the tabs wait on the logon page.
   */
  async settleCutOffSignIns(): Promise<void> {
    for (const [origin, record] of Object.entries(this.deps.store.current.relogin)) {
      if (record.inFlight) await this.checkStale(origin, true);
    }
  }

  /**
   * A sign-in the worker did not finish (it was stopped mid-way). We cannot know whether the
   * POST went out, so we never repeat it at once: fresh auth cookies mean it worked; otherwise
   * it counts as a failed attempt and the usual pause applies.
   */
  async checkStale(origin: string, cutOff = false): Promise<void> {
    const state = this.deps.store.current;
    const record = state.relogin[origin];
    if (!record?.inFlight || (!cutOff && this.deps.now() - record.inFlight.since < POLICY.staleInFlightMs)) return;
    const session = state.sessions[origin];
    const cookies = await this.deps.signIn.cookies(origin);
    const worked = cutOffSignInWorked(
      record.inFlight.since,
      cookies.some((c) => isAuthCookie(c.name)),
      session?.lastIssued,
    );
    await this.finish(origin, worked ? { outcome: 'success', generation: session?.generation ?? 'unknown', posted: true } : { outcome: 'error', detail: msg('bg_error_worker_stopped') });
  }

  bringBack(origin: string, tabIds: readonly number[]): Promise<void> {
    return bringBack(this.deps.tabs, this.deps.store.current.settings[origin] ?? DEFAULT_SETTINGS, origin, tabIds, this.deps.log, spell(this.deps.words, BANNER));
  }
}
