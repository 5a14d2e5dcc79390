// Launches Debian's Chromium (new headless mode, a fresh profile per launch), with the built
// extension loaded or without it, and hands back what tests need: the browser, and with the
// extension its id and its service worker.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type WebWorker } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../../dist/chrome');

/**
 * A copy of the shipped build (dist/chrome) in a temporary folder, for the few tests that cannot
 * use it as it is; each caller says why. `files` are added beside the extension's own pages;
 * `grantAtInstall` moves optional API permissions (never hosts) to the granted ones. Hosts stay
 * optional: tests grant them as a user does (helpers/grant.ts). `remove()` deletes the copy.
 */
export function shippedBuildCopy(options: { files?: Record<string, string>; grantAtInstall?: readonly string[] }): { dir: string; remove(): void } {
  requireChromium(EXTENSION_DIR);
  const dir = join(mkdtempSync(join(tmpdir(), 'owa-inspector-build-')), 'chrome');
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
  const grant = options.grantAtInstall ?? [];
  if (grant.length) {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
    for (const permission of grant) {
      if (!manifest.optional_permissions?.includes(permission)) throw new Error(`${permission} is not an optional permission of the shipped build`);
    }
    manifest.permissions = [...manifest.permissions, ...grant];
    manifest.optional_permissions = manifest.optional_permissions!.filter((p) => !grant.includes(p));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  }
  return { dir, remove: () => rmSync(resolve(dir, '..'), { recursive: true, force: true }) };
}

/** The Chromium binary, after checking it (and, when named, the built extension) is there. */
export function requireChromium(extensionDir: string | null = EXTENSION_DIR): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
  }
  if (extensionDir !== null && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}. Build it with: node build.mjs`);
  }
  return CHROMIUM;
}

export interface TestBrowser {
  browser: Browser;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a fresh profile that close() removes; with the extension in
 * `extensionDir` loaded when one is given (the demo Exchange's own test loads none). `args` are
 * added after the usual flags, e.g. the demo's chromiumArgsFor() to reach it over HTTPS by name.
 */
export async function launchChromium(options: { devtools?: boolean; extensionDir?: string | null; args?: readonly string[] } = {}): Promise<TestBrowser> {
  const extensionDir = options.extensionDir ?? null;
  const executablePath = requireChromium(extensionDir);
  const profile = mkdtempSync(join(tmpdir(), 'owa-inspector-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    ...(extensionDir !== null ? { enableExtensions: [extensionDir] } : {}),
    handleDevToolsAsPage: options.devtools ?? false,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', ...(options.args ?? [])],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface ExtensionBrowser extends TestBrowser {
  extensionId: string;
  worker: WebWorker;
}

export async function launchWithExtension(options: { devtools?: boolean; extensionDir?: string; args?: readonly string[] } = {}): Promise<ExtensionBrowser> {
  const launched = await launchChromium({ devtools: options.devtools ?? false, extensionDir: options.extensionDir ?? EXTENSION_DIR, ...(options.args ? { args: options.args } : {}) });
  const { browser } = launched;
  try {
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 15_000 });
    const worker = await target.worker();
    if (!worker) throw new Error('the extension service worker target has no worker');
    // The target can be reported before the worker's top-level code ran; one round trip
    // guarantees its listeners are registered before a test sends traffic.
    await worker.evaluate(() => 1);
    const extensionId = new URL(target.url()).host;
    return { ...launched, extensionId, worker };
  } catch (error) {
    await launched.close();
    throw error;
  }
}
