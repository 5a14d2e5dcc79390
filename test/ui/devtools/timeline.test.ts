import { describe, expect, it } from 'vitest';
import { parseHarEntry, type HarEntry } from '../../../src/ui/devtools/model/har';
import { isAlarming, mergeTimeline, timelineFromEntry } from '../../../src/ui/devtools/model/timeline';

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

describe('session events from the tab traffic', () => {
  it('a 440 from a script request', () => {
    expect(timelineFromEntry(entry('POST', '/owa/service.svc?action=GetItem', 440, [['Set-Cookie', 'cadata=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/']]))).toEqual([
      { at: at + 100, kind: 'login-timeout', detail: 'POST /owa/service.svc', source: 'page', origin: ORIGIN },
      { at: at + 100, kind: 'cookie-cleared', detail: 'cadata', source: 'page', origin: ORIGIN },
    ]);
  });

  it('a redirect to the logon page, with its reason', () => {
    const events = timelineFromEntry(entry('GET', '/owa/', 302, [['Location', '/owa/auth/logon.aspx?url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=3']]));
    expect(events).toEqual([{ at: at + 100, kind: 'logon-redirect', detail: '/owa/', reason: 3, source: 'page', origin: ORIGIN }]);
    expect(isAlarming(events[0]!)).toBe(true);
  });

  it('a sign-in that works: POST auth.owa, 302 to the mailbox, cadata cookies set', () => {
    const events = timelineFromEntry(
      entry('POST', '/owa/auth.owa', 302, [
        ['Location', `${ORIGIN}/owa/`],
        ['Set-Cookie', 'cadata="abc"; path=/; HttpOnly\ncadataKey="k"; path=/\nUC=u; path=/\nX-OWA-CANARY=c; path=/'],
      ]),
    );
    expect(events.map((e) => [e.kind, e.detail])).toEqual([
      ['sign-in-started', '/owa/auth.owa'],
      ['sign-in-succeeded', '/owa/'],
      ['cookie-set', 'cadata, cadataKey, UC, X-OWA-CANARY'],
    ]);
  });

  it('a sign-in that fails: back to the logon page with reason=2', () => {
    const events = timelineFromEntry(entry('POST', '/owa/auth.owa', 302, [['Location', '/owa/auth/logon.aspx?replaceCurrent=1&reason=2']]));
    expect(events.map((e) => [e.kind, e.reason])).toEqual([
      ['sign-in-started', undefined],
      ['sign-in-failed', 2],
    ]);
  });

  it('2003: owaauth.dll and the sessionid cookie', () => {
    const events = timelineFromEntry(entry('POST', '/exchweb/bin/auth/owaauth.dll', 302, [['Location', '/exchange/'], ['Set-Cookie', 'sessionid=1; path=/']]));
    expect(events.map((e) => e.kind)).toEqual(['sign-in-started', 'sign-in-succeeded', 'cookie-set']);
  });

  it('ignores ordinary traffic and cookies that are not the session', () => {
    expect(timelineFromEntry(entry('GET', '/owa/', 200, [['Set-Cookie', 'ClientId=xyz; path=/']]))).toEqual([]);
    expect(timelineFromEntry(entry('GET', '/owa/service.svc', 200))).toEqual([]);
  });

  it('merges two sources in time order without repeats', () => {
    const a = timelineFromEntry(entry('POST', '/owa/service.svc', 440));
    const b = [{ at: at - 5, kind: 'sign-in-started' as const, detail: 'relogin', source: 'extension' as const, origin: ORIGIN }];
    const merged = mergeTimeline(mergeTimeline(a, b), a);
    expect(merged.map((e) => e.kind)).toEqual(['sign-in-started', 'login-timeout']);
  });
});

describe('redirects to other sign-in pages', () => {
  it('AD FS counts as a logon redirect, without a reason', () => {
    const events = timelineFromEntry(entry('GET', '/owa/', 302, [['Location', 'https://mail.contoso.com/adfs/ls/?wa=wsignin1.0']]));
    expect(events).toEqual([{ at: at + 100, kind: 'logon-redirect', detail: '/owa/', source: 'page', origin: ORIGIN }]);
    expect(isAlarming(events[0]!)).toBe(false);
  });
});
