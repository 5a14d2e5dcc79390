import { describe, expect, it, vi } from 'vitest';
import { Controller } from '../../src/background/controller';
import { CHECK_ALARM, RETRY_ALARM } from '../../src/background/relogin-runner';
import { TICK_ALARM } from '../../src/background/ticker';
import { loadState, Store } from '../../src/background/store';
import { POLICY } from '../../src/owa/relogin-policy';
import { ask, FakeOwa, LOGON_2016, MemoryArea, ORIGIN, Recorder } from './fakes';

const PASSWORD = 'right-password';

async function setup(owa = new FakeOwa(), areas = { session: new MemoryArea(), local: new MemoryArea() }, rec = new Recorder(), catching = false) {
  const store = new Store(await loadState(areas.session, areas.local), areas);
  const controller = new Controller({ ...rec.deps(), store, signIn: owa.signInDeps({ catching }) });
  return { owa, areas, rec, store, controller };
}

async function watchedWithCredentials(options: { catching?: boolean } = {}) {
  const env = await setup(undefined, undefined, undefined, options.catching);
  const { controller } = env;
  expect(await ask(controller, { type: 'ui-bg-watch-origin', origin: `${ORIGIN}/owa/` })).toEqual({ type: 'bg-ui-ok' });
  expect(await ask(controller, { type: 'ui-bg-set-settings', origin: ORIGIN, settings: { autoRelogin: true } })).toEqual({ type: 'bg-ui-ok' });
  expect(await ask(controller, { type: 'ui-bg-set-credentials', origin: ORIGIN, username: 'alice', password: PASSWORD, remember: false })).toEqual({ type: 'bg-ui-ok' });
  env.owa.jar.set('cadata', 'first');
  await controller.observe({ origin: ORIGIN, tabId: -1, event: { type: 'cookie-set', name: 'cadata', at: env.rec.now } });
  return env;
}

function timeout(env: Awaited<ReturnType<typeof setup>>, tabId: number) {
  env.owa.jar.delete('cadata');
  return env.controller.observe({ origin: ORIGIN, tabId, event: { type: 'login-timeout', at: env.rec.now } });
}

/** An end of a 1-minute server: activity, OWA's polling answered until 5 s before its 440 80 s later; a minute passes. */
async function endAfterIdle(env: Awaited<ReturnType<typeof setup>>) {
  const activity = env.rec.now;
  await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'activity', generation: '2010+', at: activity } });
  env.rec.lastAnswered = activity + 75_000;
  env.rec.now = activity + 80_000;
  await timeout(env, 1);
  env.rec.now += 60_000;
}

/** A 440 on tab 1 starts a sign-in whose POST is never answered: the worker that sent it is gone. */
async function signInCutOff(env: Awaited<ReturnType<typeof setup>>) {
  env.owa.hold = new Promise(() => undefined);
  let settled = false;
  void timeout(env, 1).finally(() => (settled = true));
  await vi.waitFor(() => expect(env.owa.posts).toHaveLength(1));
  // The POST is never answered, so the sign-in it belongs to must still be waiting for it.
  await Promise.resolve();
  expect(settled).toBe(false);
}

/** The retry alarm after the pause, on the next worker: one more POST, answered this time. */
async function retryAnswered(env: Awaited<ReturnType<typeof setup>>, next: Awaited<ReturnType<typeof setup>>) {
  env.owa.hold = null;
  env.rec.now = Math.max(env.rec.now, env.rec.alarms.get(RETRY_ALARM + ORIGIN)!);
  await next.controller.onAlarm(RETRY_ALARM + ORIGIN);
  expect(env.owa.posts).toHaveLength(2);
  expect(next.controller.views()[0]!.status).toBe('signed-in');
}

describe('background controller', () => {
  it('watches an origin and registers the content script for it', async () => {
    const { controller, rec, areas } = await watchedWithCredentials();
    expect(rec.contentScriptOrigins).toEqual([ORIGIN]);
    expect(areas.local.data.watched).toEqual([ORIGIN]);
    expect(controller.views()[0]).toMatchObject({ origin: ORIGIN, status: 'signed-in', credentials: 'session', username: 'alice' });
  });

  it('unwatching forgets the session and the credentials and gives the host permission back', async () => {
    const { controller, rec, areas } = await watchedWithCredentials();
    await ask(controller, { type: 'ui-bg-unwatch-origin', origin: ORIGIN });
    expect(controller.views()).toEqual([]);
    expect(rec.released).toEqual([ORIGIN]);
    expect(rec.contentScriptOrigins).toEqual([]);
    expect(JSON.stringify(areas.session.data)).not.toContain(PASSWORD);
  });

  it("after a sign-out by hand, another tab's 440 or reason=3 starts no sign-in", async () => {
    const env = await watchedWithCredentials();
    await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'logoff', at: env.rec.now } });
    await timeout(env, 2);
    await env.controller.observe({
      origin: ORIGIN,
      tabId: 2,
      event: { type: 'logon-redirect', reason: 3, generation: 'unknown', logonUrl: `${ORIGIN}/owa/auth/logon.aspx?reason=3`, at: env.rec.now },
    });
    expect(env.owa.posts).toHaveLength(0);
    expect(env.controller.views()[0]!.status).toBe('signed-out');
  });

  it('watching a site whose session is already open sees it signed in (its timeouts then count)', async () => {
    const env = await setup();
    env.owa.jar.set('cadata', 'opened-before-watching');
    expect(await ask(env.controller, { type: 'ui-bg-watch-origin', origin: ORIGIN })).toEqual({ type: 'bg-ui-ok' });
    expect(env.controller.views()[0]).toMatchObject({ status: 'signed-in' });
  });

  it('ten tabs hitting 440 at once cause one sign-in; the tabs come back, typing is kept', async () => {
    const env = await watchedWithCredentials();
    env.rec.tabs = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, url: `${ORIGIN}/owa/#tab${i}` }));
    env.rec.unsaved.add(4);
    await Promise.all(env.rec.tabs.map((t) => timeout(env, t.id)));
    expect(env.owa.posts).toHaveLength(1);
    expect(env.controller.views()[0]!.status).toBe('signed-in');
    expect(env.rec.reloaded.sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10]);
    expect(env.rec.banners.map(([id]) => id)).toEqual([4]);
    // Late 440s from requests sent before the sign-in do not start another; a tab not yet
    // brought back is brought back once.
    await timeout(env, 3);
    expect(env.owa.posts).toHaveLength(1);
    env.rec.tabs.push({ id: 11, url: `${ORIGIN}/owa/` });
    await timeout(env, 11);
    await timeout(env, 11);
    expect(env.owa.posts).toHaveLength(1);
    expect(env.rec.reloaded.filter((id) => id === 11)).toEqual([11]);
    expect(env.rec.reloaded.filter((id) => id === 3)).toEqual([3]);
  });

  describe('a late 440 clearing the fresh cookies (a request sent before the sign-in)', () => {
    /** What the browser reports when a 440 clears the jar's cadata. */
    async function lateClear(env: Awaited<ReturnType<typeof setup>>) {
      env.owa.jar.delete('cadata');
      await env.controller.observe({ origin: ORIGIN, tabId: -1, event: { type: 'cookie-cleared', name: 'cadata', expired: true, at: env.rec.now } });
    }

    it('within the grace: the cookies are put back, no second sign-in, the session stays signed in', async () => {
      const env = await watchedWithCredentials({ catching: true });
      await timeout(env, 1);
      expect(env.owa.posts).toHaveLength(1);
      const fresh = env.owa.jar.get('cadata');
      env.rec.now += 1_000;
      await lateClear(env);
      expect(env.owa.jar.get('cadata')).toBe(fresh);
      expect(env.owa.posts).toHaveLength(1);
      expect(env.controller.views()[0]!.status).toBe('signed-in');
      expect(env.rec.logs.some((l) => l.includes('put back 1 session cookie'))).toBe(true);
      // The caught cookie values stay in the worker's memory: never in storage, logs or the timeline.
      await env.rec.timeline.flushed();
      const written = JSON.stringify([env.areas.session.history, env.areas.local.history, env.rec.timelineArea.history, env.rec.logs]);
      expect(fresh).toMatch(/^fresh-cadata-/);
      expect(written).not.toContain('fresh-cadata');
      // Its 440 (sent before the sign-in) brings its tab back once, starts nothing.
      env.rec.tabs = [{ id: 2, url: `${ORIGIN}/owa/` }];
      await env.controller.observe({ origin: ORIGIN, tabId: 2, event: { type: 'login-timeout', at: env.rec.now } });
      expect(env.owa.posts).toHaveLength(1);
      expect(env.rec.reloaded).toContain(2);
    });

    it('its tab is reloaded only once the fresh cookies are back (Chromium reports the clearing after the 440 itself)', async () => {
      const env = await watchedWithCredentials({ catching: true });
      await timeout(env, 1);
      const fresh = env.owa.jar.get('cadata');
      env.rec.tabs = [{ id: 2, url: `${ORIGIN}/owa/` }];
      const jarAtReload: Array<string | undefined> = [];
      env.rec.onReload = () => jarAtReload.push(env.owa.jar.get('cadata'));
      env.rec.now += 1_000;
      // The 440 has cleared the jar; its cookies.onChanged has not been handled yet.
      env.owa.jar.delete('cadata');
      await env.controller.observe({ origin: ORIGIN, tabId: 2, event: { type: 'login-timeout', at: env.rec.now } });
      expect(jarAtReload).toEqual([fresh]);
      expect(env.owa.posts).toHaveLength(1);
      // The clearing reported afterwards finds the cookies in place: nothing more to put back.
      await lateClear(env);
      expect(env.owa.jar.get('cadata')).toBe(fresh);
      expect(env.owa.posts).toHaveLength(1);
    });

    it('a bounded number of times, and never after the grace', async () => {
      const env = await watchedWithCredentials({ catching: true });
      await timeout(env, 1);
      let clears = 0;
      while (env.owa.posts.length === 1 && clears < POLICY.maxRestores + 5) {
        await lateClear(env);
        clears++;
      }
      // Put back maxRestores times; the next clearing ends the session as usual (a new,
      // counted sign-in under the attempt policy).
      expect(clears).toBe(POLICY.maxRestores + 1);
      expect(env.owa.restored).toHaveLength(POLICY.maxRestores);
      expect(env.owa.posts).toHaveLength(2);
      const env2 = await watchedWithCredentials({ catching: true });
      await timeout(env2, 1);
      env2.rec.now += POLICY.graceAfterSuccessMs;
      await lateClear(env2);
      expect(env2.owa.restored).toEqual([]);
      expect(env2.owa.jar.has('cadata')).toBe(true);
      // After the grace the clearing ends the session as usual (here: a new sign-in).
      expect(env2.owa.posts).toHaveLength(2);
    });

    it('never after the user signs out by hand', async () => {
      const env = await watchedWithCredentials({ catching: true });
      await timeout(env, 1);
      await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'logoff', at: env.rec.now } });
      await lateClear(env);
      expect(env.owa.restored).toEqual([]);
      expect(env.owa.jar.has('cadata')).toBe(false);
      expect(env.owa.posts).toHaveLength(1);
      expect(env.controller.views()[0]!.status).toBe('signed-out');
    });

    it('never for a sign-in made by hand (nothing was caught)', async () => {
      const env = await watchedWithCredentials({ catching: true });
      await lateClear(env);
      expect(env.owa.restored).toEqual([]);
    });
  });

  it("a tab whose next request went out after the end had cleared the jar (reason=0, not 3) is brought back by the end's sign-in", async () => {
    const env = await watchedWithCredentials();
    env.rec.tabs = [1, 2, 3].map((id) => ({ id, url: `${ORIGIN}/owa/` }));
    const noSession = (tabId: number) =>
      env.controller.observe({
        origin: ORIGIN,
        tabId,
        url: `${ORIGIN}/owa/ev.owa2?UA=0`,
        event: { type: 'logon-redirect', reason: 0, generation: '2010+', logonUrl: `${ORIGIN}/owa/auth/logon.aspx?url=${encodeURIComponent(`${ORIGIN}/owa/`)}&reason=0`, at: env.rec.now },
      });
    // The end: tab 1's request clears the jar and starts the sign-in, held in flight.
    env.rec.now += 2 * 60_000;
    let release!: () => void;
    env.owa.hold = new Promise((resolve) => (release = resolve));
    const ending = timeout(env, 1);
    await vi.waitFor(() => expect(env.owa.posts).toHaveLength(1));
    // Tab 2 polls meanwhile, without cookies: the server sends it to the logon page, reason=0.
    await noSession(2);
    release();
    await ending;
    expect(env.rec.reloaded.sort()).toEqual([1, 2]);
    // Just after the success, tab 3's request (sent before the cookies were back) did the same.
    await noSession(3);
    expect(env.rec.reloaded.sort()).toEqual([1, 2, 3]);
    expect(env.owa.posts).toHaveLength(1);
    // Not after a sign-out: a logon page with reason=0 then starts nothing and brings nothing back.
    await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'logoff', at: env.rec.now } });
    env.rec.now += 2 * 60_000;
    await noSession(2);
    expect(env.owa.posts).toHaveLength(1);
    expect(env.rec.reloaded.sort()).toEqual([1, 2, 3]);
  });

  it('a tab left on the logon page goes to its url= destination', async () => {
    const env = await watchedWithCredentials();
    env.rec.tabs = [{ id: 7, url: `${ORIGIN}/owa/auth/logon.aspx?url=${encodeURIComponent(`${ORIGIN}/owa/#path=/mail`)}&reason=3` }];
    env.owa.jar.delete('cadata');
    await env.controller.observe({ origin: ORIGIN, tabId: 7, event: { type: 'logon-redirect', reason: 3, generation: 'unknown', logonUrl: env.rec.tabs[0]!.url, at: env.rec.now } });
    expect(env.owa.posts).toHaveLength(1);
    expect(env.rec.navigated).toEqual([[7, `${ORIGIN}/owa/#path=/mail`]]);
  });

  it('a wrong password: exactly one attempt, a final failed state, no retry until new credentials', async () => {
    const env = await watchedWithCredentials();
    env.owa.password = 'changed-by-admin';
    await timeout(env, 1);
    expect(env.owa.posts).toHaveLength(1);
    expect(env.controller.views()[0]).toMatchObject({ status: 'sign-in-failed', failure: 'rejected' });
    expect(env.rec.notifications).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      env.rec.now += 10 * 60_000;
      await timeout(env, 1);
      await env.controller.onAlarm(RETRY_ALARM + ORIGIN);
    }
    expect(env.owa.posts).toHaveLength(1);
    await ask(env.controller, { type: 'ui-bg-set-credentials', origin: ORIGIN, username: 'alice', password: 'changed-by-admin', remember: false });
    await timeout(env, 1);
    expect(env.owa.posts).toHaveLength(2);
    expect(env.controller.views()[0]!.status).toBe('signed-in');
  });

  it('only failures count: every timeout of a session that held gets its sign-in, the fourth and fifth too', async () => {
    const env = await watchedWithCredentials();
    for (let i = 1; i <= 5; i++) {
      env.rec.now += 2 * 60_000;
      await timeout(env, 1);
      expect(env.owa.posts).toHaveLength(i);
      expect(env.controller.views()[0]!.status).toBe('signed-in');
    }
    expect(env.controller.views()[0]!.lastSignIn).toMatchObject({ outcome: 'success' });
  });

  it("learns a 1-minute server's timeout: a suggestion after its first end, used after the second", async () => {
    const env = await watchedWithCredentials();
    expect(env.controller.views()[0]).toMatchObject({ timeoutMinutes: 15, timeoutSource: 'default', suggestedTimeoutMinutes: null });
    await endAfterIdle(env);
    expect(env.controller.views()[0]).toMatchObject({ timeoutMinutes: 15, timeoutSource: 'default', timeoutObservations: 1, suggestedTimeoutMinutes: 1 });
    await endAfterIdle(env);
    const view = env.controller.views()[0]!;
    expect(view).toMatchObject({ timeoutMinutes: 1, timeoutSource: 'learned', timeoutObservations: 2, suggestedTimeoutMinutes: null });
    // The estimate counts with it: a minute after the last activity, not fifteen.
    expect(view.expiry!.earliest - view.lastActivity!).toBe(60_000);
    // Kept where settings are (the private store), forgotten with the site.
    expect(env.areas.local.data.learned).toMatchObject({ [ORIGIN]: { observations: 2 } });
    await ask(env.controller, { type: 'ui-bg-unwatch-origin', origin: ORIGIN });
    expect(env.areas.local.data.learned).toEqual({});
  });

  it('a late 440 or a late clearing of the cookies after the automatic sign-in leaves what was learned alone', async () => {
    const env = await watchedWithCredentials({ catching: true });
    const activity = env.rec.now;
    await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'activity', generation: '2010+', at: activity } });
    env.rec.lastAnswered = activity + 75_000;
    env.rec.now = activity + 80_000;
    await timeout(env, 1);
    expect(env.owa.posts).toHaveLength(1);
    const learned = structuredClone(env.areas.local.data.learned);
    expect(learned).toMatchObject({ [ORIGIN]: { observations: 1, highMs: 80_000 } });
    // Two seconds later, answers to requests sent before the sign-in: another tab's 440, and a
    // 440's Set-Cookie clearing the fresh cadata. Taken as ends, each would say T <= 2 s and
    // start the learning again from a timeout no server has.
    env.rec.now += 2_000;
    env.rec.tabs = [{ id: 2, url: `${ORIGIN}/owa/` }];
    await env.controller.observe({ origin: ORIGIN, tabId: 2, event: { type: 'login-timeout', at: env.rec.now } });
    env.owa.jar.delete('cadata');
    await env.controller.observe({ origin: ORIGIN, tabId: -1, event: { type: 'cookie-cleared', name: 'cadata', expired: true, at: env.rec.now } });
    expect(env.owa.posts).toHaveLength(1);
    expect(env.areas.local.data.learned).toEqual(learned);
    expect(env.controller.views()[0]).toMatchObject({ status: 'signed-in', timeoutObservations: 1, suggestedTimeoutMinutes: 1 });
  });

  it("keeps the public/private choice of the user's last sign-in by hand where the page offers one; the setting fills in only before any", async () => {
    const env = await watchedWithCredentials();
    const posted = () => new URLSearchParams(env.owa.posts.at(-1)!.body);
    const byHand = (computer?: 'private' | 'public') =>
      env.controller.observe({
        origin: ORIGIN,
        tabId: 1,
        url: `${ORIGIN}/owa/auth.owa`,
        event: { type: 'logon-post', generation: '2010+', at: env.rec.now, ...(computer ? { computer } : {}) },
      });
    // Never chosen by hand: the setting (public by default) fills in the page's radio.
    env.rec.now += 2 * 60_000;
    await timeout(env, 1);
    expect([posted().get('flags'), posted().get('trusted')]).toEqual(['0', '0']);
    // The user signs in by hand as on a private computer: the setting still says public.
    await byHand('private');
    env.rec.now += 2 * 60_000;
    await timeout(env, 1);
    expect([posted().get('flags'), posted().get('trusted')]).toEqual(['4', '4']);
    // A POST whose choice nobody could read (e.g. another site's) changes nothing.
    await byHand();
    env.rec.now += 2 * 60_000;
    await timeout(env, 1);
    expect(posted().get('flags')).toBe('4');
    // Public by hand wins over a private setting.
    await ask(env.controller, { type: 'ui-bg-set-settings', origin: ORIGIN, settings: { computer: 'private' } });
    await byHand('public');
    env.rec.now += 2 * 60_000;
    await timeout(env, 1);
    expect([posted().get('flags'), posted().get('trusted')]).toEqual(['0', '0']);
    // A page that makes the choice itself (2013 SP1+: hidden flags=4) keeps it.
    env.owa.logonHtml = LOGON_2016;
    env.rec.now += 2 * 60_000;
    await timeout(env, 1);
    expect(posted().get('flags')).toBe('4');
    expect(env.owa.posts).toHaveLength(5);
    // Kept with the session's marks (storage.session): a restarted worker still knows it.
    expect(env.areas.session.data.marks).toMatchObject({ [ORIGIN]: { computerByHand: 'public' } });
  });

  it('counts and learns for the kind of session held: a hidden flags=4 makes it private whatever the setting says', async () => {
    const env = await watchedWithCredentials();
    env.owa.logonHtml = LOGON_2016;
    // The user's own sign-in on a 2013 SP1+ page posts its hidden flags=4: an 8-hour session.
    await env.controller.observe({ origin: ORIGIN, tabId: 1, url: `${ORIGIN}/owa/auth.owa`, event: { type: 'logon-post', generation: '2010+', at: env.rec.now, computer: 'private' } });
    expect(env.controller.views()[0]).toMatchObject({ timeoutComputer: 'private', timeoutMinutes: 480, settings: { computer: 'public' } });
    await endAfterIdle(env);
    // The automatic sign-in posted flags=4 too: the session it made is private as well.
    expect(new URLSearchParams(env.owa.posts.at(-1)!.body).get('flags')).toBe('4');
    expect(env.controller.views()[0]).toMatchObject({ timeoutComputer: 'private', timeoutObservations: 1, suggestedTimeoutMinutes: 1 });
    await endAfterIdle(env);
    expect(env.controller.views()[0]).toMatchObject({ timeoutComputer: 'private', timeoutMinutes: 1, timeoutSource: 'learned' });
    expect(env.areas.local.data.learned).toMatchObject({ [ORIGIN]: { computer: 'private', observations: 2 } });
  });

  it('learns from ends seen as the browser reports them: the clearing of the cookies first, then the 440', async () => {
    const env = await watchedWithCredentials();
    const endSeenAsClearing = async () => {
      const activity = env.rec.now;
      await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'activity', generation: '2010+', at: activity } });
      env.rec.lastAnswered = activity + 75_000;
      env.rec.now = activity + 80_000;
      // The 440's Set-Cookie (or cookies.onChanged) ends the session before the 440 itself is handled.
      env.owa.jar.delete('cadata');
      await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'cookie-cleared', name: 'cadata', expired: true, at: env.rec.now } });
      await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'login-timeout', at: env.rec.now } });
      env.rec.now += 60_000;
    };
    await endSeenAsClearing();
    expect(env.controller.views()[0]).toMatchObject({ timeoutObservations: 1, suggestedTimeoutMinutes: 1 });
    await endSeenAsClearing();
    expect(env.controller.views()[0]).toMatchObject({ timeoutMinutes: 1, timeoutSource: 'learned', timeoutObservations: 2 });
    expect(env.owa.posts).toHaveLength(2);
  });

  it('"Sign in now" is the user\'s sign-in, not an automatic attempt', async () => {
    const env = await watchedWithCredentials();
    env.owa.jar.delete('cadata');
    expect(await ask(env.controller, { type: 'ui-bg-relogin-now', origin: ORIGIN })).toEqual({ type: 'bg-ui-ok' });
    expect(env.owa.posts).toHaveLength(1);
    const kinds = env.rec.timeline.events(ORIGIN).map((e) => e.kind);
    expect(kinds).toContain('sign-in-requested');
    expect(kinds).not.toContain('sign-in-started');
  });

  it('does nothing without opt-in, and never for origins it does not watch', async () => {
    const env = await watchedWithCredentials();
    await ask(env.controller, { type: 'ui-bg-set-settings', origin: ORIGIN, settings: { autoRelogin: false } });
    await timeout(env, 1);
    await env.controller.observe({ origin: 'https://other.example.com', tabId: 1, event: { type: 'login-timeout', at: 1 } });
    expect(env.owa.posts).toHaveLength(0);
    expect(env.controller.views()[0]!.status).toBe('expired');
  });

  it('the server clearing the session cookies starts a sign-in; a logoff first does not', async () => {
    const env = await watchedWithCredentials();
    env.owa.jar.delete('cadata');
    await env.controller.observe({ origin: ORIGIN, tabId: -1, event: { type: 'cookie-cleared', name: 'cadata', expired: true, at: env.rec.now } });
    expect(env.owa.posts).toHaveLength(1);
    expect(env.controller.views()[0]!.status).toBe('signed-in');
    env.rec.now += POLICY.episodeResetMs;
    await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'logoff', at: env.rec.now } });
    env.owa.jar.delete('cadata');
    await env.controller.observe({ origin: ORIGIN, tabId: -1, event: { type: 'cookie-cleared', name: 'cadata', expired: true, at: env.rec.now } });
    expect(env.owa.posts).toHaveLength(1);
    expect(env.controller.views()[0]!.status).toBe('signed-out');
  });

  it('posts nothing where forms logon is not available', async () => {
    const env = await watchedWithCredentials();
    await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'forms-unavailable', why: 'adfs', at: env.rec.now } });
    await timeout(env, 1);
    expect(env.owa.posts).toHaveLength(0);
    expect(env.controller.views()[0]).toMatchObject({ status: 'forms-unavailable', formsUnavailable: 'adfs' });
  });

  it('a worker stopped mid sign-in: the new one keeps the state and does not post twice', async () => {
    const env = await watchedWithCredentials();
    await signInCutOff(env);
    expect(env.areas.session.data.relogin).toMatchObject({ [ORIGIN]: { inFlight: { attempt: 1 } } });
    // "Stop" the worker: a new store and controller from the same storage areas.
    const next = await setup(env.owa, env.areas, env.rec);
    expect(next.controller.views()[0]).toMatchObject({ status: 'signing-in', credentials: 'session' });
    await timeout(next, 2);
    expect(env.owa.posts).toHaveLength(1);
    // The check alarm finishes the record: the POST never completed, so it counts as an attempt.
    env.rec.now += POLICY.staleInFlightMs + 1_000;
    await next.controller.onAlarm(CHECK_ALARM + ORIGIN);
    expect(next.controller.views()[0]).toMatchObject({ status: 'expired', failure: 'error' });
    expect(env.rec.alarms.has(RETRY_ALARM + ORIGIN)).toBe(true);
    await retryAnswered(env, next);
  });

  it('a sign-in cut off with its worker is settled as the next worker starts: one attempt spent, the pause, then one more POST', async () => {
    const env = await watchedWithCredentials();
    await signInCutOff(env);
    // Seconds later, not the minute the check alarm waits.
    env.rec.now += 5_000;
    const next = await setup(env.owa, env.areas, env.rec);
    await next.controller.settleCutOffSignIns();
    expect(next.controller.views()[0]).toMatchObject({ status: 'expired', failure: 'error' });
    expect(next.controller.views()[0]!.lastSignIn).toMatchObject({ outcome: 'error', detail: { key: 'bg_error_worker_stopped' } });
    expect(env.areas.session.data.relogin).toMatchObject({ [ORIGIN]: { inFlight: null, attempts: 1 } });
    expect(env.owa.posts).toHaveLength(1);
    // A 440 now waits for the pause; the retry alarm then signs in once.
    await timeout(next, 2);
    expect(env.owa.posts).toHaveLength(1);
    await retryAnswered(env, next);
    // Settling again (another start) finds nothing in flight and posts nothing.
    await (await setup(env.owa, env.areas, env.rec)).controller.settleCutOffSignIns();
    expect(env.owa.posts).toHaveLength(2);
  });

  it('a cut-off sign-in whose POST did set the session cookies is settled as a success at start, and its tab brought back', async () => {
    const env = await watchedWithCredentials();
    env.rec.tabs = [{ id: 1, url: `${ORIGIN}/owa/#inbox` }];
    await signInCutOff(env);
    // The answer's cookies reached the jar (and the old worker saw them) before it stopped.
    env.rec.now += 1_000;
    env.owa.jar.set('cadata', 'fresh');
    await env.controller.observe({ origin: ORIGIN, tabId: -1, event: { type: 'cookie-set', name: 'cadata', at: env.rec.now } });
    const next = await setup(env.owa, env.areas, env.rec);
    await next.controller.settleCutOffSignIns();
    expect(next.controller.views()[0]).toMatchObject({ status: 'signed-in', failure: null });
    expect(next.controller.views()[0]!.lastSignIn).toMatchObject({ outcome: 'success' });
    expect(env.rec.reloaded).toEqual([1]);
    expect(env.owa.posts).toHaveLength(1);
  });

  it('remembered credentials are only encrypted in storage.local and unlock once per browser session', async () => {
    const env = await setup();
    await ask(env.controller, { type: 'ui-bg-watch-origin', origin: ORIGIN });
    expect(await ask(env.controller, { type: 'ui-bg-set-credentials', origin: ORIGIN, username: 'alice', password: PASSWORD, remember: true })).toMatchObject({ type: 'bg-ui-error' });
    expect(await ask(env.controller, { type: 'ui-bg-set-credentials', origin: ORIGIN, username: 'alice', password: PASSWORD, remember: true, passphrase: 'correct horse battery' })).toEqual({
      type: 'bg-ui-ok',
    });
    const local = JSON.stringify(env.areas.local.data);
    expect(local).not.toContain(PASSWORD);
    expect(local).not.toContain('alice');
    expect(local).not.toContain('correct horse');
    expect(env.areas.local.data.vault).toMatchObject({ v: 1, kdf: 'PBKDF2-SHA256', iterations: 600_000 });
    // A new browser session: storage.session is empty again.
    const fresh = await setup(new FakeOwa(), { session: new MemoryArea(), local: env.areas.local });
    expect(fresh.controller.views()[0]!.credentials).toBe('locked');
    expect(await ask(fresh.controller, { type: 'ui-bg-unlock', passphrase: 'wrong passphrase' })).toMatchObject({ type: 'bg-ui-error' });
    expect(await ask(fresh.controller, { type: 'ui-bg-unlock', passphrase: 'correct horse battery' })).toEqual({ type: 'bg-ui-ok' });
    expect(fresh.controller.views()[0]).toMatchObject({ credentials: 'remembered', username: 'alice' });
    // Forgetting removes the vault once it is empty.
    await ask(fresh.controller, { type: 'ui-bg-forget-credentials', origin: ORIGIN });
    expect(fresh.areas.local.data.vault).toBeNull();
  });

  const OTHER = 'https://other.example.com';

  /** ORIGIN and OTHER watched, their credentials remembered in the vault. */
  async function twoSitesRemembered() {
    const env = await setup();
    for (const origin of [ORIGIN, OTHER]) {
      await ask(env.controller, { type: 'ui-bg-watch-origin', origin });
      await ask(env.controller, {
        type: 'ui-bg-set-credentials',
        origin,
        username: `alice@${new URL(origin).hostname}`,
        password: PASSWORD,
        remember: true,
        passphrase: 'correct horse battery',
      });
    }
    return env;
  }

  it('forgetting while the vault is locked is for real: watching again and unlocking does not bring them back', async () => {
    const env = await twoSitesRemembered();
    // A new browser session, vault locked: stop watching one site, forget the other's credentials.
    const locked = await setup(new FakeOwa(), { session: new MemoryArea(), local: env.areas.local });
    expect(locked.controller.views().map((v) => v.credentials)).toEqual(['locked', 'locked']);
    expect(await ask(locked.controller, { type: 'ui-bg-unwatch-origin', origin: ORIGIN })).toEqual({ type: 'bg-ui-ok' });
    expect(await ask(locked.controller, { type: 'ui-bg-forget-credentials', origin: OTHER })).toEqual({ type: 'bg-ui-ok' });
    expect(locked.controller.views()).toMatchObject([{ origin: OTHER, credentials: 'none' }]);
    expect(locked.areas.local.data.forgotten).toEqual([ORIGIN, OTHER]);
    // Another browser session: watch the first again, then unlock.
    const later = await setup(new FakeOwa(), { session: new MemoryArea(), local: env.areas.local });
    await ask(later.controller, { type: 'ui-bg-watch-origin', origin: ORIGIN });
    expect(later.controller.views().map((v) => v.credentials)).toEqual(['none', 'none']);
    // The vault still holds credentials no one forgot? None here: unlocking leaves nothing.
    expect(await ask(later.controller, { type: 'ui-bg-unlock', passphrase: 'correct horse battery' })).toEqual({ type: 'bg-ui-ok' });
    expect(later.controller.views().map((v) => v.credentials)).toEqual(['none', 'none']);
    expect(later.areas.local.data.vault).toBeNull();
    expect(later.areas.local.data.forgotten).toEqual([]);
  });

  it('an unlock after a forgetting keeps the credentials of the other sites, re-encrypted without the forgotten one', async () => {
    const env = await twoSitesRemembered();
    const locked = await setup(new FakeOwa(), { session: new MemoryArea(), local: env.areas.local });
    await ask(locked.controller, { type: 'ui-bg-forget-credentials', origin: ORIGIN });
    const blobBefore = JSON.stringify(locked.areas.local.data.vault);
    expect(await ask(locked.controller, { type: 'ui-bg-unlock', passphrase: 'correct horse battery' })).toEqual({ type: 'bg-ui-ok' });
    expect(locked.controller.views()).toMatchObject([
      { origin: ORIGIN, credentials: 'none' },
      { origin: OTHER, credentials: 'remembered', username: 'alice@other.example.com' },
    ]);
    expect(JSON.stringify(locked.areas.local.data.vault)).not.toBe(blobBefore);
    // The next browser session unlocks a vault that holds only the other site.
    const next = await setup(new FakeOwa(), { session: new MemoryArea(), local: env.areas.local });
    await ask(next.controller, { type: 'ui-bg-unlock', passphrase: 'correct horse battery' });
    expect(next.controller.views().map((v) => v.credentials)).toEqual(['none', 'remembered']);
  });

  it('views never carry a password', async () => {
    const env = await watchedWithCredentials();
    const reply = await ask(env.controller, { type: 'ui-bg-get-sessions' });
    expect(JSON.stringify(reply)).not.toContain(PASSWORD);
    expect(env.rec.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('refuses credentials for an http origin that is not loopback', async () => {
    const env = await setup();
    await ask(env.controller, { type: 'ui-bg-watch-origin', origin: 'http://mail.example.com' });
    expect(await ask(env.controller, { type: 'ui-bg-set-credentials', origin: 'http://mail.example.com', username: 'a', password: 'b', remember: false })).toEqual({
      type: 'bg-ui-error',
      error: { key: 'bg_error_https_only' },
    });
  });

  it('a session signed in by hand gets the tick alarm, and page traffic does not push it back', async () => {
    const env = await watchedWithCredentials();
    const first = env.rec.alarms.get(TICK_ALARM);
    expect(first).toBe(env.rec.now + 30_000);
    env.rec.now += 10_000;
    await env.controller.observe({ origin: ORIGIN, tabId: 1, event: { type: 'activity', generation: 'unknown', at: env.rec.now } });
    expect(env.rec.alarms.get(TICK_ALARM)).toBe(first);
    await env.controller.onAlarm(TICK_ALARM);
    expect(env.rec.alarms.get(TICK_ALARM)).toBe(env.rec.now + 30_000);
  });

  it('ticks: expiring before the window, a warning once, expired (estimate) after it', async () => {
    const env = await watchedWithCredentials();
    await ask(env.controller, { type: 'ui-bg-set-settings', origin: ORIGIN, settings: { notify: true, timeoutMinutes: 10, warnMinutes: 2 } });
    env.rec.now += 8.5 * 60_000;
    await env.controller.tick();
    await env.controller.tick();
    expect(env.controller.views()[0]!.status).toBe('expiring');
    expect(env.rec.notifications).toHaveLength(1);
    expect(env.rec.badges.at(-1)).toBe('1');
    env.rec.now += 10 * 60_000;
    await env.controller.tick();
    expect(env.controller.views()[0]!.status).toBe('expired');
    expect(env.rec.badges.at(-1)).toBe('exp');
  });
});
