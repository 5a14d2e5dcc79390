// Launches Debian's Chromium with the built extension loaded (new headless mode, a fresh
// profile per launch) and hands back what tests need: the browser, the extension id and
// its service worker.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type WebWorker } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../../dist/chrome');
/**
 * The test-only build with http://127.0.0.1/* granted at install: headless Chromium shows a
 * permission prompt that no test can accept, so tests of watched OWA origins use this copy.
 */
export const TEST_LOOPBACK_DIR = resolve(import.meta.dirname, '../../../dist/chrome-test-loopback');

export function requireChromium(extensionDir = EXTENSION_DIR): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
  }
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}. Build it with: node build.mjs`);
  }
  return CHROMIUM;
}

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  worker: WebWorker;
  close(): Promise<void>;
}

export async function launchWithExtension(options: { devtools?: boolean; extensionDir?: string } = {}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  const executablePath = requireChromium(extensionDir);
  const profile = mkdtempSync(join(tmpdir(), 'owa-inspector-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
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
