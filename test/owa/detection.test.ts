import { describe, expect, it } from 'vitest';
import { classifyUrl, countsAsActivity, isTimeoutRedirect, parseSetCookie } from '../../src/owa/detection';
import { generationFromCookie, generationFromLogonAction, generationFromUrl, mergeGeneration } from '../../src/owa/generation';

describe('classifyUrl', () => {
  it('reads 2010+ logon redirects and their reason', () => {
    expect(classifyUrl('https://mail.example.com/owa/auth/logon.aspx?url=https%3a%2f%2fmail.example.com%2fowa%2f&reason=3')).toEqual({
      kind: 'logon-page',
      generation: 'unknown',
      reason: 3,
      returnUrl: 'https://mail.example.com/owa/',
    });
  });

  it('knows the 2003 logon page, case-insensitively', () => {
    expect(classifyUrl('https://mail.example.com/ExchWeb/bin/auth/OWALogon.asp?url=/exchange&reason=0')).toMatchObject({ kind: 'logon-page', generation: '2003', reason: 0 });
  });

  it.each([
    ['https://sts.example.com/adfs/ls/?wa=wsignin1.0&wtrealm=x', 'adfs'],
    ['https://login.microsoftonline.com/common/oauth2/authorize?client_id=x', 'entra'],
    ['https://mail.example.com/CookieAuth.dll?GetLogon?curl=Z2Fowa&reason=0', 'tmg'],
    ['http://mail.example.com/owa/auth/logon.aspx?reason=0', 'insecure-http'],
  ])('says forms logon is not available at %s', (url, why) => {
    expect(classifyUrl(url)).toEqual({ kind: 'forms-unavailable', why });
  });

  it('allows a plain-HTTP logon page on loopback only', () => {
    expect(classifyUrl('http://127.0.0.1:8080/owa/auth/logon.aspx?reason=2')).toMatchObject({ kind: 'logon-page', reason: 2 });
    expect(classifyUrl('http://localhost/owa/auth/logon.aspx')).toMatchObject({ kind: 'logon-page' });
    // The same loopback rule as ActiveSync's Basic auth: localhost's subdomains are this machine too.
    expect(classifyUrl('http://owa.localhost:8080/owa/auth/logon.aspx')).toMatchObject({ kind: 'logon-page' });
    expect(classifyUrl('http://10.0.0.1/owa/auth/logon.aspx')).toMatchObject({ kind: 'forms-unavailable' });
  });

  it('names logon POST targets per generation', () => {
    expect(classifyUrl('https://m.example.com/exchweb/bin/auth/owaauth.dll')).toEqual({ kind: 'logon-post', generation: '2003' });
    expect(classifyUrl('https://m.example.com/owa/auth/owaauth.dll')).toEqual({ kind: 'logon-post', generation: '2007' });
    expect(classifyUrl('https://m.example.com/owa/auth.owa')).toEqual({ kind: 'logon-post', generation: '2010+' });
  });

  it('sees logoffs and keep-alive pings', () => {
    expect(classifyUrl('https://m.example.com/owa/logoff.owa')).toEqual({ kind: 'logoff' });
    expect(classifyUrl('https://m.example.com/owa/auth/logoff.aspx?Cmd=logoff&src=exch')).toEqual({ kind: 'logoff' });
    expect(classifyUrl('https://m.example.com/owa/ping.owa')).toEqual({ kind: 'keepalive' });
  });

  it('treats a reason=0 redirect as a timeout only on 2003 with a live session', () => {
    const m = classifyUrl('https://m.example.com/exchweb/bin/auth/owalogon.asp?url=x&reason=0');
    expect(isTimeoutRedirect(m, true)).toBe(true);
    expect(isTimeoutRedirect(m, false)).toBe(false);
    expect(isTimeoutRedirect(classifyUrl('https://m.example.com/owa/auth/logon.aspx?reason=0'), true)).toBe(false);
    expect(isTimeoutRedirect(classifyUrl('https://m.example.com/owa/auth/logon.aspx?reason=3'), false)).toBe(true);
  });
});

describe('activity and cookies', () => {
  it('does not count pings or requests marked X-UserActivity: 0', () => {
    expect(countsAsActivity('https://m.example.com/owa/service.svc?action=GetItem', [])).toBe(true);
    expect(countsAsActivity('https://m.example.com/owa/service.svc?action=GetItem', [{ name: 'X-UserActivity', value: '0' }])).toBe(false);
    expect(countsAsActivity('https://m.example.com/owa/ping.owa', [])).toBe(false);
    expect(countsAsActivity('https://m.example.com/owa/auth.owa', [])).toBe(false);
  });

  it('does not count what Exchange does not renew for: UA=0 long-polls, keepalive.owa, static files', () => {
    const url = 'https://m.example.com/owa/ev.owa2?ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=1';
    expect(countsAsActivity(url, [])).toBe(false);
    expect(countsAsActivity('https://m.example.com/owa/service.svc?action=GetItem&ua=0', [])).toBe(false);
    expect(countsAsActivity('https://m.example.com/owa/service.svc?action=GetItem&UA=1', [])).toBe(true);
    expect(countsAsActivity('https://m.example.com/owa/keepalive.owa', [])).toBe(false);
    for (const file of [
      '/owa/prem/15.1.2507.6/scripts/boot.worldwide.0.mouse.js',
      '/owa/prem/15.1.2507.6/resources/styles/0/boot.worldwide.mouse.css',
      '/owa/resources/images/0/sprite1.mouse.png',
      '/owa/prem/15.1/resources/fonts/segoeui-regular.woff2',
    ]) {
      expect(countsAsActivity(`https://m.example.com${file}`, []), file).toBe(false);
    }
    expect(countsAsActivity('https://m.example.com/owa/', [])).toBe(true);
  });

  it('parses Set-Cookie names and clearing', () => {
    expect(parseSetCookie('cadata=abc; path=/; HttpOnly; secure')).toEqual({ name: 'cadata', cleared: false });
    expect(parseSetCookie('cadata=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/')).toEqual({ name: 'cadata', cleared: true });
    expect(parseSetCookie('sessionid=x; Max-Age=0')).toEqual({ name: 'sessionid', cleared: true });
    expect(parseSetCookie('garbage')).toBeNull();
  });
});

describe('generation', () => {
  it('reads generations from actions, paths and cookies', () => {
    expect(generationFromLogonAction('https://x/owa/auth.owa')).toBe('2010+');
    expect(generationFromUrl('https://x/exchange/user/Inbox/')).toBe('2003');
    expect(generationFromUrl('https://x/owa/service.svc')).toBe('2010+');
    expect(generationFromUrl('https://x/owa/')).toBe('unknown');
    expect(generationFromCookie('cadataTTL')).toBe('2010+');
    expect(generationFromCookie('sessionid')).toBe('unknown');
  });

  it('lets only a logon action overrule a known generation', () => {
    expect(mergeGeneration('2003', '2010+')).toBe('2003');
    expect(mergeGeneration('2010+', '2007', true)).toBe('2007');
    expect(mergeGeneration('unknown', '2007')).toBe('2007');
    expect(mergeGeneration('2007', 'unknown', true)).toBe('2007');
  });
});
