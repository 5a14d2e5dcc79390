// What the OWA end-to-end tests do to the demo Exchange's pages, in either browser: the two
// logon generations, a sign-in by hand through the real form, and telling whether a tab was
// reloaded or the mailbox works.
import type { Browser, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { DemoExchange } from '../../demo';
import { waitFor, type Control } from './owa-extension';

export interface Flavour {
  generation: '2003' | '2010';
  /** The generation the extension should guess. */
  expected: '2003' | '2010+';
  entry: string;
  submit: string;
  logonPost: string;
  /** Session cookies a sign-in sets (lower case, as the extension reports them). */
  cookies: string[];
  /** The demo refuses logon POSTs whose Origin is not its own (some servers and proxies do). */
  checkOrigin: boolean;
}

export const FLAVOURS: Flavour[] = [
  { generation: '2010', expected: '2010+', entry: '/owa/', submit: '#signInButton', logonPost: '/owa/auth.owa', cookies: ['cadata', 'x-owa-canary', 'uc'], checkOrigin: true },
  { generation: '2003', expected: '2003', entry: '/exchange/', submit: '#SubmitCreds', logonPost: '/exchweb/bin/auth/owaauth.dll', cookies: ['cadata', 'sessionid'], checkOrigin: false },
];

/**
 * The user signs in by hand through the real logon form (in `page`, or a new tab); with
 * `privateComputer`, ticking the page's "private computer" radio first (2010 pages offer it).
 */
export async function signInByHand(browser: Browser, demo: DemoExchange, flavour: Flavour, password: string, page?: Page, options: { privateComputer?: boolean } = {}): Promise<Page> {
  const tab = page ?? (await browser.newPage());
  await tab.goto(demo.origin + flavour.entry);
  await tab.waitForSelector('#username');
  if (options.privateComputer) await tab.click('#rdoPrvt');
  await tab.type('#username', 'alice');
  await tab.type('#password', password);
  await Promise.all([tab.waitForNavigation(), tab.click(flavour.submit)]);
  await mailboxWorks(tab);
  return tab;
}

/** Polls with evaluate: tabs in the background get no animation frames, which waitForSelector may need. */
export async function mailboxWorks(tab: Page): Promise<void> {
  await waitFor(() => tab.evaluate(() => document.querySelector('#serviceStatus')?.getAttribute('data-state') === 'ok').catch(() => false), `the mailbox at ${tab.url()} to work`);
}

/** A click through the page's own handler; works in background tabs too. */
export async function refresh(tab: Page): Promise<void> {
  await tab.evaluate(() => (document.getElementById('refreshButton') as HTMLButtonElement).click());
}

/**
 * Stops the page's polling (every 5 s): after the expiry a poll answered 440 could take the
 * hold meant for a click, or bring a tab back before the 440 a test holds has come in.
 */
export async function stopPolling(tab: Page): Promise<void> {
  await tab.evaluate(() => {
    const last = window.setInterval(() => undefined, 60_000);
    for (let id = 0; id <= last; id++) window.clearInterval(id);
  });
}

/** The page's next request works now (its status shown before the click does not count). */
export async function worksNow(tab: Page): Promise<void> {
  // A tab just brought back may still be loading: its mailbox first.
  await mailboxWorks(tab);
  await tab.evaluate(() => {
    document.getElementById('serviceStatus')!.dataset.state = 'checking';
    (document.getElementById('refreshButton') as HTMLButtonElement).click();
  });
  await mailboxWorks(tab);
}

/** Marks a page so a reload can be seen (the mark is gone after one). */
export async function mark(tab: Page): Promise<void> {
  await tab.evaluate(() => {
    (window as unknown as { __mark: boolean }).__mark = true;
  });
}

/** What puppeteer says when a navigation destroys the document an evaluation ran in. */
const NAVIGATION_ABORT = /Execution context was destroyed|Cannot find context with specified id|Inspected target navigated or closed/;

/**
 * Whether the marked document is gone: a new one (without the mark) is there, or a navigation
 * destroyed the marked one while we asked. Any other error (a closed tab, a dead browser) is
 * thrown, never read as "not reloaded": `expect(await reloaded(tab)).toBe(false)` must not pass
 * because the question could not be asked.
 */
export async function reloaded(tab: Page): Promise<boolean> {
  try {
    return await tab.evaluate(() => (window as unknown as { __mark?: boolean }).__mark !== true);
  } catch (error) {
    if (error instanceof Error && NAVIGATION_ABORT.test(error.message)) return true;
    throw error;
  }
}

/** The extension's own logon POSTs: sent by the background (fetch), not by a tab's form. */
export function extensionPosts(demo: DemoExchange): number {
  return demo.logonPosts().filter((r) => r.headers['sec-fetch-mode'] === 'cors' || r.headers['sec-fetch-site'] === 'none').length;
}

/** Each password is only in logon POSTs to the flavour's own logon path, never in a URL or a header. */
export function expectPasswordsOnlyInLogonPosts(demo: DemoExchange, flavour: Flavour, passwords: Iterable<string>): void {
  const all = [...passwords];
  for (const r of demo.requests) {
    const text = `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
    for (const password of all) {
      if (!text.includes(password) && !text.includes(encodeURIComponent(password))) continue;
      expect(`${r.method} ${r.url.split('?')[0]}`).toBe(`POST ${flavour.logonPost}`);
      expect(r.url).not.toContain(password);
      expect(JSON.stringify(r.headers)).not.toContain(password);
    }
  }
}

/**
 * The user ticks "private computer" by hand while the extension's own setting says public (the
 * site already watched with automatic sign-in): after a 440 the automatic sign-in posts private
 * as the user chose (flags bit 4, trusted=4), and the server's sessions stay private. Both
 * browsers' tests run it (Exchange 2010, whose logon page offers the choice).
 */
export async function expectChoiceByHandKept(browser: Browser, control: Control, demo: DemoExchange, flavour: Flavour, password: string): Promise<void> {
  await control.ok({ type: 'ui-bg-set-settings', origin: demo.origin, settings: { computer: 'public' } });
  const tab = await signInByHand(browser, demo, flavour, password, undefined, { privateComputer: true });
  await control.waitForStatus(demo.origin, 'signed-in');
  expect(demo.sessions()).toMatchObject([{ private: true }]);
  await mark(tab);
  demo.expireSessions();
  await refresh(tab);
  await waitFor(() => extensionPosts(demo) === 1, 'the automatic sign-in after the 440');
  const body = new URLSearchParams(demo.logonPosts().at(-1)!.body);
  expect([body.get('flags'), body.get('trusted')]).toEqual(['4', '4']);
  await control.waitForStatus(demo.origin, 'signed-in');
  expect(demo.sessions().every((s) => s.private)).toBe(true);
}
