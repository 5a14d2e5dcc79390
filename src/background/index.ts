// The background service worker (Chrome) / event page (Firefox).
// Every listener is registered synchronously at top level so a restarted worker hears the
// event that woke it; each handler waits on the start-up (start-up.ts), which loads the state
// (storage.session first, then the IndexedDB store) and is run again should it fail. The
// state lives in storage; what is memory-only on purpose is named so where it is kept (the
// request maps below, FreshCookies, UiFeeds' host permissions, EasService's waiting runs).
import browser from 'webextension-polyfill';
import { BG_STARTED, EAS_PORT, SESSIONS_PORT, SETTINGS_PORT, TIMELINE_PORT, type BgResponse } from '../messages/protocol';
import { hostPermissionPattern, normalizeOrigin } from '../owa/origin';
import { classifyUrl } from '../owa/detection';
import { Controller } from './controller';
import type { Observation } from './deps';
import { answerMessage, parseUiMessage } from './message-table';
import { StartUp, within } from './start-up';
import {
  applyBadge,
  contentScripts,
  extraHeaders,
  notify,
  removableArea,
  removeStaleSessionRules,
  signInDeps,
  storageArea,
  tabRequests,
  tabs,
  waitForOrigin,
  fetchWithUserAgent,
} from './browser-deps';
import {
  computerChoiceOfRequest,
  countsOnSend,
  fromCompleted,
  fromSend,
  fromCookieChange,
  fromHeadersReceived,
  fromRedirect,
  isOwnRequest,
  secFetchSiteOf,
  startedByOriginOrUser,
  type RequestDetails,
} from './observations';
import { loadState, Store } from './store';
import type { ComputerChoice } from '../owa/logon-form';
import { openIdbArea } from './idb-area';
import { moveToPrivateStorage } from './migrate';
import { TimelineLog } from './timeline';
import { EasService } from './eas';

const extensionOrigin = new URL(browser.runtime.getURL('')).origin;

function log(message: string): void {
  // Only origins and outcomes are ever logged: never a username, password or cookie.
  console.info(`[owa-inspector] ${message}`);
}

interface Services {
  controller: Controller;
  eas: EasService;
  timeline: TimelineLog;
}

/** Gives back the host permission of an origin: of its host on every port, as match patterns have no port. */
async function releaseHost(origin: string): Promise<void> {
  await browser.permissions.remove({ origins: [hostPermissionPattern(origin)] });
}

/** How long start-up waits for IndexedDB to open (another connection can block it). */
const IDB_OPEN_MS = 10_000;
/**
 * How long the whole start-up may take: every step awaits a browser API (storage, IndexedDB,
 * declarativeNetRequest, scripting), and one that never answers must not leave the worker deaf
 * to every page until the browser stops it; a start that took longer is run again.
 */
const START_MS = 30_000;
const START_RETRY_ALARM = 'owa-start-retry';

async function start(): Promise<Services> {
  const session = browser.storage.session as browser.Storage.StorageArea & {
    setAccessLevel?(options: { accessLevel: string }): Promise<void>;
  };
  // Content scripts must never read storage.session (it holds the credentials). This is
  // Chrome's default; saying it keeps it true should the default change.
  await session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => undefined);
  const stale = await removeStaleSessionRules().catch(() => 0);
  if (stale) log(`removed ${stale} header rule(s) left by a sign-in cut off with its worker`);
  // Settings, the vault and policy keys: in IndexedDB, out of content scripts' reach (storage.local
  // is theirs to read and write). What an earlier version left in storage.local moves once.
  const local = await within(openIdbArea(), IDB_OPEN_MS, "opening the extension's IndexedDB");
  const moved = await moveToPrivateStorage(removableArea(browser.storage.local), local);
  if (moved.length) log(`moved ${moved.join(', ')} out of storage.local`);
  const state = await loadState(storageArea(browser.storage.session), local);
  const store = new Store(state, { session: storageArea(browser.storage.session), local });
  const timeline = new TimelineLog(storageArea(browser.storage.session));
  await timeline.load(state.watched);
  const controller = new Controller({
    timeline,
    now: () => Date.now(),
    store,
    signIn: signInDeps,
    crypto: { subtle: crypto.subtle, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) },
    tabs,
    alarms: {
      set: (name, when) => void browser.alarms.create(name, { when: Math.max(when, Date.now() + 1_000) }),
      ensure: (name, when) =>
        void browser.alarms.get(name).then((existing) => {
          if (!existing) return browser.alarms.create(name, { when: Math.max(when, Date.now() + 1_000) });
        }),
      clear: (name) => void browser.alarms.clear(name),
    },
    ui: { badge: applyBadge, notify: (origin, message) => notify(origin, message).catch(() => undefined) },
    permissions: {
      hasOrigin: (origin) => browser.permissions.contains({ origins: [hostPermissionPattern(origin)] }),
      waitForOrigin,
      release: releaseHost,
    },
    contentScripts,
    lastAnswered: (origin) => answered.get(origin) ?? null,
    log,
    words: (key, substitutions) => browser.i18n.getMessage(key, substitutions),
  });
  await controller.ensureDevice();
  const eas = new EasService({
    fetch: fetchWithUserAgent,
    session: storageArea(browser.storage.session),
    local,
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
    device: () => controller.device(),
    hasHost: (url) => browser.permissions.contains({ origins: [hostPermissionPattern(new URL(url).origin)] }),
    waitForHost: (url, ms) => waitForOrigin(new URL(url).origin, ms),
    releaseHost,
    watchedOrigins: () => controller.watchedOrigins(),
    log,
  });
  await eas.load();
  await controller.refreshPermissions();
  await controller.settleCutOffSignIns();
  await contentScripts.sync(state.watched).catch((error: unknown) => log(`content script: ${String(error)}`));
  if (Object.values(state.sessions).some((s) => s.status === 'signed-in' || s.status === 'expiring')) controller.ensureTick();
  controller.feeds.refresh();
  // Pages that were open while the background was stopped (Firefox stops an idle event page after
  // 30 s, open ports or not) lost their ports with it: tell them to connect again. Nobody
  // listening (no page open) is the usual case, not an error.
  void browser.runtime.sendMessage({ type: BG_STARTED }).catch(() => undefined);
  return { controller, eas, timeline };
}

const startUp = new StartUp(
  () => within(start(), START_MS, "the background's start-up"),
  (error) => {
    log(`start-up failed: ${error instanceof Error ? error.message : String(error)}; it runs again on the next event or in 30 s`);
    void browser.alarms.create(START_RETRY_ALARM, { delayInMinutes: 0.5 });
  },
);
const services = (): Promise<Services> => startUp.get();
void services().catch(() => undefined);

/** Runs a handler after start-up; errors are logged, never thrown into the browser. */
function later(run: (controller: Controller) => Promise<unknown> | void): void {
  services()
    .then(({ controller }) => run(controller))
    .catch((error: unknown) => log(`error: ${error instanceof Error ? error.message : String(error)}`));
}

async function observeAll(controller: Controller, observations: Observation[]): Promise<void> {
  for (const obs of observations) await controller.observe(obs);
}

// ---- webRequest: non-blocking, for every URL; events only arrive for hosts we may access.
const filter: browser.WebRequest.RequestFilter = { urls: ['<all_urls>'] };
// `extraHeaders` (browser-deps.ts): asked for only where the browser offers it.
type Spec<T> = T[];

// Memory only, by design: what a request showed as it was sent, needed when its answer comes.
// A worker restarted in between loses it; the answer is then judged without it.
const counted = new Map<string, boolean>();
/** Sec-Fetch-Site of each request in flight (request headers are not shown with its answer). */
const fetchSite = new Map<string, string | undefined>();
const FETCH_SITE_LIMIT = 5_000;
/** The public/private choice of each logon POST a tab sent, until its answer (at most POSTED_LIMIT). */
const postedChoice = new Map<string, ComputerChoice>();
const POSTED_LIMIT = 100;
/**
 * For each watched origin, when the last request it answered normally was sent: the server took
 * the session as alive as the request arrived, which bounds its timeout from below when its end
 * comes (timeout-learning.ts). The sending time, not the answer's: OWA's notification long-poll
 * is held for up to tens of seconds, and a session can end while it is held. Memory only, by
 * design: a restarted worker learns from the next end instead.
 */
const answered = new Map<string, number>();
/** When each request in flight was sent (at most SENT_LIMIT), for `answered`. */
const sentAt = new Map<string, number>();
const SENT_LIMIT = 5_000;

/** A request of the session's own answered as usual: not a 440, an error, or a logon page. */
function answeredNormally(details: RequestDetails): boolean {
  const status = details.statusCode ?? 0;
  if (status < 200 || status >= 400) return false;
  const kind = classifyUrl(details.url).kind;
  return kind === 'other' || kind === 'keepalive';
}

function relevant(details: RequestDetails, controller: Controller): string | null {
  if (isOwnRequest(details, extensionOrigin)) return null;
  const origin = normalizeOrigin(details.url);
  return origin && controller.isWatched(origin) ? origin : null;
}

/** Whether the watched origin or the user started the request's chain (not another site). */
function trusted(details: RequestDetails, origin: string): boolean {
  return startedByOriginOrUser(details, origin, fetchSite.get(details.requestId));
}

function forget(requestId: string): void {
  counted.delete(requestId);
  fetchSite.delete(requestId);
  postedChoice.delete(requestId);
  sentAt.delete(requestId);
}

/** A logon form posted by a tab: its public/private choice, kept until the answer says whose POST it was. */
function onBeforeRequest(details: browser.WebRequest.OnBeforeRequestDetailsType): void {
  const choice = computerChoiceOfRequest(details);
  if (!choice) return;
  postedChoice.set(details.requestId, choice);
  if (postedChoice.size > POSTED_LIMIT) postedChoice.delete(postedChoice.keys().next().value as string);
}

function onSendHeaders(details: browser.WebRequest.OnSendHeadersDetailsType): void {
  const d = details as RequestDetails;
  const at = Date.now();
  // Counted at once (not after start-up): a sign-in may be waiting on it.
  const tabOrigin = d.tabId >= 0 ? normalizeOrigin(d.url) : null;
  if (tabOrigin) tabRequests.start(d.requestId, tabOrigin, at);
  // Each hop of a redirect chain is sent again with the chain's Sec-Fetch-Site: keep the last.
  fetchSite.delete(d.requestId);
  fetchSite.set(d.requestId, secFetchSiteOf(d));
  if (fetchSite.size > FETCH_SITE_LIMIT) fetchSite.delete(fetchSite.keys().next().value as string);
  // Each hop of a redirect chain is sent with the same id: the last hop's time.
  sentAt.delete(d.requestId);
  sentAt.set(d.requestId, at);
  if (sentAt.size > SENT_LIMIT) sentAt.delete(sentAt.keys().next().value as string);
  later((c) => {
    if (!relevant(d, c)) return undefined;
    counted.set(d.requestId, countsOnSend(d));
    return observeAll(c, fromSend(d, at));
  });
}

function onHeadersReceived(details: browser.WebRequest.OnHeadersReceivedDetailsType): void {
  const d = details as RequestDetails;
  const at = Date.now();
  later((c) => {
    const origin = relevant(d, c);
    return origin ? observeAll(c, fromHeadersReceived(d, at, trusted(d, origin))) : undefined;
  });
}

function onBeforeRedirect(details: browser.WebRequest.OnBeforeRedirectDetailsType): void {
  const d = details as RequestDetails;
  const at = Date.now();
  later((c) => {
    const origin = relevant(d, c);
    const computer = postedChoice.get(d.requestId) ?? null;
    postedChoice.delete(d.requestId);
    return origin ? observeAll(c, fromRedirect(d, at, trusted(d, origin), computer)) : undefined;
  });
}

function onCompleted(details: browser.WebRequest.OnCompletedDetailsType): void {
  const d = details as RequestDetails;
  const at = Date.now();
  tabRequests.end(d.requestId);
  later((c) => {
    const wasCounted = counted.get(d.requestId) ?? false;
    const origin = relevant(d, c);
    if (origin && answeredNormally(d)) answered.set(origin, Math.max(answered.get(origin) ?? 0, sentAt.get(d.requestId) ?? at));
    const observations = origin ? fromCompleted(d, wasCounted, at, trusted(d, origin)) : [];
    forget(d.requestId);
    return observeAll(c, observations);
  });
}

function onErrorOccurred(details: browser.WebRequest.OnErrorOccurredDetailsType): void {
  tabRequests.end(details.requestId);
  later(() => forget(details.requestId));
}

/**
 * Adds the webRequest listeners, or adds them again. Chromium refuses webRequest listeners added
 * while the extension holds no host permission at all ("You need to request host permissions in
 * the manifest file…") and does not take them up when a host is granted later: a worker started
 * before the user's first grant would see none of the site's traffic until it restarted (no
 * 440s, no sign-outs). So they are added at the top level (the events that wake the worker) and
 * again whenever a host permission is granted.
 */
function listenToRequests(): void {
  const events = browser.webRequest;
  events.onBeforeRequest.removeListener(onBeforeRequest);
  // Forms posted by tabs only: what a person typed and chose on a logon page.
  events.onBeforeRequest.addListener(onBeforeRequest, { urls: ['<all_urls>'], types: ['main_frame', 'sub_frame'] }, ['requestBody']);
  events.onSendHeaders.removeListener(onSendHeaders);
  events.onSendHeaders.addListener(onSendHeaders, filter, ['requestHeaders', ...extraHeaders] as Spec<browser.WebRequest.OnSendHeadersOptions>);
  events.onHeadersReceived.removeListener(onHeadersReceived);
  events.onHeadersReceived.addListener(onHeadersReceived, filter, ['responseHeaders', ...extraHeaders] as Spec<browser.WebRequest.OnHeadersReceivedOptions>);
  events.onBeforeRedirect.removeListener(onBeforeRedirect);
  events.onBeforeRedirect.addListener(onBeforeRedirect, filter, ['responseHeaders', ...extraHeaders] as Spec<browser.WebRequest.OnBeforeRedirectOptions>);
  events.onCompleted.removeListener(onCompleted);
  events.onCompleted.addListener(onCompleted, filter);
  events.onErrorOccurred.removeListener(onErrorOccurred);
  events.onErrorOccurred.addListener(onErrorOccurred, filter);
}

listenToRequests();

// ---- cookies: the session cookies being set and cleared (HttpOnly ones too).
browser.cookies.onChanged.addListener((change) => {
  const at = Date.now();
  later((c) => observeAll(c, fromCookieChange(change, c.watchedOrigins(), at)));
});

// ---- alarms: the expiry tick, sign-in retries after a pause, unfinished sign-ins.
browser.alarms.onAlarm.addListener((alarm) => later((c) => (alarm.name === START_RETRY_ALARM ? undefined : c.onAlarm(alarm.name))));

// ---- permissions: a host permission taken back in the browser's UI shows in the views.
browser.permissions.onAdded.addListener((added) => {
  if (added.origins?.length) listenToRequests();
  later((c) => c.refreshPermissions());
});
browser.permissions.onRemoved.addListener(() => later((c) => c.refreshPermissions()));

// ---- messages: only from the extension's own pages, never from content scripts or sites.
function fromOwnPage(sender: browser.Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(`${extensionOrigin}/`);
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender): Promise<BgResponse> | undefined => {
  if (!fromOwnPage(sender)) return undefined;
  const parsed = parseUiMessage(message);
  if (!parsed) return undefined;
  const version = browser.runtime.getManifest().version;
  // The ping answers before start-up: a page may ask whether the worker runs at all.
  if (parsed.type === 'ui-bg-ping') return Promise.resolve({ type: 'bg-ui-pong', version });
  return services().then(({ controller, eas }) => answerMessage({ controller, eas, version }, parsed));
});

// ---- ports: pages subscribe to state pushed on every change.
browser.runtime.onConnect.addListener((port) => {
  if (!port.sender || !fromOwnPage(port.sender)) return;
  const post = (message: BgResponse) => {
    try {
      port.postMessage(message);
    } catch {
      // The page went away between the change and the push.
    }
  };
  if (port.name === SESSIONS_PORT) {
    later((c) => {
      const push = () => post({ type: 'bg-ui-sessions', sessions: c.views(), vault: c.feeds.vaultStatus() });
      const stop = c.feeds.onViews(push);
      port.onDisconnect.addListener(stop);
      push();
    });
  } else if (port.name === SETTINGS_PORT) {
    later((c) => {
      const stop = c.feeds.onSettings((view) => post({ type: 'bg-ui-settings', ...view }));
      port.onDisconnect.addListener(stop);
      post({ type: 'bg-ui-settings', ...c.settingsView() });
    });
  } else if (port.name === EAS_PORT) {
    void services().then(({ eas }) => {
      const stop = eas.onChange((runs) => post({ type: 'bg-ui-eas', runs }));
      port.onDisconnect.addListener(stop);
      post({ type: 'bg-ui-eas', runs: eas.views() });
    });
  } else if (port.name === TIMELINE_PORT) {
    // The page names the origin it wants (the DevTools panel: the inspected tab's), and may switch.
    let origin: string | null = null;
    port.onMessage.addListener((message: unknown) => {
      const parsed = parseUiMessage(message);
      if (parsed?.type !== 'ui-bg-get-timeline') return;
      origin = normalizeOrigin(parsed.origin) ?? parsed.origin;
      void services().then(({ timeline }) => origin && post({ type: 'bg-ui-timeline', origin, events: timeline.events(origin) }));
    });
    void services().then(({ timeline }) => {
      const stop = timeline.onChange((changed, events) => {
        if (changed === origin) post({ type: 'bg-ui-timeline', origin: changed, events: [...events] });
      });
      port.onDisconnect.addListener(stop);
    });
  }
});
