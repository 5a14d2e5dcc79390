// The session timeline: what each observation adds, repeats dropped, bounded, kept across a
// worker restart; and the controller recording 440s and its own sign-ins.
import { describe, expect, it } from 'vitest';
import { appendEntries, TimelineLog, timelineEntries, TIMELINE_KEY_PREFIX } from '../../src/background/timeline';
import { Controller } from '../../src/background/controller';
import { loadState, Store } from '../../src/background/store';
import { initialSession, reduceSession } from '../../src/owa/session-model';
import type { TimelineEvent } from '../../src/messages/protocol';
import { literal, msg } from '../../src/shared/words';
import { english } from '../shared/english';
import { ask, FakeOwa, MemoryArea, ORIGIN, Recorder } from './fakes';

const live = reduceSession(initialSession(ORIGIN, 0), { type: 'cookie-set', name: 'cadata', at: 1 });

describe('timeline entries', () => {
  it('names what happened, with the request URL; cookie names only, never values', () => {
    const url = `${ORIGIN}/owa/service.svc`;
    expect(timelineEntries({ type: 'login-timeout', at: 5 }, live, live, url)).toEqual([{ at: 5, kind: '440', detail: { key: 'bg_timeline_login_timeout' }, url }]);
    expect(english(timelineEntries({ type: 'login-timeout', at: 5 }, live, live)[0]!.detail)).toBe('HTTP 440 Login Timeout: the server ended the session');
    expect(timelineEntries({ type: 'logon-redirect', reason: 3, generation: '2010+', logonUrl: 'x', at: 6 }, live, live)[0]).toMatchObject({
      kind: 'logon-redirect',
      detail: msg('bg_reason', 3, msg('bg_reason_timeout')),
      reason: 3,
    });
    expect(english(timelineEntries({ type: 'logon-redirect', reason: 3, generation: '2010+', logonUrl: 'x', at: 6 }, live, live)[0]!.detail)).toBe('reason=3: the session timed out');
    expect(timelineEntries({ type: 'cookie-set', name: 'cadataKey', at: 7 }, live, live)).toEqual([{ at: 7, kind: 'cookie-set', detail: msg('bg_cookie', 'cadatakey') }]);
    expect(timelineEntries({ type: 'cookie-cleared', name: 'cadata', expired: true, at: 8 }, live, live)[0]).toMatchObject({ kind: 'cookie-cleared', detail: msg('bg_cookie', 'cadata') });
    // A clearing of a cookie we never saw is not news.
    expect(timelineEntries({ type: 'cookie-cleared', name: 'UC', expired: true, at: 8 }, live, live)).toEqual([]);
    expect(timelineEntries({ type: 'activity', generation: 'unknown', at: 9 }, live, live)).toEqual([]);
    const expired = reduceSession(live, { type: 'tick', phase: 'past', at: 10 });
    expect(timelineEntries({ type: 'tick', phase: 'past', at: 10 }, live, expired)[0]!.kind).toBe('expired-estimate');
  });

  it('drops a repeat within 2 s (Set-Cookie then the cookies API, a redirect then its page) and keeps the newest N', () => {
    const a: TimelineEvent = { at: 1000, kind: 'cookie-set', detail: msg('bg_cookie', 'cadata') };
    expect(appendEntries([a], [{ ...a, at: 2500 }])).toHaveLength(1);
    expect(appendEntries([a], [{ ...a, at: 3500 }])).toHaveLength(2);
    // Set-Cookie names its request, the cookies API does not: still the same cookie.
    const withUrl: TimelineEvent = { ...a, url: `${ORIGIN}/owa/auth.owa` };
    expect(appendEntries([withUrl], [{ ...a, at: 1200 }])).toEqual([withUrl]);
    // A redirect to the logon page, then the logon page itself loading.
    const redirect: TimelineEvent = { at: 1000, kind: 'logon-redirect', detail: msg('bg_reason', 0, msg('bg_reason_none')), url: `${ORIGIN}/owa/` };
    expect(appendEntries([redirect], [{ ...redirect, at: 1100, url: `${ORIGIN}/owa/auth/logon.aspx?reason=0` }])).toEqual([redirect]);
    expect(appendEntries([redirect], [{ ...redirect, at: 1100, detail: msg('bg_reason', 3, msg('bg_reason_timeout')) }])).toHaveLength(2);
    // Set, cleared and set again within 2 s (a sign-in right after a 440) is news each time.
    const cleared: TimelineEvent = { at: 1100, kind: 'cookie-cleared', detail: msg('bg_cookie', 'cadata') };
    expect(appendEntries([a], [cleared, { ...a, at: 1200 }]).map((e) => e.kind)).toEqual(['cookie-set', 'cookie-cleared', 'cookie-set']);
    const many = Array.from({ length: 250 }, (_, i): TimelineEvent => ({ at: i * 10_000, kind: '440', detail: literal('x') }));
    const kept = appendEntries([], many, 200);
    expect(kept).toHaveLength(200);
    expect(kept[0]!.at).toBe(50 * 10_000);
  });

  it('the log is written per origin and read back by a restarted worker', async () => {
    const area = new MemoryArea();
    const log = new TimelineLog(area, 3);
    const pushed: number[] = [];
    log.onChange((_, events) => void pushed.push(events.length));
    await log.append(ORIGIN, [{ at: 1, kind: '440', detail: literal('a') }]);
    await log.append(ORIGIN, [
      { at: 10_000, kind: '440', detail: literal('b') },
      { at: 20_000, kind: '440', detail: literal('c') },
      { at: 30_000, kind: '440', detail: msg('bg_cookie', 'd') },
    ]);
    expect(Object.keys(area.data)).toEqual([TIMELINE_KEY_PREFIX + ORIGIN]);
    expect(pushed).toEqual([1, 3]);
    const again = new TimelineLog(area, 3);
    await again.load([ORIGIN, 'https://other.example.com']);
    expect(again.events(ORIGIN).map((e) => english(e.detail))).toEqual(['b', 'c', 'd']);
    expect(again.events(ORIGIN)[2]!.detail).toEqual({ key: 'bg_cookie', subs: ['d'] });
    await again.clear(ORIGIN);
    expect(again.events(ORIGIN)).toEqual([]);
    expect(area.data[TIMELINE_KEY_PREFIX + ORIGIN]).toEqual([]);
  });

  it('entries an earlier version stored with an English detail still show, as that text', async () => {
    const area = new MemoryArea();
    area.data[TIMELINE_KEY_PREFIX + ORIGIN] = [
      { at: 1, kind: '440', detail: 'HTTP 440 Login Timeout: the server ended the session', url: `${ORIGIN}/owa/` },
      { at: 2, kind: 'cookie-set', detail: 'cadata' },
      { at: 3, kind: 'logoff', detail: '' },
      { at: 4, kind: '440', detail: { key: 42 } },
      { at: 5, kind: 'cookie-set', detail: { key: 'bg_cookie', subs: ['uc'] } },
    ];
    const log = new TimelineLog(area);
    await log.load([ORIGIN]);
    expect(log.events(ORIGIN)).toEqual([
      { at: 1, kind: '440', detail: literal('HTTP 440 Login Timeout: the server ended the session'), url: `${ORIGIN}/owa/` },
      { at: 2, kind: 'cookie-set', detail: literal('cadata') },
      { at: 3, kind: 'logoff' },
      { at: 5, kind: 'cookie-set', detail: msg('bg_cookie', 'uc') },
    ]);
    expect(log.events(ORIGIN).map((e) => english(e.detail))).toEqual(['HTTP 440 Login Timeout: the server ended the session', 'cadata', '', 'uc']);
  });
});

describe('controller: timeline, last 440 and last automatic sign-in', () => {
  async function setup() {
    const owa = new FakeOwa();
    const areas = { session: new MemoryArea(), local: new MemoryArea() };
    const rec = new Recorder();
    const store = new Store(await loadState(areas.session, areas.local), areas);
    const controller = new Controller({ ...rec.deps(), store, signIn: owa.signInDeps() });
    await ask(controller, { type: 'ui-bg-watch-origin', origin: ORIGIN });
    await ask(controller, { type: 'ui-bg-set-settings', origin: ORIGIN, settings: { autoRelogin: true } });
    await ask(controller, { type: 'ui-bg-set-credentials', origin: ORIGIN, username: 'alice', password: 'right-password', remember: false });
    owa.jar.set('cadata', 'first');
    await controller.observe({ origin: ORIGIN, tabId: -1, event: { type: 'cookie-set', name: 'cadata', at: rec.now } });
    return { owa, areas, rec, controller };
  }

  it('a 440 and the sign-in after it show in the timeline and the view', async () => {
    const env = await setup();
    expect(env.controller.views()[0]).toMatchObject({ last440: null, lastSignIn: null });
    env.rec.now += 60_000;
    env.owa.jar.delete('cadata');
    await env.controller.observe({ origin: ORIGIN, tabId: 3, url: `${ORIGIN}/owa/service.svc`, event: { type: 'login-timeout', at: env.rec.now } });
    const view = env.controller.views()[0]!;
    expect(view.last440).toBe(env.rec.now);
    expect(view.lastSignIn).toEqual({ at: env.rec.now, outcome: 'success', detail: { key: 'bg_sign_in_again' } });
    expect(english(view.lastSignIn!.detail)).toBe('signed in again');
    const reply = await ask(env.controller, { type: 'ui-bg-get-timeline', origin: ORIGIN });
    expect(reply.type === 'bg-ui-timeline' && reply.events.map((e) => e.kind)).toEqual(['cookie-set', '440', 'sign-in-started', 'sign-in-succeeded']);
    await env.rec.timeline.flushed();
    expect(JSON.stringify(env.rec.timelineArea.history)).not.toContain('right-password');
  });

  it('a refused password is the last sign-in, with why', async () => {
    const env = await setup();
    env.owa.password = 'changed';
    env.owa.jar.delete('cadata');
    await env.controller.observe({ origin: ORIGIN, tabId: 3, event: { type: 'login-timeout', at: env.rec.now } });
    expect(env.controller.views()[0]!.lastSignIn).toMatchObject({ outcome: 'rejected', detail: { key: 'common_failure_rejected' } });
    expect(english(env.controller.views()[0]!.lastSignIn!.detail)).toMatch(/refused/);
    const reply = await ask(env.controller, { type: 'ui-bg-get-timeline', origin: ORIGIN });
    expect(reply.type === 'bg-ui-timeline' && reply.events.at(-1)).toMatchObject({ kind: 'sign-in-failed' });
  });

  it('survives a worker restart; unwatching forgets it', async () => {
    const env = await setup();
    await env.controller.observe({ origin: ORIGIN, tabId: 3, event: { type: 'logoff', at: env.rec.now } });
    await env.rec.timeline.flushed();
    const state = await loadState(env.areas.session, env.areas.local);
    const log = new TimelineLog(env.rec.timelineArea);
    await log.load(state.watched);
    expect(log.events(ORIGIN).map((e) => e.kind)).toEqual(['cookie-set', 'logoff']);
    await ask(env.controller, { type: 'ui-bg-unwatch-origin', origin: ORIGIN });
    expect(env.rec.timeline.events(ORIGIN)).toEqual([]);
  });

  it("an earlier version's last sign-in, stored in English, reads back as that text", async () => {
    const env = await setup();
    const marks = { [ORIGIN]: { last440: 5, lastSignIn: { at: 5, outcome: 'error', detail: 'logon page unreachable: offline' } } };
    await env.areas.session.set({ marks });
    const state = await loadState(env.areas.session, env.areas.local);
    expect(state.marks[ORIGIN]!.lastSignIn).toEqual({ at: 5, outcome: 'error', detail: literal('logon page unreachable: offline') });
    await env.areas.session.set({ marks: { [ORIGIN]: { last440: 5, lastSignIn: { at: 5, outcome: 'error', detail: { key: 7 } } } } });
    expect((await loadState(env.areas.session, env.areas.local)).marks[ORIGIN]!.lastSignIn).toBeNull();
  });
});
