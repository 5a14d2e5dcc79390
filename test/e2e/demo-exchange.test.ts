// The demo Exchange in a real browser: Debian's Chromium signs in through each generation's
// real logon page by typing and clicking, the mailbox page shows, and after expireSessions()
// the page's own XHR gets 440 and says so. Both generations run at once on different host
// names (127.0.0.1 and 127.0.0.2), as in `npm start`, so this also proves their cadata cookies
// stay apart. No extension is loaded: this checks the imitation, not the extension.
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { launchChromium, type TestBrowser } from './harness/chromium';

let chromium: TestBrowser;
let browser: Browser;
let owa2010: DemoExchange;
let owa2003: DemoExchange;

beforeAll(async () => {
  owa2010 = await startDemoExchange({ generation: '2010', host: '127.0.0.1' });
  owa2003 = await startDemoExchange({ generation: '2003', host: '127.0.0.2' });
  chromium = await launchChromium();
  browser = chromium.browser;
});
afterAll(async () => {
  await chromium?.close();
  await owa2010?.close();
  await owa2003?.close();
});

// Script errors on the imitated pages would make them a poor stand-in for OWA.
const pageErrors: string[] = [];
async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  return page;
}
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

async function signIn(page: Page, start: string, submit: string, options: { private: boolean }): Promise<void> {
  await page.goto(start);
  await page.type('#username', 'CONTOSO\\alice');
  await page.type('#password', 'Demo-Passw0rd');
  await page.click(options.private ? '#rdoPrvt' : '#rdoPblc');
  await Promise.all([page.waitForNavigation(), page.click(submit)]);
}

const statusOf = (page: Page) => page.$eval('#serviceStatus', (el) => ({ text: el.textContent ?? '', state: (el as HTMLElement).dataset.state }));

async function cookieNames(origin: string): Promise<string[]> {
  const host = new URL(origin).hostname;
  return (await browser.cookies())
    .filter((c) => c.domain === host)
    .map((c) => c.name)
    .sort();
}

describe('demo Exchange in Chromium', () => {
  it('2010+: signs in through logon.aspx, shows the mailbox, then shows the 440 of its own service call', async () => {
    const page = await newPage();
    await signIn(page, `${owa2010.origin}/owa/`, '#signInButton', { private: true });
    expect(page.url()).toBe(`${owa2010.origin}/owa/`);
    await page.waitForSelector('#serviceStatus[data-state=ok]', { timeout: 10_000 });
    expect(await page.$$eval('#inboxList li', (items) => items.length)).toBe(3);

    // The browser's POST: the page script set flags bit 4, the hidden inputs went along, Origin was sent.
    const [post] = owa2010.logonPosts();
    const form = new URLSearchParams(post?.body);
    expect(Object.fromEntries(form)).toMatchObject({ flags: '4', isUtf8: '1', forcedownlevel: '0', username: 'CONTOSO\\alice', destination: `${owa2010.origin}/owa/` });
    expect(post?.headers.origin).toBe(owa2010.origin);
    expect(owa2010.sessions()).toMatchObject([{ user: 'alice', private: true }]);
    expect(await cookieNames(owa2010.origin)).toEqual(['PrivateComputer', 'UC', 'X-OWA-CANARY', 'cadata', 'cadataIV', 'cadataKey', 'cadataSig', 'cadataTTL']);

    owa2010.expireSessions();
    await page.click('#refreshButton');
    await page.waitForSelector('#serviceStatus[data-state=expired]', { timeout: 10_000 });
    expect((await statusOf(page)).text).toContain('440 — session expired');
    const timeout = owa2010.requests.filter((r) => r.url !== '/favicon.ico').at(-1);
    expect(`${timeout?.method} ${timeout?.url}`).toBe('POST /owa/service.svc?action=GetFolder');
    expect(await cookieNames(owa2010.origin)).toEqual([]);
    await page.close();
  });

  it('2010+: a navigation after expiry lands on the logon page with the time-out message', async () => {
    const page = await newPage();
    await signIn(page, `${owa2010.origin}/owa/`, '#signInButton', { private: false });
    await page.waitForSelector('#serviceStatus[data-state=ok]', { timeout: 10_000 });
    owa2010.expireSessions();
    await page.goto(`${owa2010.origin}/owa/`);
    expect(page.url()).toContain('/owa/auth/logon.aspx?url=');
    expect(page.url()).toMatch(/&reason=3$/);
    expect(await page.$eval('#signInErrorDiv', (el) => el.textContent)).toContain('timed out');
    await page.close();
  });

  it('2003: signs in through owalogon.asp, shows the mailbox, expires by its button, then shows the 440 of its WebDAV SEARCH', async () => {
    const page = await newPage();
    await signIn(page, `${owa2003.origin}/exchange/`, '#SubmitCreds', { private: false });
    expect(page.url()).toBe(`${owa2003.origin}/exchange/`);
    await page.waitForSelector('#serviceStatus[data-state=ok]', { timeout: 10_000 });
    expect((await statusOf(page)).text).toMatch(/^207 — SEARCH Inbox: 2 unread/);
    expect(Object.fromEntries(new URLSearchParams(owa2003.logonPosts()[0]?.body))).toMatchObject({ trusted: '0', flags: '0', SubmitCreds: 'Log On' });
    expect(await cookieNames(owa2003.origin)).toEqual(['cadata', 'sessionid']);

    // This time through the page's own "Expire session now" button.
    await page.click('#expireButton');
    await page.waitForFunction(() => /^demo: every session/.test(document.getElementById('serviceStatus')?.textContent ?? ''), { timeout: 10_000 });
    expect(owa2003.sessions()).toEqual([]);
    await page.click('#refreshButton');
    await page.waitForSelector('#serviceStatus[data-state=expired]', { timeout: 10_000 });
    expect((await statusOf(page)).text).toContain('440 — session expired (SEARCH)');
    expect(await cookieNames(owa2003.origin)).toEqual([]);
    await page.close();
  });

  it('keeps the two generations apart: the 2010 cookies on 127.0.0.1 survive everything done on 127.0.0.2', async () => {
    const page = await newPage();
    await signIn(page, `${owa2010.origin}/owa/`, '#signInButton', { private: false });
    const page2003 = await newPage();
    await signIn(page2003, `${owa2003.origin}/exchange/`, '#SubmitCreds', { private: false });
    await page2003.waitForSelector('#serviceStatus[data-state=ok]', { timeout: 10_000 });
    owa2003.expireSessions();
    await page2003.click('#refreshButton');
    await page2003.waitForSelector('#serviceStatus[data-state=expired]', { timeout: 10_000 });
    // A background tab does not take synthetic clicks (no frames are drawn for it).
    await page.bringToFront();
    await page.click('#refreshButton');
    await page.waitForFunction(() => /GetFolder/.test(document.getElementById('serviceStatus')?.textContent ?? ''), { timeout: 10_000 });
    expect(await statusOf(page)).toMatchObject({ state: 'ok' });
    await page.close();
    await page2003.close();
  });
});
