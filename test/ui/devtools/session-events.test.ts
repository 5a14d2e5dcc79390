import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/messages/protocol';
import { DEFAULT_SETTINGS } from '../../../src/owa/settings';
import { sessionViewEvents } from '../../../src/ui/devtools/model/session-events';
import { mergeTimeline, type TimelineEvent } from '../../../src/ui/devtools/model/timeline';
import { watchSessionEvents } from '../../../src/ui/devtools/session-watch';
import type { SessionsUpdate } from '../../../src/ui/connect/connector';

const ORIGIN = 'https://mail.contoso.com';

function view(patch: Partial<SessionView>): SessionView {
  return {
    origin: ORIGIN,
    status: 'signed-in',
    generation: '2010+',
    formsUnavailable: null,
    failure: null,
    lastReason: null,
    lastActivity: 0,
    cookies: ['cadata', 'cadatakey'],
    expiry: null,
    timeoutMinutes: 15,
    settings: { ...DEFAULT_SETTINGS },
    credentials: 'session',
    username: 'alice',
    hostPermission: true,
    last440: null,
    lastSignIn: null,
    ...patch,
  };
}

describe('timeline events from the session watcher', () => {
  it("the watcher's own sign-in: started, then succeeded, with its cookies", () => {
    const expired = view({ status: 'expired', cookies: [] });
    const signing = view({ status: 'signing-in', cookies: [] });
    const signed = view({ status: 'signed-in', cookies: ['cadata', 'cadatakey'] });
    expect(sessionViewEvents(expired, signing, 1).map((e) => e.kind)).toEqual(['sign-in-started']);
    expect(sessionViewEvents(signing, signed, 2)).toEqual([
      { at: 2, kind: 'sign-in-succeeded', detail: '', source: 'extension', origin: ORIGIN },
      { at: 2, kind: 'cookie-set', detail: 'cadata, cadatakey', source: 'extension', origin: ORIGIN },
    ]);
  });

  it('a failed sign-in says why; expiry says the reason seen', () => {
    expect(sessionViewEvents(view({ status: 'signing-in' }), view({ status: 'sign-in-failed', failure: 'rejected' }), 3)).toEqual([
      { at: 3, kind: 'sign-in-failed', detail: '', failure: 'rejected', source: 'extension', origin: ORIGIN },
    ]);
    expect(sessionViewEvents(view({}), view({ status: 'expired', lastReason: 3, cookies: [] }), 4)).toEqual([
      { at: 4, kind: 'session-expired', detail: '', reason: 3, source: 'extension', origin: ORIGIN },
      { at: 4, kind: 'cookie-cleared', detail: 'cadata, cadatakey', source: 'extension', origin: ORIGIN },
    ]);
  });

  it('nothing from the first view, or when nothing changed', () => {
    expect(sessionViewEvents(undefined, view({}), 1)).toEqual([]);
    expect(sessionViewEvents(view({}), view({ lastActivity: 99 }), 1)).toEqual([]);
    // A sign-in by hand shows in the tab's traffic; the watcher does not repeat it.
    expect(sessionViewEvents(view({ status: 'signed-out', cookies: ['cadata', 'cadatakey'] }), view({}), 1)).toEqual([]);
  });

  it('the timeline drops a watcher event the traffic already showed at about the same time', () => {
    const page: TimelineEvent[] = [{ at: 1000, kind: 'login-timeout', detail: 'POST /owa/service.svc', source: 'page', origin: ORIGIN }];
    const watcher: TimelineEvent[] = [
      { at: 1800, kind: 'session-expired', detail: '', source: 'extension', origin: ORIGIN },
      { at: 1800, kind: 'sign-in-started', detail: '', source: 'extension', origin: ORIGIN },
    ];
    expect(mergeTimeline(page, watcher).map((e) => `${e.source}:${e.kind}`)).toEqual(['page:login-timeout', 'extension:sign-in-started']);
    const later: TimelineEvent[] = [{ at: 9000, kind: 'session-expired', detail: '', source: 'extension', origin: ORIGIN }];
    expect(mergeTimeline(page, later).map((e) => e.kind)).toEqual(['login-timeout', 'session-expired']);
  });

  it('follows the pushes of the sessions port', () => {
    let push: (update: SessionsUpdate) => void = () => undefined;
    let unsubscribed = false;
    const source = {
      subscribeSessions(listener: (update: SessionsUpdate) => void) {
        push = listener;
        return () => {
          unsubscribed = true;
        };
      },
    };
    const events: TimelineEvent[] = [];
    const watched: string[][] = [];
    const stop = watchSessionEvents(source, () => 42, { events: (e) => events.push(...e), watched: (o) => watched.push([...o]) });
    push({ sessions: [view({ status: 'expired', cookies: [] })], vault: 'none' });
    push({ sessions: [view({ status: 'signing-in', cookies: [] })], vault: 'none' });
    push({ sessions: [], vault: 'none' });
    expect(events).toEqual([{ at: 42, kind: 'sign-in-started', detail: '', source: 'extension', origin: ORIGIN }]);
    expect(watched).toEqual([[ORIGIN], [ORIGIN], []]);
    stop();
    expect(unsubscribed).toBe(true);
  });
});
