// Launches Debian's Chromium with the built extension loaded (new headless mode, a fresh
// profile per launch) and hands back what tests need: the browser, the extension id and
// its service worker.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type WebWorker } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../../dist/chrome');

export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
  }
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension in ${EXTENSION_DIR}. Build it with: node build.mjs`);
  }
  return CHROMIUM;
}

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  worker: WebWorker;
  close(): Promise<void>;
}

export async function launchWithExtension(options: { devtools?: boolean } = {}): Promise<ExtensionBrowser> {
  const executablePath = requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'owa-inspector-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    enableExtensions: [EXTENSION_DIR],
    handleDevToolsAsPage: options.devtools ?? false,
    userDataDir: profile,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  try {
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'),
      { timeout: 15_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error('the extension service worker target has no worker');
    // The target can be reported before the worker's top-level code ran; one round trip
    // guarantees its listeners are registered before a test sends traffic.
    await worker.evaluate(() => 1);
    const extensionId = new URL(target.url()).host;
    return {
      browser,
      extensionId,
      worker,
      async close() {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
