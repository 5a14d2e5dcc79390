import { describe, expect, it } from 'vitest';
import type { SessionsUpdate } from '../../../src/ui/connect/connector';
import { MockConnector } from '../../../src/ui/connect/mock';
import type { TimelineEvent } from '../../../src/messages/protocol';
import { parseHarEntry, type HarEntry } from '../../../src/ui/devtools/model/har';
import { addPageEvents, isAlarming, originTimeline, PAGE_EVENT_LIMIT, SAME_TIME_MS, timelineFromEntry, type PageEvent, type ShownEvent } from '../../../src/ui/devtools/model/timeline';
import { watchWatchedOrigins } from '../../../src/ui/devtools/session-watch';
import { groupCookies } from '../../../src/ui/shared/timeline-rows';
import { sessionView } from '../setup-dom';
import { literal, msg, type Words } from '../../../src/shared/words';
import { english } from '../../shared/english';

const ORIGIN = 'https://mail.contoso.com';

function entry(method: string, path: string, status: number, headers: Array<[string, string]> = []): HarEntry {
  return parseHarEntry({
    startedDateTime: '2026-03-02T10:00:00.000Z',
    time: 100,
    request: { method, url: `${ORIGIN}${path}`, headers: [] },
    response: { status, statusText: '', headers: headers.map(([name, value]) => ({ name, value })), content: {} },
  })!;
}

const at = Date.parse('2026-03-02T10:00:00.000Z');
const kinds = (events: readonly TimelineEvent[]) => events.map((e) => e.kind);

/** A detail written as text: a cookie's name for cookie kinds, else a literal; none when empty. */
function words(kind: TimelineEvent['kind'], text: string): Words | undefined {
  if (!text) return undefined;
  return kind === 'cookie-set' || kind === 'cookie-cleared' ? msg('bg_cookie', text) : literal(text);
}
type Raw = Omit<ShownEvent, 'detail'> & { detail: string };
const raw = (list: Raw[]): ShownEvent[] => list.map((e) => ({ ...e, detail: words(e.kind, e.detail) }));

describe('session events from the tab traffic, in the background timeline vocabulary', () => {
  it('a 440 from a script request, with the cookies it cleared (by name, lower case)', () => {
    const url = `${ORIGIN}/owa/service.svc?action=GetItem`;
    expect(timelineFromEntry(entry('POST', '/owa/service.svc?action=GetItem', 440, [['Set-Cookie', 'cadataKey=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/']]))).toEqual([
      { at: at + 100, kind: '440', detail: msg('bg_timeline_login_timeout'), url, origin: ORIGIN },
      { at: at + 100, kind: 'cookie-cleared', detail: msg('bg_cookie', 'cadatakey'), url, origin: ORIGIN },
    ]);
  });

  it('a redirect to the logon page, with its reason in words and as a number', () => {
    const events = timelineFromEntry(entry('GET', '/owa/', 302, [['Location', '/owa/auth/logon.aspx?url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=3']]));
    expect(events).toEqual([{ at: at + 100, kind: 'logon-redirect', detail: msg('bg_reason', 3, msg('bg_reason_timeout')), reason: 3, url: `${ORIGIN}/owa/`, origin: ORIGIN }]);
    expect(isAlarming(events[0]!)).toBe(true);
    const plain = timelineFromEntry(entry('GET', '/owa/', 302, [['Location', '/owa/auth/logon.aspx?reason=0']]));
    expect(plain[0]).toMatchObject({ kind: 'logon-redirect', reason: 0 });
    expect(isAlarming(plain[0]!)).toBe(false);
  });

  it('a sign-in by hand that works: the logon POST, then one event per session cookie', () => {
    const events = timelineFromEntry(
      entry('POST', '/owa/auth.owa', 302, [
        ['Location', `${ORIGIN}/owa/`],
        ['Set-Cookie', 'cadata="abc"; path=/; HttpOnly\ncadataKey="k"; path=/\nUC=u; path=/\nX-OWA-CANARY=c; path=/\nClientId=1; path=/'],
      ]),
    );
    expect(events.map((e) => [e.kind, english(e.detail)])).toEqual([
      ['logon-post', 'the logon form was posted (a sign-in by hand)'],
      ['cookie-set', 'cadata'],
      ['cookie-set', 'cadatakey'],
      ['cookie-set', 'uc'],
      ['cookie-set', 'x-owa-canary'],
    ]);
  });

  it('a sign-in by hand that fails: back to the logon page with reason=2; a POST answered with an HTTP error says so', () => {
    const events = timelineFromEntry(entry('POST', '/owa/auth.owa', 302, [['Location', '/owa/auth/logon.aspx?replaceCurrent=1&reason=2']]));
    expect(events.map((e) => [e.kind, english(e.detail)])).toEqual([
      ['logon-post', 'the logon form was posted (a sign-in by hand)'],
      ['logon-redirect', 'reason=2: wrong user name or password'],
    ]);
    expect(english(timelineFromEntry(entry('POST', '/owa/auth.owa', 400))[0]!.detail)).toBe('the logon form was posted (a sign-in by hand): HTTP 400');
  });

  it('2003: owaauth.dll and the sessionid cookie; a sign-out', () => {
    expect(
      kinds(
        timelineFromEntry(
          entry('POST', '/exchweb/bin/auth/owaauth.dll', 302, [
            ['Location', '/exchange/'],
            ['Set-Cookie', 'sessionid=1; path=/'],
          ]),
        ),
      ),
    ).toEqual(['logon-post', 'cookie-set']);
    expect(timelineFromEntry(entry('GET', '/owa/logoff.owa', 302, [['Location', '/owa/auth/logon.aspx?reason=1']])).map((e) => [e.kind, english(e.detail)])).toEqual([
      ['logoff', 'signed out by the user'],
      ['logon-redirect', 'reason=1: signed out'],
    ]);
  });

  it('a redirect to AD FS is a sign-in the extension cannot do, not a logon redirect', () => {
    const events = timelineFromEntry(entry('GET', '/owa/', 302, [['Location', 'https://mail.contoso.com/adfs/ls/?wa=wsignin1.0']]));
    expect(kinds(events)).toEqual(['forms-unavailable']);
    expect(english(events[0]!.detail)).toContain('AD FS');
  });

  it('ignores ordinary traffic, cookies that are not the session, and what is not http(s)', () => {
    expect(timelineFromEntry(entry('GET', '/owa/', 200, [['Set-Cookie', 'ClientId=xyz; path=/']]))).toEqual([]);
    expect(timelineFromEntry(entry('GET', '/owa/service.svc', 200))).toEqual([]);
    expect(timelineFromEntry({ ...entry('GET', '/', 440), request: { method: 'GET', url: 'data:text/plain,x', headers: [] } })).toEqual([]);
  });
});

describe("the tab's events kept by the panel", () => {
  it('reading the HAR log again adds no repeats; the list stays in time order and bounded', () => {
    const a = timelineFromEntry(entry('POST', '/owa/service.svc', 440));
    const earlier: PageEvent = { at: at - 5, kind: 'logoff', detail: literal('x'), origin: ORIGIN };
    const once = addPageEvents(a, [earlier]);
    expect(kinds(addPageEvents(once, a))).toEqual(['logoff', '440']);
    expect(addPageEvents(once, a)).toBe(once);
    const many = Array.from({ length: PAGE_EVENT_LIMIT + 10 }, (_, i): PageEvent => ({ at: i, kind: '440', origin: ORIGIN }));
    const kept = addPageEvents([], many);
    expect(kept).toHaveLength(PAGE_EVENT_LIMIT);
    expect(kept[0]!.at).toBe(10);
  });
});

describe("one origin's timeline: the background's, and what only the tab showed", () => {
  const bg = (t: number, kind: TimelineEvent['kind'], detail = ''): TimelineEvent => ({ at: t, kind, detail: words(kind, detail) });
  const page = (t: number, kind: TimelineEvent['kind'], detail = ''): PageEvent => ({ at: t, kind, detail: words(kind, detail), origin: ORIGIN });

  it('a 440 both saw is shown once, as the background recorded it', () => {
    const shown = originTimeline([bg(1500, '440', 'from the worker')], [page(1000, '440', 'from the tab')]);
    expect(shown).toEqual([{ at: 1500, kind: '440', detail: literal('from the worker'), source: 'extension' }]);
  });

  it('the same kind further apart than SAME_TIME_MS is two events', () => {
    const shown = originTimeline([bg(1000 + SAME_TIME_MS + 1, '440')], [page(1000, '440')]);
    expect(shown.map((e) => `${e.source}:${e.kind}@${e.at}`)).toEqual(['page:440@1000', `extension:440@${1001 + SAME_TIME_MS}`]);
  });

  it('one background event stands for one tab event: two 440s a second apart, the worker saw one', () => {
    const shown = originTimeline([bg(1000, '440')], [page(1000, '440'), page(2000, '440')]);
    expect(shown.map((e) => `${e.source}@${e.at}`)).toEqual(['extension@1000', 'page@2000']);
  });

  it('cookies match by name; other kinds are not the same news', () => {
    const shown = originTimeline(
      [bg(1000, 'cookie-set', 'cadata'), bg(1000, 'sign-in-started', 'automatic sign-in, attempt 1')],
      [page(1100, 'cookie-set', 'cadata'), page(1100, 'cookie-set', 'uc'), page(1100, 'logon-post')],
    );
    expect(shown.map((e) => `${e.source}:${e.kind}:${english(e.detail)}`)).toEqual([
      'extension:cookie-set:cadata',
      'extension:sign-in-started:automatic sign-in, attempt 1',
      'page:cookie-set:uc',
      'page:logon-post:',
    ]);
  });

  it('an origin the background does not watch: the tab events alone, marked as such', () => {
    expect(originTimeline([], [page(5, '440')])).toEqual([{ at: 5, kind: '440', source: 'page' }]);
  });

  it('the cookies of one moment share a row, across the events between them; another kind, source or moment starts a new one', () => {
    const events: ShownEvent[] = raw([
      { at: 1000, kind: 'cookie-set', detail: 'cadata', source: 'extension' },
      { at: 1005, kind: 'logon-post', detail: '', source: 'extension' },
      { at: 1010, kind: 'cookie-set', detail: 'cadatakey', source: 'extension' },
      { at: 1020, kind: 'cookie-set', detail: 'cadata', source: 'extension' },
      { at: 1030, kind: 'cookie-set', detail: 'uc', source: 'page' },
      { at: 1040, kind: 'cookie-cleared', detail: 'uc', source: 'page' },
      { at: 5000, kind: 'cookie-cleared', detail: 'x-owa-canary', source: 'page' },
      { at: 5000, kind: '440', detail: '', source: 'extension' },
      { at: 5001, kind: '440', detail: '', source: 'extension' },
      // A sign-in right after the 440 sets them again: a new row, though within the second.
      { at: 5100, kind: 'cookie-cleared', detail: 'cadata', source: 'extension' },
      { at: 5200, kind: 'cookie-set', detail: 'cadata', source: 'extension' },
      { at: 5300, kind: 'cookie-cleared', detail: 'uc', source: 'extension' },
    ]);
    expect(groupCookies(events).map((e) => `${e.source}:${e.kind}:${english(e.detail)}`)).toEqual([
      'extension:cookie-set:cadata, cadatakey',
      'extension:logon-post:',
      'page:cookie-set:uc',
      'page:cookie-cleared:uc',
      'page:cookie-cleared:x-owa-canary',
      'extension:440:',
      'extension:440:',
      'extension:cookie-cleared:cadata',
      'extension:cookie-set:cadata',
      'extension:cookie-cleared:uc',
    ]);
  });
});

describe('cookie rows', () => {
  it('set, cleared and set again within a second (a sign-in right after a 440) are three rows', () => {
    const events: ShownEvent[] = raw([
      { at: 100, kind: 'cookie-set', detail: 'cadata', source: 'extension' },
      { at: 400, kind: 'cookie-cleared', detail: 'cadata', source: 'extension' },
      { at: 405, kind: '440', detail: '', source: 'extension' },
      { at: 450, kind: 'cookie-set', detail: 'cadata', source: 'extension' },
      { at: 460, kind: 'cookie-set', detail: 'uc', source: 'extension' },
    ]);
    expect(groupCookies(events).map((e) => `${e.kind}:${english(e.detail)}`)).toEqual(['cookie-set:cadata', 'cookie-cleared:cadata', '440:', 'cookie-set:cadata, uc']);
  });
});

describe('the watched origins', () => {
  it('follow the pushes of the sessions port, and the subscription ends', () => {
    const connector = new MockConnector();
    const watched: string[][] = [];
    const stop = watchWatchedOrigins(connector, (o) => watched.push([...o]));
    const push = (update: SessionsUpdate) => connector.pushSessions(update);
    push({ sessions: [sessionView({ origin: ORIGIN })], vault: 'none' });
    push({ sessions: [], vault: 'none' });
    stop();
    push({ sessions: [sessionView({ origin: ORIGIN })], vault: 'none' });
    expect(watched).toEqual([[ORIGIN], []]);
  });
});
