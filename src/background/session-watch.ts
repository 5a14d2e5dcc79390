// What browser events mean for a watched origin's session: each observation becomes a session
// event for the pure model, a timeline entry, and, for a timeout of a live session, a sign-in.
import type { TimelineEvent } from '../messages/protocol';
import { classifyUrl, isAuthCookie, isSessionCookie, isTimeoutRedirect } from '../owa/detection';
import { isLateTimeout } from '../owa/relogin-policy';
import { isLive, reduceSession } from '../owa/session-model';
import { learn } from '../owa/timeout-learning';
import { msg } from '../shared/words';
import type { BackgroundDeps, Observation } from './deps';
import type { FreshCookies } from './fresh-cookies';
import type { ReloginRunner } from './relogin-runner';
import { marksOf, sessionComputerOf, sessionOf } from './store';
import { timelineEntries } from './timeline';

export class SessionWatch {
  constructor(
    private readonly deps: BackgroundDeps,
    private readonly fresh: FreshCookies,
    private readonly relogin: ReloginRunner,
    private readonly ensureTick: () => void,
    private readonly refreshUi: () => void,
  ) {}

  async observe(obs: Observation): Promise<void> {
    if (!this.deps.store.current.watched.includes(obs.origin)) return;
    const { event, origin } = obs;
    // Signing out by hand is never undone: its cookies are not put back.
    if (event.type === 'logoff') this.fresh.drop(origin);
    if (event.type === 'cookie-cleared' && isAuthCookie(event.name) && (await this.fresh.putBack(origin, event.at))) {
      void this.deps.timeline.append(origin, [{ at: event.at, kind: 'cookie-cleared', detail: msg('bg_cookie_put_back', event.name) }]);
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
      // The user's own sign-in: its public/private choice is the one the next automatic sign-in keeps.
      if (event.type === 'logon-post' && event.computer) {
        const marks = marksOf(draft, origin);
        marks.computerByHand = event.computer;
        marks.sessionComputer = event.computer;
      }
      // A request the tab sent once the end had cleared the jar carries no session: the server
      // sends it to the logon page with reason=0, not 3. While the end's sign-in is pending or
      // has just succeeded, that tab was cut off by the same end: it is to be brought back too.
      const noSessionSent = event.type === 'logon-redirect' && !timeout && (event.reason === 0 || event.reason === null);
      const cookiesHeld = before.cookies.some(isAuthCookie) || this.fresh.holds(origin, event.at);
      // A late answer (sent before the last sign-in) says nothing about the server's timeout.
      if ((timeout || noSessionSent) && isLateTimeout(draft.relogin[origin], { at: event.at, live: isLive(before), cookiesHeld })) return true;
      const after = reduceSession(before, event);
      draft.sessions[origin] = after;
      // While a sign-in runs, later timeouts still reach the policy: it records their tabs
      // (to bring back) and starts nothing.
      const waiting = after.status === 'expired' || after.status === 'signing-in';
      // The server clearing the auth cookies of a live session ends it as surely as a 440.
      const cleared = event.type === 'cookie-cleared' && isLive(before) && after.status === 'expired';
      // A live session the server ended: what it says about the server's timeout. The answer that
      // ends it clears the cookies before it says 440 or reason=3 (its Set-Cookie is read first,
      // and cookies.onChanged may come sooner still), so the clearing is often the end seen.
      if ((timeout || cleared) && isLive(before) && before.lastActivity !== null) {
        // What is learned belongs to the kind of session the server gave, not to the setting.
        const computer = sessionComputerOf(draft, origin);
        const learned = learn(draft.learned[origin], { computer, lastActivity: before.lastActivity, lastAlive: this.deps.lastAnswered(origin), end: event.at });
        if (learned) draft.learned[origin] = learned;
      }
      return ((timeout || (noSessionSent && (before.status === 'expired' || before.status === 'signing-in'))) && waiting) || cleared;
    });
    // Not awaited: the timeline is written in the background and must not slow the sign-in.
    void this.deps.timeline.append(origin, entries);
    if (timedOut) await this.relogin.maybeRelogin(origin, obs.tabId);
    if (isLive(sessionOf(this.deps.store.current, origin, event.at))) this.ensureTick();
    this.refreshUi();
  }

  /**
   * A site watched while its session is already open: the cookies in the jar say so. Without
   * this it would count as signed out, and its timeouts (only those of a live session start a
   * sign-in) would be ignored until the next sign-in by hand.
   */
  async seedFromJar(origin: string): Promise<void> {
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
}
