import { describe, expect, it } from 'vitest';
import {
  computerChoiceOfRequest,
  fromSend,
  fromCompleted,
  fromCookieChange,
  fromHeadersReceived,
  fromRedirect,
  isOwnRequest,
  originsForCookie,
  secFetchSiteOf,
  startedByOriginOrUser,
  type RequestDetails,
} from '../../src/background/observations';

const O = 'http://127.0.0.1:8080';
const base: RequestDetails = { requestId: '1', url: `${O}/owa/service.svc?action=GetFolder`, method: 'POST', type: 'xmlhttprequest', tabId: 5, timeStamp: 0 };

describe('webRequest observations', () => {
  it('a 440 is a login timeout; its Set-Cookie clearings are seen too', () => {
    const obs = fromHeadersReceived(
      {
        ...base,
        statusCode: 440,
        responseHeaders: [
          { name: 'Set-Cookie', value: 'cadata=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/' },
          { name: 'Connection', value: 'close' },
        ],
      },
      9,
      true,
    );
    expect(obs).toEqual([
      { origin: O, tabId: 5, url: base.url, event: { type: 'cookie-cleared', name: 'cadata', expired: true, at: 9 } },
      { origin: O, tabId: 5, url: base.url, event: { type: 'login-timeout', at: 9 } },
    ]);
  });

  it('reads Firefox-style joined Set-Cookie headers', () => {
    const obs = fromHeadersReceived({ ...base, statusCode: 200, responseHeaders: [{ name: 'set-cookie', value: 'cadata=x; path=/\nUC=y; path=/\nother=z' }] }, 1, true);
    expect(obs.map((o) => o.event)).toEqual([
      { type: 'cookie-set', name: 'cadata', at: 1 },
      { type: 'cookie-set', name: 'UC', at: 1 },
    ]);
  });

  it('a redirect to the logon page carries reason and logon URL; away from AD FS says so', () => {
    const logon = `${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=3`;
    expect(fromRedirect({ ...base, method: 'GET', type: 'main_frame', url: `${O}/owa/`, redirectUrl: logon }, 2, true)).toEqual([
      { origin: O, tabId: 5, url: `${O}/owa/`, event: { type: 'logon-redirect', reason: 3, generation: 'unknown', logonUrl: logon, at: 2 } },
    ]);
    expect(fromRedirect({ ...base, url: `${O}/owa/`, redirectUrl: 'https://sts.example.com/adfs/ls/?wa=wsignin1.0' }, 2, true).map((o) => o.event)).toEqual([
      { type: 'forms-unavailable', why: 'adfs', at: 2 },
    ]);
    expect(fromRedirect({ ...base, url: `${O}/exchange/`, redirectUrl: `${O}/exchweb/bin/auth/owalogon.asp?url=x&reason=0` }, 2, true)[0]!.event).toMatchObject({
      generation: '2003',
      reason: 0,
    });
  });

  it("a logon POST's public/private choice is read from its form and kept only for a trusted chain", () => {
    const post = { ...base, type: 'main_frame', url: `${O}/owa/auth.owa` };
    const form = { destination: [`${O}/owa/`], flags: ['4'], trusted: ['4'], username: ['alice'], password: ['secret'] };
    expect(computerChoiceOfRequest({ ...post, requestBody: { formData: form } })).toBe('private');
    expect(computerChoiceOfRequest({ ...post, requestBody: { formData: { ...form, flags: ['0'], trusted: ['0'] } } })).toBe('public');
    // Not a logon POST, or no form data (a raw body): nothing.
    expect(computerChoiceOfRequest({ ...post, url: `${O}/owa/service.svc`, requestBody: { formData: form } })).toBeNull();
    expect(computerChoiceOfRequest({ ...post, method: 'GET', requestBody: { formData: form } })).toBeNull();
    expect(computerChoiceOfRequest({ ...post, requestBody: null })).toBeNull();
    const redirect = { ...post, redirectUrl: `${O}/owa/` };
    expect(fromRedirect(redirect, 3, true, 'private').map((o) => o.event)).toEqual([{ type: 'logon-post', generation: '2010+', at: 3, computer: 'private' }]);
    // Another site's form posted to the logon URL must not set the user's choice.
    expect(fromRedirect(redirect, 3, false, 'public').map((o) => o.event)).toEqual([{ type: 'logon-post', generation: '2010+', at: 3 }]);
    expect(fromRedirect(redirect, 3, true).map((o) => o.event)).toEqual([{ type: 'logon-post', generation: '2010+', at: 3 }]);
  });

  it('counts activity only for counted, successful, ordinary requests', () => {
    expect(fromCompleted({ ...base, statusCode: 200 }, true, 3, true).map((o) => o.event.type)).toEqual(['activity']);
    expect(fromCompleted({ ...base, statusCode: 200 }, false, 3, true)).toEqual([]);
    expect(fromCompleted({ ...base, statusCode: 440 }, true, 3, true)).toEqual([]);
    expect(fromCompleted({ ...base, url: `${O}/owa/logoff.owa`, statusCode: 200 }, true, 3, true).map((o) => o.event.type)).toEqual(['logoff']);
  });

  describe('another site cannot say the session ended (a hostile page)', () => {
    const evil = 'http://127.0.0.2:9999';
    const logon = `${O}/owa/auth/logon.aspx?url=${encodeURIComponent(`${O}/owa/`)}&reason=3`;

    it('only chains started by the origin itself or by the user are trusted', () => {
      expect(startedByOriginOrUser({ initiator: O }, O, 'same-origin')).toBe(true);
      expect(startedByOriginOrUser({}, O, 'none')).toBe(true);
      expect(startedByOriginOrUser({}, O, undefined)).toBe(true);
      expect(startedByOriginOrUser({ originUrl: `${O}/owa/#path=/mail` }, O, undefined)).toBe(true);
      expect(startedByOriginOrUser({ initiator: evil }, O, 'cross-site')).toBe(false);
      expect(startedByOriginOrUser({ initiator: evil }, O, undefined)).toBe(false);
      expect(startedByOriginOrUser({ originUrl: `${evil}/attack.html` }, O, undefined)).toBe(false);
      expect(startedByOriginOrUser({ initiator: 'null' }, O, undefined)).toBe(false);
      // Same site, other origin (another host of the same domain): not the OWA origin.
      expect(startedByOriginOrUser({ initiator: 'https://evil.example.com' }, 'https://mail.example.com', 'same-site')).toBe(false);
      // A chain that was cross-site at any hop says so on every later hop.
      expect(startedByOriginOrUser({}, O, 'cross-site')).toBe(false);
      expect(secFetchSiteOf({ requestHeaders: [{ name: 'Sec-Fetch-Site', value: 'cross-site' }] })).toBe('cross-site');
    });

    it('a 440 answering an untrusted request clears what it clears but is no timeout', () => {
      const clearing = [{ name: 'Set-Cookie', value: 'cadata=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/' }];
      expect(fromHeadersReceived({ ...base, statusCode: 440, initiator: evil, responseHeaders: clearing }, 9, false).map((o) => o.event.type)).toEqual(['cookie-cleared']);
    });

    it('a navigation to the logon page with reason=3, or a frame of AD FS / CookieAuth.dll, from another site is ignored', () => {
      const nav = { ...base, method: 'GET', type: 'main_frame', url: logon, statusCode: 200, initiator: evil };
      expect(fromCompleted(nav, false, 3, false)).toEqual([]);
      expect(fromCompleted({ ...nav, type: 'sub_frame', url: `${O}/adfs/ls/?wa=wsignin1.0` }, false, 3, false)).toEqual([]);
      expect(fromCompleted({ ...nav, type: 'sub_frame', url: `${O}/CookieAuth.dll?GetLogon` }, false, 3, false)).toEqual([]);
      expect(fromRedirect({ ...nav, url: `${O}/owa/`, redirectUrl: logon }, 2, false)).toEqual([]);
      expect(fromRedirect({ ...nav, url: `${O}/owa/`, redirectUrl: 'https://sts.example.com/adfs/ls/' }, 2, false)).toEqual([]);
      // The same from the origin's own page counts.
      expect(fromCompleted({ ...nav, initiator: O }, false, 3, true).map((o) => o.event.type)).toEqual(['logon-redirect']);
    });

    it('a sign-out stays a sign-out, whoever started it (it only ever stops sign-ins)', () => {
      expect(fromCompleted({ ...base, url: `${O}/owa/logoff.owa`, statusCode: 200, initiator: evil }, false, 3, false).map((o) => o.event.type)).toEqual(['logoff']);
    });
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
