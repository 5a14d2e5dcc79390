// The panel page in an ordinary tab, with a stand-in for chrome.devtools that tests feed HAR
// entries into, in Chrome's shape (getContent calls back (content, 'base64')) or Firefox's
// ((content, mimeType)). The fallback for the real DevTools test, and the way to give the panel
// a 10 MB response.
import type { Page } from 'puppeteer-core';

export interface StubEntry {
  /** A HAR entry without getContent. */
  entry: unknown;
  /** What getContent calls back with. */
  content: string | null;
  second: string | null;
}

/** Installs the stand-in before the panel's script runs. Call before page.goto(panel.html). */
export async function stubDevtools(page: Page, origin: string): Promise<void> {
  await page.evaluateOnNewDocument((inspectedOrigin: string) => {
    type Listener = (request: unknown) => void;
    const finished: Listener[] = [];
    const navigated: Array<(url: string) => void> = [];
    const w = window as unknown as { chrome: Record<string, unknown>; __feedPanel: (items: StubEntry[]) => void; __navigatePanel: (url: string) => void };
    w.chrome.devtools = {
      inspectedWindow: { tabId: 1, eval: (_expression: string, callback: (result: unknown, error: unknown) => void) => callback(inspectedOrigin, undefined) },
      network: {
        onRequestFinished: { addListener: (l: Listener) => finished.push(l), removeListener: () => undefined },
        onNavigated: { addListener: (l: (url: string) => void) => navigated.push(l), removeListener: () => undefined },
        getHAR: (callback: (log: { entries: unknown[] }) => void) => callback({ entries: [] }),
      },
    };
    w.__feedPanel = (items) => {
      for (const item of items) {
        const request = { ...(item.entry as object), getContent: (cb: (c: string | null, s: string | null) => void) => setTimeout(() => cb(item.content, item.second), 0) };
        for (const listener of finished) listener(request);
      }
    };
    w.__navigatePanel = (url) => navigated.forEach((l) => l(url));
  }, origin);
}

export async function feedPanel(page: Page, items: StubEntry[]): Promise<void> {
  await page.evaluate((list: StubEntry[]) => (window as unknown as { __feedPanel(items: StubEntry[]): void }).__feedPanel(list), items);
}
