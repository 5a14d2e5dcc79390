// Launches Debian's firefox-esr with puppeteer-core over WebDriver BiDi, a fresh profile per
// launch, and installs dist/firefox as a temporary add-on. Hands back the browser, the add-on's
// moz-extension:// UUID (pinned in advance), a way to open the extension's pages, what Firefox
// printed (console lines and script errors: puppeteer sees neither for extension pages), and
// helpers that run in Firefox's parent process (started with --remote-allow-system-access):
// stopping the event page as its idle timeout does, the real toolbar popup and its permission
// prompt, and the panel in Firefox's own DevTools.
//
// Calling home. Firefox reaches out at start-up (remote settings, telemetry, captive-portal and
// connectivity checks, DNS for all of those). This machine must send nothing but loopback
// traffic, and the demo Exchange runs in the test process on 127.0.0.1, so Firefox cannot be
// put in a network namespace of its own (its loopback would not be the test's). Instead, three
// layers keep every connection on loopback:
//   1. the Remote Agent's own "recommended preferences" (applied because we drive it) and
//      puppeteer's profile preferences turn the known callers off;
//   2. MOZ_DISABLE_NONLOCAL_CONNECTIONS=1, Mozilla's own test-harness switch: it refuses
//      non-local connections and is what lets `services.settings.server` be overridden at all in
//      a release build (without it remote settings ignores the pref and looks up
//      firefox.settings.services.mozilla.com);
//   3. every proxy set to a closed port on 127.0.0.1: anything that still tried to go out would
//      connect there and fail locally, with no DNS look-up (a proxied request is resolved by the
//      proxy). Loopback is never proxied, so the demo Exchange is reached directly.
// Checked by running this file's tests under `strace -f -e trace=connect,sendto,sendmsg` inside
// `unshare -n` (where an escape would show as a refused connect): no connect() but to 127.0.0.1
// and Unix sockets, no DNS query; only netlink route look-ups, which stay in the kernel.
// With puppeteer's preferences alone the same check shows DNS queries (for
// firefox.settings.services.mozilla.com, then for puppeteer's own dummy.test).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '../../../dist/firefox');
/** The add-on's internal UUID, pinned through `extensions.webextensions.uuids` before start. */
export const EXTENSION_UUID = '0a11ce00-0e2e-4f0c-9a11-fe00f1e0c0de';
/** A loopback port nothing listens on (TCP "discard"): where every proxied request dies. */
const DEAD_PROXY_PORT = 9;

export function requireFirefox(extensionDir = FIREFOX_EXTENSION_DIR): string {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: install with: apt-get install -y firefox-esr`);
  }
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}. Build it with: node build.mjs`);
  }
  return FIREFOX;
}

/** Preferences for a profile that never leaves loopback and grants what headless cannot click. */
export function firefoxPrefs(addonId: string): Record<string, unknown> {
  const dead = 'data:,';
  return {
    // Layer 1: what puppeteer points at "dummy.test" (a real DNS look-up) goes nowhere instead.
    'services.settings.server': 'data:,#remote-settings-dummy/v1',
    'datareporting.healthreport.documentServerURI': dead,
    'extensions.webservice.discoverURL': dead,
    'network.sntp.pools': '',
    'network.dns.disablePrefetch': true,
    'network.trr.mode': 5,
    'network.http.http3.enable': false,
    'browser.safebrowsing.provider.mozilla.updateURL': dead,
    'toolkit.telemetry.enabled': false,
    'app.shield.optoutstudies.enabled': false,
    // Layer 3: all proxies to a closed loopback port; DNS through the (absent) proxy only.
    'network.proxy.type': 1,
    'network.proxy.share_proxy_settings': true,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': DEAD_PROXY_PORT,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': DEAD_PROXY_PORT,
    'network.proxy.socks': '127.0.0.1',
    'network.proxy.socks_port': DEAD_PROXY_PORT,
    'network.proxy.socks_remote_dns': true,
    'network.proxy.allow_hijacking_localhost': false,
    // The add-on's UUID, so moz-extension:// URLs are known before it is installed.
    'extensions.webextensions.uuids': JSON.stringify({ [addonId]: EXTENSION_UUID }),
    // permissions.request() is granted without the doorhanger no headless test can click. It
    // still needs a real user gesture (a BiDi click is one), so the request path is exercised.
    'extensions.webextOptionalPermissionPrompts': false,
    // Console calls of extension pages and of the background page go to Firefox's stdout
    // (`console.error: ...`): puppeteer's console and pageerror events never fire for
    // moz-extension:// pages, so this output is where tests find errors and check secrets.
    'devtools.console.stdout.content': true,
  };
}

export interface FirefoxExtension {
  browser: Browser;
  /** The add-on id from browser_specific_settings.gecko.id. */
  addonId: string;
  /** The moz-extension:// host (the pinned UUID). */
  uuid: string;
  /** `moz-extension://UUID/` */
  baseUrl: string;
  /** A new tab on one of the extension's pages, loaded. */
  openPage(path: string): Promise<Page>;
  /** Every line Firefox printed (stdout and stderr), in order: console calls, script errors. */
  output: string[];
  /**
   * The errors printed from output line `since` on: uncaught script errors of the extension's
   * pages and its background page, and console.error lines (which carry no page: any is one).
   */
  errorsSince(since: number): string[];
  /** Evaluates an expression in Firefox's parent process (privileged; Services, ChromeUtils). */
  chrome<T>(expression: string): Promise<T>;
  /** Stops the add-on's event page as its idle timeout would (the next event wakes it). */
  terminateBackground(): Promise<void>;
  /** Whether the add-on's event page is running now. */
  backgroundRunning(): Promise<boolean>;
  /** Firefox's state of the event page: 'starting', 'running', 'suspending' or 'stopped'. */
  backgroundState(): Promise<string>;
  /** Opens Firefox's DevTools on the selected tab and shows the add-on's panel in it. */
  openDevToolsPanel(): Promise<void>;
  /**
   * Runs `fn` (the source of a function of the panel's document, sync or async) in the panel
   * page inside DevTools and resolves its JSON-able result.
   */
  inPanel<T>(fn: string): Promise<T>;
  closeDevTools(): Promise<void>;
  /**
   * Firefox's own HAR of the selected tab's network log, as its Network panel's "Save All As
   * HAR" writes it (the same HarExporter, response bodies included by its default pref).
   */
  harFromDevTools(): Promise<string>;
  /** Opens the real toolbar popup over the selected tab, as a click on the add-on's button does. */
  openActionPopup(): Promise<void>;
  closeActionPopup(): Promise<void>;
  /** Like inPanel, in the open toolbar popup. */
  inPopup<T>(fn: string): Promise<T>;
  /** A trusted click (a user gesture) on the first element matching `selector` in the popup. */
  clickInPopup(selector: string): Promise<void>;
  /** Turns Firefox's optional-permission prompt on (as for users) or off (granted without asking). */
  setPermissionPrompts(on: boolean): Promise<void>;
  /** Waits for Firefox's permission prompt on the selected tab and answers it; false when none came. */
  answerPermissionPrompt(allow: boolean): Promise<boolean>;
  close(): Promise<void>;
}

interface BidiContext {
  navigate(url: string, wait: 'none' | 'interactive' | 'complete'): Promise<void>;
}

/** The raw WebDriver BiDi connection puppeteer keeps (not in its public types). */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

interface EvaluateResult {
  type: 'success' | 'exception';
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text: string };
}

function bidiConnection(browser: Browser): BidiConnection {
  const connection = (browser as unknown as { connection?: BidiConnection }).connection;
  if (typeof connection?.send !== 'function') throw new Error('not a WebDriver BiDi browser');
  return connection;
}

/**
 * Runs `expression` in the browser window's chrome (parent-process) context: BiDi lists those
 * with "moz:scope": "chrome" and evaluates in them only when started with
 * --remote-allow-system-access. The expression's value must be a string (JSON it yourself).
 */
async function evaluateInChrome(browser: Browser, expression: string): Promise<string> {
  const connection = bidiConnection(browser);
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })).result as { contexts: Array<{ context: string; url?: string }> };
  // The browser window itself: other chrome windows (a DevTools toolbox, one being closed)
  // may be listed first, and an evaluation in a closing one never answers.
  const context = (tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml') ?? tree.contexts[0])?.context;
  if (!context) throw new Error('no chrome browsing context');
  const reply = (await connection.send('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' })).result as EvaluateResult;
  if (reply.type !== 'success') throw new Error(`chrome evaluation failed: ${reply.exceptionDetails?.text ?? 'unknown'}`);
  if (reply.result?.type !== 'string') throw new Error(`chrome evaluation gave ${reply.result?.type}, not a string`);
  return reply.result.value as string;
}

/**
 * Firefox 153 refuses BiDi navigation to moz-extension:// unless the browser was started with
 * --remote-allow-system-access, and puppeteer's page.goto() then never sees the navigation
 * finish (no navigation events reach it for extension pages). So the BiDi command is sent
 * directly and the page is polled until its document is there.
 */
export async function navigateExtensionPage(page: Page, url: string): Promise<void> {
  const context = (page.mainFrame() as unknown as { browsingContext?: BidiContext }).browsingContext;
  if (typeof context?.navigate !== 'function') throw new Error('not a WebDriver BiDi page: cannot navigate to an extension page');
  await context.navigate(url, 'complete');
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const ready = await page.evaluate((u) => location.href === u && document.readyState === 'complete', url).catch(() => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not load`);
}

/**
 * Runs `fn` (the source of a function of a document, sync or async) in the page shown by an
 * extension <browser> of the browser window (`browserExpression`, chrome JS), and resolves its
 * JSON-able result. The popup and DevTools panel pages are out of BiDi's reach (they are not
 * tabs): a frame script loaded into their <browser> runs `fn` with the page's document and sends
 * the result back to the parent process.
 */
async function runInExtensionBrowser<T>(chrome: <R>(expression: string) => Promise<R>, browserExpression: string, what: string, fn: string): Promise<T> {
  const json = await chrome<string>(`(async () => {
    const browser = ${browserExpression};
    if (!browser) throw new Error(${JSON.stringify(`${what} is not open`)});
    const id = 'owa-inspector-probe-' + Math.random();
    const script = '(async () => { let out; try { out = { value: await (' + ${JSON.stringify(fn)} + ')(content.document) }; } catch (e) { out = { error: String(e) }; } sendAsyncMessage(' + JSON.stringify(id) + ', JSON.stringify(out)); })()';
    return await new Promise((resolve) => {
      const listener = (message) => {
        browser.messageManager.removeMessageListener(id, listener);
        resolve(message.data);
      };
      browser.messageManager.addMessageListener(id, listener);
      browser.messageManager.loadFrameScript('data:,' + encodeURIComponent(script), false);
      // A <browser> still setting up its page never runs the script: say so, the caller retries.
      ChromeUtils.importESModule('resource://gre/modules/Timer.sys.mjs').setTimeout(() => {
        browser.messageManager.removeMessageListener(id, listener);
        resolve(JSON.stringify({ error: 'no answer from the page within 5 s' }));
      }, 5000);
    });
  })()`);
  const out = JSON.parse(json) as { value?: T; error?: string };
  if (out.error !== undefined) throw new Error(`in ${what}: ${out.error}`);
  return out.value as T;
}

export interface FirefoxLaunchOptions {
  extensionDir?: string;
  /**
   * Host names served on 127.0.0.1 with a certificate made for the run (HTTPS by name, as a user
   * reaches Exchange): they bypass the dead proxy, every name resolves to 127.0.0.1, and the
   * session accepts certificates no CA signed (WebDriver's acceptInsecureCerts, which applies to
   * the whole browser, the add-on's background page included).
   */
  loopbackHosts?: string[];
}

export async function launchFirefoxWithExtension(options: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  const extensionDir = options.extensionDir ?? FIREFOX_EXTENSION_DIR;
  const executablePath = requireFirefox(extensionDir);
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const addonId = manifest.browser_specific_settings?.gecko?.id;
  if (!addonId) throw new Error(`${extensionDir}/manifest.json has no browser_specific_settings.gecko.id`);
  // puppeteer makes a fresh temporary profile (with these prefs in user.js) and removes it on close.
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      ...firefoxPrefs(addonId),
      ...(options.loopbackHosts?.length ? { 'network.dns.forceResolve': '127.0.0.1', 'network.proxy.no_proxies_on': options.loopbackHosts.join(', ') } : {}),
    },
    ...(options.loopbackHosts?.length ? { acceptInsecureCerts: true } : {}),
    // Navigation to moz-extension:// pages (see navigateExtensionPage).
    args: ['--remote-allow-system-access'],
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    protocolTimeout: 30_000,
  });
  const output: string[] = [];
  const child = browser.process();
  for (const stream of [child?.stdout, child?.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      output.push(...lines);
    });
  }
  try {
    const installed = await browser.installExtension(extensionDir);
    if (installed !== addonId) throw new Error(`installed add-on id ${installed}, expected ${addonId}`);
    const baseUrl = `moz-extension://${EXTENSION_UUID}/`;
    const chrome = async <T>(expression: string): Promise<T> => JSON.parse(await evaluateInChrome(browser, `(async () => JSON.stringify(await (${expression})))()`)) as T;
    const extension = `ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs').ExtensionParent.GlobalManager.getExtension(${JSON.stringify(addonId)})`;
    const devtools = `ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs').require('devtools/client/framework/devtools').gDevTools`;
    const win = `Services.wm.getMostRecentWindow('navigator:browser')`;
    const backgroundState = () => chrome<string>(`Promise.resolve(${extension}.backgroundState)`);
    const inExtensionBrowser = <T>(browserExpression: string, what: string, fn: string) => runInExtensionBrowser<T>(chrome, browserExpression, what, fn);
    return {
      browser,
      addonId,
      uuid: EXTENSION_UUID,
      baseUrl,
      async openPage(path) {
        const page = await browser.newPage();
        await navigateExtensionPage(page, baseUrl + path);
        return page;
      },
      output,
      errorsSince(since) {
        const ownScript = `JavaScript error: ${baseUrl}`;
        return output.slice(since).filter((line) => line.startsWith('console.error:') || line.startsWith(ownScript));
      },
      chrome,
      async terminateBackground() {
        await chrome(`${extension}.terminateBackground({ disableResetIdleForTest: true }).then(() => true)`);
      },
      async openDevToolsPanel() {
        // The toolbox lists the panel once the add-on's devtools_page has created it.
        await chrome(`(async () => {
          const win = ${win};
          const toolbox = await ${devtools}.showToolboxForTab(win.gBrowser.selectedTab, { toolId: 'webconsole' });
          const end = Date.now() + 10000;
          let id;
          while (!(id = [...toolbox.additionalToolDefinitions.keys()].find((k) => k.startsWith('webext-devtools-panel-')))) {
            if (Date.now() > end) throw new Error('the add-on panel never appeared in the toolbox');
            await new Promise((r) => win.setTimeout(r, 50));
          }
          await toolbox.selectTool(id);
          win.__owaInspectorPanel = () => toolbox.doc.getElementById('toolbox-panel-iframe-' + id)?.contentDocument?.querySelector('browser') ?? null;
          return true;
        })()`);
      },
      inPanel: <T>(fn: string) => inExtensionBrowser<T>(`${win}.__owaInspectorPanel?.()`, 'the DevTools panel', fn),
      async harFromDevTools() {
        return chrome<string>(`(async () => {
          const toolbox = ${devtools}.getToolboxForTab(${win}.gBrowser.selectedTab);
          if (!toolbox) throw new Error('DevTools is not open on the selected tab');
          return JSON.stringify({ log: await toolbox.getHARFromNetMonitor() }, null, 2);
        })()`);
      },
      async closeDevTools() {
        await chrome(`${devtools}.closeToolboxForTab(${win}.gBrowser.selectedTab).then(() => true)`);
      },
      async openActionPopup() {
        // What a click on the toolbar button does (and so activeTab for the selected tab).
        await chrome(`(async () => {
          const win = ${win};
          const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
          ExtensionParent.apiManager.global.browserActionFor(${extension}).triggerAction(win);
          const end = Date.now() + 10000;
          const popup = () => win.document.querySelector('.webextension-popup-browser');
          while (popup()?.currentURI?.spec !== ${JSON.stringify(`moz-extension://${EXTENSION_UUID}/popup.html`)}) {
            if (Date.now() > end) throw new Error('the action popup did not open');
            await new Promise((r) => win.setTimeout(r, 50));
          }
          return true;
        })()`);
      },
      async closeActionPopup() {
        await chrome(`Promise.resolve(${win}.document.querySelector('.webextension-popup-browser')?.closest('panel')?.hidePopup() ?? true)`);
      },
      inPopup: <T>(fn: string) => inExtensionBrowser<T>(`${win}.document.querySelector('.webextension-popup-browser')`, 'the action popup', fn),
      async clickInPopup(selector) {
        // A click as the user's own: synthesized at the widget level, so the page gets trusted
        // events and is "handling user input" (what permissions.request requires).
        await inExtensionBrowser<boolean>(
          `${win}.document.querySelector('.webextension-popup-browser')`,
          'the action popup',
          `(doc) => {
            const target = doc.querySelector(${JSON.stringify(selector)});
            if (!target) throw new Error('nothing matches ' + ${JSON.stringify(selector)});
            const box = target.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            for (const type of ['mousedown', 'mouseup']) doc.defaultView.synthesizeMouseEvent(type, x, y, { button: 0, clickCount: 1 }, { isDOMEventSynthesized: false });
            return true;
          }`,
        );
      },
      async setPermissionPrompts(on) {
        await chrome(`Promise.resolve(Services.prefs.setBoolPref('extensions.webextOptionalPermissionPrompts', ${on}) ?? true)`);
      },
      async answerPermissionPrompt(allow) {
        // Firefox's doorhanger for optional permissions ("addon-webext-permissions"), on the selected tab.
        return chrome<boolean>(`(async () => {
          const win = ${win};
          const end = Date.now() + 10000;
          let prompt;
          while (!(prompt = win.PopupNotifications.getNotification('addon-webext-permissions', win.gBrowser.selectedBrowser))) {
            if (Date.now() > end) return false;
            await new Promise((r) => win.setTimeout(r, 50));
          }
          const action = ${allow} ? prompt.mainAction : prompt.secondaryActions[0];
          action.callback({});
          prompt.remove();
          return true;
        })()`);
      },
      async backgroundRunning() {
        // Firefox's own states (ExtensionParent's BACKGROUND_STATE): 'running' once the page has loaded.
        return (await backgroundState()) === 'running';
      },
      backgroundState,
      async close() {
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
