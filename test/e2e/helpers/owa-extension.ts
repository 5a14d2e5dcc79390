// What the OWA session e2e tests share: a control page that speaks the extension's message
// protocol, waiting, cookie clean-up, and a record of every console line the browser printed.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Frame, Page, WebWorker } from 'puppeteer-core';
import type { BgResponse, SessionView, UiMessage } from '../../../src/messages/protocol';
import type { ExtensionBrowser } from '../harness/chromium';

/** Polls `probe` until it gives a truthy value (errors count as not yet); fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** An extension page (or the DevTools panel's frame) used as a remote control: everything goes through the real protocol. */
export class Control {
  constructor(readonly page: Page | Frame) {}

  static async open(ext: ExtensionBrowser): Promise<Control> {
    const page = await ext.browser.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    return new Control(page);
  }

  async send(message: UiMessage): Promise<BgResponse> {
    return this.page.evaluate((m) => chrome.runtime.sendMessage(m), message) as Promise<BgResponse>;
  }

  async ok(message: UiMessage): Promise<void> {
    const reply = await this.send(message);
    if (reply.type !== 'bg-ui-ok') throw new Error(`${message.type}: ${JSON.stringify(reply)}`);
  }

  async session(origin: string): Promise<SessionView> {
    const reply = await this.send({ type: 'ui-bg-get-sessions' });
    if (reply.type !== 'bg-ui-sessions') throw new Error(JSON.stringify(reply));
    const view = reply.sessions.find((s) => s.origin === origin);
    if (!view) throw new Error(`${origin} is not watched`);
    return view;
  }

  async waitForStatus(origin: string, status: SessionView['status'], timeoutMs?: number): Promise<SessionView> {
    return waitFor(
      async () => {
        const view = await this.session(origin);
        return view.status === status ? view : null;
      },
      `${origin} to be ${status}`,
      timeoutMs,
    );
  }
}

/** Cookies for 127.0.0.1 are shared by every port: each test starts from an empty jar. */
export async function clearCookies(browser: Browser): Promise<void> {
  const session = await browser.target().createCDPSession();
  await session.send('Storage.clearCookies', {});
  await session.detach();
}

/** Every console line of every page and of the extension's service worker (across restarts). */
export function recordConsole(browser: Browser): string[] {
  const lines: string[] = [];
  const watchWorker = (worker: WebWorker | null) => worker?.on('console', (m) => lines.push(`[worker] ${m.text()}`));
  const watchPage = (page: Page | null) => page?.on('console', (m) => lines.push(`[page] ${m.text()}`));
  for (const target of browser.targets()) {
    if (target.type() === 'service_worker') void target.worker().then(watchWorker);
  }
  void browser.pages().then((pages) => pages.forEach(watchPage));
  browser.on('targetcreated', (target) => {
    if (target.type() === 'service_worker') void target.worker().then(watchWorker);
    if (target.type() === 'page') void target.page().then(watchPage);
  });
  return lines;
}

export async function currentWorker(ext: ExtensionBrowser): Promise<WebWorker> {
  const target = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`), { timeout: 15_000 });
  const worker = await target.worker();
  if (!worker) throw new Error('no worker');
  return worker;
}

/** Where tests leave screenshots for a person to look at (git-ignored); `name` may hold a folder. */
export function screenshotPath(name: string): `${string}.png` {
  const file = `${join(resolve(import.meta.dirname, '../../../test-results'), name)}.png` as const;
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/**
 * Everything in the extension's IndexedDB store (settings, vault, policy keys), read from one of
 * its pages: same origin as the worker, which content scripts are not.
 */
export async function privateStore(page: Page | Frame): Promise<Record<string, unknown>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const open = indexedDB.open('owa-inspector');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('kv')) {
            db.close();
            resolve({});
            return;
          }
          const tx = db.transaction('kv', 'readonly');
          const keys = tx.objectStore('kv').getAllKeys();
          const values = tx.objectStore('kv').getAll();
          tx.oncomplete = () => {
            db.close();
            resolve(Object.fromEntries(keys.result.map((k, i) => [String(k), values.result[i]])));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/**
 * Clicks a button once it is enabled. The popup disables its action buttons until the worker's
 * reply to the last click arrives, and the run's new state can reach the page (over the port)
 * before that reply: a click in between would land on a disabled button and do nothing.
 */
export async function clickEnabled(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(`${selector}:not([disabled])`);
  await page.click(selector);
}

/** The real toolbar popup (or `file`), opened over `tab` as a click on the extension's button does. */
export async function openActionPopup(ext: ExtensionBrowser, tab: Page, file = 'popup.html', ready = 'main.popup'): Promise<Page> {
  const extension = (await ext.browser.extensions()).get(ext.extensionId);
  if (!extension) throw new Error('extension not found');
  await tab.bringToFront();
  await tab.triggerExtensionAction(extension);
  const target = await ext.browser.waitForTarget((t) => t.url() === `chrome-extension://${ext.extensionId}/${file}`, { timeout: 10_000 });
  const popup = await target.asPage();
  await popup.waitForSelector(ready);
  return popup;
}
