// The demo Exchange's "2016" generation in a real browser, as a real server is reached: over
// HTTPS on a host name (mail.contoso.test, mapped to loopback by --host-resolver-rules) with a
// certificate made for this run and accepted by its SPKI hash only. No extension is loaded:
// this checks the imitation, not the extension.
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgsFor, startDemoExchangeOverHttps, type DemoExchange } from '../demo';
import { launchChromium, type TestBrowser } from './harness/chromium';

let chromium: TestBrowser;
let browser: Browser;
let demo: DemoExchange;

beforeAll(async () => {
  const started = await startDemoExchangeOverHttps({ generation: '2016', activesync: true, notificationHoldMs: 2_000 });
  demo = started.demo;
  chromium = await launchChromium({ args: chromiumArgsFor(started.certificate, demo.address.host) });
  browser = chromium.browser;
});
afterAll(async () => {
  await chromium?.close();
  await demo?.close();
});

const pageErrors: string[] = [];
async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  return page;
}
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

describe('demo Exchange 2016 over HTTPS in Chromium', () => {
  it('signs in on the page without a choice (a private session), keeps the UA=0 long-poll open, and runs the ActiveSync client', async () => {
    const page = await newPage();
    await page.goto(`${demo.origin}/owa/`);
    expect(page.url()).toMatch(/^https:\/\/mail\.contoso\.test:\d+\/owa\/auth\/logon\.aspx\?/);
    expect(await page.$('#rdoPrvt')).toBeNull();
    await page.type('#username', 'CONTOSO\\alice');
    await page.type('#password', 'Demo-Passw0rd');
    await Promise.all([page.waitForNavigation(), page.click('#signInButton')]);
    expect(page.url()).toBe(`${demo.origin}/owa/`);
    expect(new URLSearchParams(demo.logonPosts()[0]?.body).get('flags')).toBe('4');
    expect(demo.sessions()).toMatchObject([{ user: 'alice', private: true }]);

    const cookies = (await browser.cookies()).filter((c) => c.domain === 'mail.contoso.test');
    expect(
      cookies
        .filter((c) => c.name.startsWith('cadata'))
        .map((c) => [c.name, c.secure, c.httpOnly])
        .sort(),
    ).toEqual([
      ['cadata', true, true],
      ['cadataIV', true, true],
      ['cadataKey', true, true],
      ['cadataSig', true, true],
      ['cadataTTL', true, true],
    ]);

    // The notification long-poll: held, answered, asked again, each time with UA=0.
    await page.waitForSelector('#notifyStatus[data-state=ok]', { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const polls = demo.requests.filter((r) => r.url.startsWith('/owa/ev.owa2?'));
    expect(polls.length).toBeGreaterThanOrEqual(2);
    for (const poll of polls) expect(new URL(poll.url, demo.origin).searchParams.get('UA')).toBe('0');

    // The ActiveSync client page, from the mailbox's link.
    await Promise.all([page.waitForNavigation(), page.click('#activeSyncLink')]);
    await page.type('#easPassword', 'Demo-Passw0rd');
    await page.click('#easRunButton');
    await page.waitForSelector('#easStatus[data-state=done]', { timeout: 15_000 });
    expect(await page.$$eval('#easLog li', (items) => items.map((li) => (li as HTMLElement).dataset.status))).toEqual(['200', '449', '200', '200', '200', '200', '200']);
    expect(await page.$eval('#easStatus', (el) => el.textContent)).toMatch(/8 folders, 3 messages/);

    // A sign-out ends the session on the server; the logon page says so (reason=1).
    await page.goto(`${demo.origin}/owa/logoff.owa`);
    expect(page.url()).toMatch(/reason=1$/);
    expect(demo.sessions()).toEqual([]);
    await page.close();
  });
});
