// What the Firefox session tests share: watching a site the way a user does (the options page,
// the permission asked in the click) and leaving nothing behind for the next test.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { hostPermissionPattern } from '../../../src/owa/origin';
import { startDemoExchange, type DemoExchange, type DemoExchangeOptions } from '../../demo';
import { launchFirefoxWithExtension, type FirefoxExtension, type FirefoxLaunchOptions } from '../harness/firefox';
import { Control } from './owa-extension';

/** What a Firefox test file drives: the browser with the add-on, its options page and the protocol through it. */
export interface FirefoxUse {
  ff: FirefoxExtension;
  /** The options page behind `control` (Control types its page loosely: a Frame would do too). */
  controlPage: Page;
  control: Control;
  /** Starts a demo Exchange, closed after the file's tests. */
  startDemo(options: DemoExchangeOptions): Promise<DemoExchange>;
  /** Closes a demo started otherwise after the file's tests. */
  closeAfterAll(demo: DemoExchange): void;
  /** cleanUpFirefox for this browser: for afterEach. */
  cleanUp(): Promise<void>;
}

/**
 * Launches firefox-esr with the Firefox build once for the calling test file (its hooks are
 * registered here: call at the top level, before the file's own hooks) and closes it after.
 * Without Firefox (or without a build) every test fails with the reason (e.g. "install with:
 * apt-get install -y firefox-esr"), rather than being reported as skipped. The fields are set
 * once the launch has worked.
 */
export function useFirefox(options: FirefoxLaunchOptions = {}): FirefoxUse {
  const demos: DemoExchange[] = [];
  const use = {
    async startDemo(demoOptions: DemoExchangeOptions) {
      const demo = await startDemoExchange(demoOptions);
      demos.push(demo);
      return demo;
    },
    closeAfterAll: (demo: DemoExchange) => void demos.push(demo),
    cleanUp: () => cleanUpFirefox(use.ff, use.controlPage, use.control),
  } as FirefoxUse;
  let launchError: unknown = null;
  beforeAll(async () => {
    try {
      use.ff = await launchFirefoxWithExtension(options);
      use.controlPage = await use.ff.openPage('options.html');
      use.control = new Control(use.controlPage);
    } catch (error) {
      launchError = error;
    }
  });
  beforeEach(() => {
    if (launchError) throw launchError;
  });
  afterAll(async () => {
    await use.ff?.close();
    await Promise.all(demos.map((d) => d.close()));
  });
  return use;
}

/** Watch the site through the options page (`controlPage`): the address, the button, the permission asked in the click. */
export async function watchThroughOptions(controlPage: Page, control: Control, origin: string, password: string): Promise<void> {
  await controlPage.bringToFront();
  await controlPage.waitForSelector('#watch-origin');
  await controlPage.type('#watch-origin', origin);
  await controlPage.click('#watch-button');
  const site = `section.site[data-origin="${origin}"]`;
  await controlPage.waitForSelector(site);
  expect(await controlPage.$eval(`${site} .permission`, (el) => el.getAttribute('data-granted'))).toBe('true');
  expect(await controlPage.evaluate((pattern) => browser.permissions.contains({ origins: [pattern] }), hostPermissionPattern(origin))).toBe(true);
  await control.ok({ type: 'ui-bg-set-settings', origin, settings: { autoRelogin: true } });
  await control.ok({ type: 'ui-bg-set-credentials', origin, username: 'CONTOSO\\alice', password, remember: false });
}

/** Unwatch everything (releases the hosts), close tabs, give back any host access, empty the cookie jar. */
export async function cleanUpFirefox(ff: FirefoxExtension, controlPage: Page, control: Control | undefined): Promise<void> {
  if (!control) return;
  const reply = await control.send({ type: 'ui-bg-get-sessions' });
  if (reply.type === 'bg-ui-sessions') for (const s of reply.sessions) await control.ok({ type: 'ui-bg-unwatch-origin', origin: s.origin });
  for (const page of await ff.browser.pages()) if (page !== controlPage) await page.close();
  // Host access granted outside watching (ActiveSync asks for its server's) would spare the next test its prompt.
  await controlPage.evaluate(async () => {
    const { origins = [] } = await browser.permissions.getAll();
    if (origins.length) await browser.permissions.remove({ origins });
  });
  // Cookies for 127.0.0.1 are shared by every port: each test starts from an empty jar.
  await ff.browser.deleteCookie(...(await ff.browser.cookies()));
}
