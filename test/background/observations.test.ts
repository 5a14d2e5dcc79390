import { describe, expect, it } from 'vitest';
import { fromSend, fromCompleted, fromCookieChange, fromHeadersReceived, fromRedirect, isOwnRequest, originsForCookie, type RequestDetails } from '../../src/background/observations';

const O = 'http://127.0.0.1:8080';
const base: RequestDetails = { requestId: '1', url: `${O}/owa/service.svc?action=GetFolder`, method: 'POST', type: 'xmlhttprequest', tabId: 5, timeStamp: 0 };

describe('webRequest observations', () => {
  it('a 440 is a login timeout; its Set-Cookie clearings are seen too', () => {
    const obs = fromHeadersReceived({ ...base, statusCode: 440, responseHeaders: [{ name: 'Set-Cookie', value: 'cadata=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/' }, { name: 'Connection', value: 'close' }] }, 9);
    expect(obs).toEqual([
      { origin: O, tabId: 5, url: base.url, event: { type: 'cookie-cleared', name: 'cadata', expired: true, at: 9 } },
      { origin: O, tabId: 5, url: base.url, event: { type: 'login-timeout', at: 9 } },
    ]);
  });

  it('reads Firefox-style joined Set-Cookie headers', () => {
    const obs = fromHeadersReceived({ ...base, statusCode: 200, responseHeaders: [{ name: 'set-cookie', value: 'cadata=x; path=/\nUC=y; path=/\nother=z' }] }, 1);
    expect(obs.map((o) => o.event)).toEqual([
      { type: 'cookie-set', name: 'cadata', at: 1 },
      { type: 'cookie-set', name: 'UC', at: 1 },
    ]);
  });

  it('a redirect to the logon page carries reason and logon URL; away from AD FS says so', () => {
    const logon = `${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=3`;
    expect(fromRedirect({ ...base, method: 'GET', type: 'main_frame', url: `${O}/owa/`, redirectUrl: logon }, 2)).toEqual([
      { origin: O, tabId: 5, url: `${O}/owa/`, event: { type: 'logon-redirect', reason: 3, generation: 'unknown', logonUrl: logon, at: 2 } },
    ]);
    expect(fromRedirect({ ...base, url: `${O}/owa/`, redirectUrl: 'https://sts.example.com/adfs/ls/?wa=wsignin1.0' }, 2).map((o) => o.event)).toEqual([
      { type: 'forms-unavailable', why: 'adfs', at: 2 },
    ]);
    expect(fromRedirect({ ...base, url: `${O}/exchange/`, redirectUrl: `${O}/exchweb/bin/auth/owalogon.asp?url=x&reason=0` }, 2)[0]!.event).toMatchObject({ generation: '2003', reason: 0 });
  });

  it('counts activity only for counted, successful, ordinary requests', () => {
    expect(fromCompleted({ ...base, statusCode: 200 }, true, 3).map((o) => o.event.type)).toEqual(['activity']);
    expect(fromCompleted({ ...base, statusCode: 200 }, false, 3)).toEqual([]);
    expect(fromCompleted({ ...base, statusCode: 440 }, true, 3)).toEqual([]);
    expect(fromCompleted({ ...base, url: `${O}/owa/logoff.owa`, statusCode: 200 }, true, 3).map((o) => o.event.type)).toEqual(['logoff']);
  });

  it('knows a logoff when it is sent, before its answer clears the cookies', () => {
    expect(fromSend({ ...base, method: 'GET', url: `${O}/owa/logoff.owa` }, 5)).toEqual([{ origin: O, tabId: 5, url: `${O}/owa/logoff.owa`, event: { type: 'logoff', at: 5 } }]);
    expect(fromSend(base, 5)).toEqual([]);
  });

  it('tells our own worker requests apart from pages', () => {
    expect(isOwnRequest({ ...base, tabId: -1, initiator: 'chrome-extension://abc' }, 'chrome-extension://abc')).toBe(true);
    expect(isOwnRequest({ ...base, tabId: 3, initiator: 'chrome-extension://abc' }, 'chrome-extension://abc')).toBe(false);
    expect(isOwnRequest({ ...base, tabId: -1, initiator: O }, 'chrome-extension://abc')).toBe(false);
  });
});

describe('cookie observations', () => {
  const cookie = { name: 'cadata', domain: '127.0.0.1', path: '/', secure: false, hostOnly: true };
  it('maps session cookie changes to watched origins, ignoring overwrites', () => {
    expect(fromCookieChange({ removed: false, cause: 'explicit', cookie }, [O], 4)).toEqual([{ origin: O, tabId: -1, event: { type: 'cookie-set', name: 'cadata', at: 4 } }]);
    expect(fromCookieChange({ removed: true, cause: 'overwrite', cookie }, [O], 4)).toEqual([]);
    expect(fromCookieChange({ removed: true, cause: 'expired_overwrite', cookie }, [O], 4)[0]!.event).toMatchObject({ type: 'cookie-cleared', expired: true });
    expect(fromCookieChange({ removed: false, cause: 'explicit', cookie: { ...cookie, name: 'other' } }, [O], 4)).toEqual([]);
  });

  it('matches host-only cookies exactly and domain cookies by suffix; secure cookies never to http', () => {
    expect(originsForCookie({ ...cookie, domain: 'mail.example.com' }, ['https://mail.example.com', 'https://x.mail.example.com'])).toEqual(['https://mail.example.com']);
    expect(originsForCookie({ ...cookie, domain: '.example.com', hostOnly: false }, ['https://mail.example.com', 'https://example.org'])).toEqual(['https://mail.example.com']);
    expect(originsForCookie({ ...cookie, domain: 'mail.example.com', secure: true }, ['http://mail.example.com'])).toEqual([]);
  });
});
