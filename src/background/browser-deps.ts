// The real browser APIs behind the controller's dependencies.
import browser from 'webextension-polyfill';
import type { BgCsMessage, CsBgResponse } from '../messages/protocol';
import { hostPermissionPattern, normalizeOrigin } from '../owa/origin';
import type { Badge } from './badge';
import type { BackgroundDeps, TabInfo } from './deps';
import type { AnswerSeen, SignInDeps } from './sign-in';
import { InFlightRequests } from './in-flight';
import { CookieCatcher, EventWait } from './cookie-catcher';
import { isSessionCookie, sessionCookiesSet } from '../owa/detection';
import { originsForCookie, setCookieLines } from './observations';
import type { RemovableArea, StorageArea } from './storage';
import { anchoredUrlFilter } from './url-filter';

/** The tabs' unanswered requests (fed by the webRequest listeners in index.ts). */
export const tabRequests = new InFlightRequests();
/** How long a sign-in waits for them at most (a long poll may never answer soon). */
const TAB_REQUESTS_WAIT_MS = 3_000;
/**
 * How long a sign-in waits, after its POST settled, for the browser to show the answer and the
 * cookies it set: both come as events that may trail the fetch (across processes in Firefox).
 */
const ANSWER_WAIT_MS = 2_000;
/**
 * Chromium shows Set-Cookie, Cookie and Referer to webRequest listeners only when asked for
 * extraHeaders; Firefox has no such option (and rejects it).
 */
export const extraHeaders: string[] = (globalThis as { chrome?: { webRequest?: { OnHeadersReceivedOptions?: { EXTRA_HEADERS?: string } } } }).chrome?.webRequest?.OnHeadersReceivedOptions
  ?.EXTRA_HEADERS
  ? ['extraHeaders']
  : [];

export const CONTENT_SCRIPT_ID = 'owa-draft-guard';
export const CONTENT_SCRIPT_FILE = 'draft-guard.js';

export function storageArea(area: browser.Storage.StorageArea): StorageArea {
  return {
    get: (keys) => area.get(keys),
    set: (items) => area.set(items),
  };
}

export function removableArea(area: browser.Storage.StorageArea): RemovableArea {
  return { ...storageArea(area), remove: (keys) => area.remove(keys) };
}

function tabInfo(tab: browser.Tabs.Tab): TabInfo | null {
  return tab.id !== undefined && tab.url ? { id: tab.id, url: tab.url } : null;
}

async function ask(tabId: number, message: BgCsMessage): Promise<CsBgResponse | null> {
  const send = () => browser.tabs.sendMessage(tabId, message, { frameId: 0 }) as Promise<CsBgResponse | undefined>;
  try {
    return (await send()) ?? null;
  } catch {
    // No content script yet (the tab was open before the origin was watched): inject it once.
    try {
      await browser.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT_FILE] });
      return (await send()) ?? null;
    } catch {
      return null;
    }
  }
}

export const tabs: BackgroundDeps['tabs'] = {
  async ofOrigin(origin) {
    const found = await browser.tabs.query({ url: hostPermissionPattern(origin) });
    return found.map(tabInfo).filter((t): t is TabInfo => t !== null && normalizeOrigin(t.url) === origin);
  },
  async get(tabId) {
    return browser.tabs.get(tabId).then(tabInfo, () => null);
  },
  async hasUnsavedInput(tabId) {
    const answer = await ask(tabId, { type: 'bg-cs-query-unsaved' });
    return answer?.type === 'cs-bg-unsaved' ? answer.unsaved : null;
  },
  async showBanner(tabId, text) {
    return (await ask(tabId, { type: 'bg-cs-show-banner', text }))?.type === 'cs-bg-ok';
  },
  async reload(tabId) {
    await browser.tabs.reload(tabId);
  },
  async navigate(tabId, url) {
    await browser.tabs.update(tabId, { url });
  },
};

/**
 * Resolves true once the origin's host permission is held (now, or granted within `ms`), false
 * otherwise. The page that asked the user may be gone by then (Chromium's prompt closes the
 * popup): the worker carries the action out itself.
 */
export function waitForOrigin(origin: string, ms: number): Promise<boolean> {
  const origins = [hostPermissionPattern(origin)];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (granted: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      browser.permissions.onAdded.removeListener(check);
      resolve(granted);
    };
    const check = () =>
      void browser.permissions.contains({ origins }).then(
        (held) => held && finish(true),
        () => undefined,
      );
    const timer = setTimeout(() => finish(false), ms);
    browser.permissions.onAdded.addListener(check);
    check();
  });
}

export const contentScripts: BackgroundDeps['contentScripts'] = {
  async sync(origins) {
    const matches = [...new Set(origins.map(hostPermissionPattern))].sort();
    const registered = await browser.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    // A woken worker syncs at start-up: leave a registration that is already right alone.
    if (registered.length && JSON.stringify([...(registered[0]?.matches ?? [])].sort()) === JSON.stringify(matches)) return;
    if (registered.length) await browser.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    if (!origins.length) return;
    await browser.scripting.registerContentScripts([
      {
        id: CONTENT_SCRIPT_ID,
        matches,
        js: [CONTENT_SCRIPT_FILE],
        runAt: 'document_start',
        allFrames: false,
        persistAcrossSessions: true,
      },
    ]);
  },
};

export function applyBadge(badge: Badge): void {
  void browser.action.setBadgeText({ text: badge.text });
  void browser.action.setBadgeBackgroundColor({ color: badge.color });
  void browser.action.setTitle({ title: badge.title });
}

export async function notify(origin: string, message: string): Promise<void> {
  // `notifications` is optional: ask for it in the options page; without it we only badge.
  if (!(await browser.permissions.contains({ permissions: ['notifications'] }))) return;
  await browser.notifications.create(`owa:${origin}`, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title: browser.i18n.getMessage('bg_notify_title', [new URL(origin).host]),
    message,
  });
}

/** A rule id per origin, stable across worker restarts (session rules outlive the worker). */
function ruleIdFor(origin: string): number {
  let hash = 0;
  for (const char of origin) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return 1 + (Math.abs(hash) % 1_000_000);
}

interface DnrLike {
  updateSessionRules(options: { removeRuleIds?: number[]; addRules?: unknown[] }): Promise<void>;
  getSessionRules(): Promise<Array<{ id: number }>>;
}

function dnr(): DnrLike | null {
  const api = (browser as unknown as { declarativeNetRequest?: DnrLike }).declarativeNetRequest;
  return api && typeof api.updateSessionRules === 'function' ? api : null;
}

/**
 * The logon POST leaves the worker with `Origin: chrome-extension://…`; a server or proxy that
 * checks Origin (CSRF defence) would refuse it. A session rule sets Origin and Referer to what
 * the logon page itself would send, only for POSTs to this action URL from outside any tab
 * (our worker), and only while the sign-in runs.
 */
export const spoofFormOrigin: SignInDeps['spoofFormOrigin'] = async (action, origin, referer) => {
  const api = dnr();
  if (!api) return async () => undefined;
  const id = ruleIdFor(origin);
  const filter = anchoredUrlFilter(action);
  await api.updateSessionRules({
    removeRuleIds: [id],
    addRules: [
      {
        id,
        priority: 1,
        condition: { urlFilter: filter, requestMethods: ['post'], tabIds: [-1] },
        action: {
          type: 'modifyHeaders',
          requestHeaders: [
            { header: 'origin', operation: 'set', value: origin },
            { header: 'referer', operation: 'set', value: referer },
          ],
        },
      },
    ],
  });
  return () => api.updateSessionRules({ removeRuleIds: [id] });
};

/** Rule ids of the ActiveSync User-Agent rules: a range apart from the sign-in rules (1..1,000,000). */
const USER_AGENT_RULES = 2_000_000;
let userAgentRule = 0;

/**
 * The worker's ActiveSync requests with the User-Agent the run chose. Chromium sends its own
 * User-Agent with a fetch() whatever the header says (the trace showed one thing and the server
 * saw another); a session rule scoped to that one URL and to requests of no tab (the worker's)
 * sets it while the request runs. Firefox sends the header as given; the rule changes nothing there.
 */
export async function fetchWithUserAgent(url: string, init?: RequestInit): Promise<Response> {
  const api = dnr();
  const userAgent = new Headers(init?.headers).get('user-agent');
  if (!api || !userAgent) return fetch(url, init);
  const id = USER_AGENT_RULES + (userAgentRule++ % 100_000);
  await api.updateSessionRules({
    removeRuleIds: [id],
    addRules: [
      {
        id,
        priority: 1,
        condition: { urlFilter: anchoredUrlFilter(url), tabIds: [-1] },
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'user-agent', operation: 'set', value: userAgent }] },
      },
    ],
  });
  try {
    return await fetch(url, init);
  } finally {
    await api.updateSessionRules({ removeRuleIds: [id] }).catch(() => undefined);
  }
}

/**
 * Session rules outlive the worker: one left by a sign-in cut off with its worker would go on
 * rewriting headers. The worker adds them only during its own sign-ins and ActiveSync requests,
 * so at start-up, before any of those can run, every one of them is stale.
 */
export async function removeStaleSessionRules(): Promise<number> {
  const api = dnr();
  if (!api) return 0;
  const ids = (await api.getSessionRules()).map((r) => r.id);
  if (ids.length) await api.updateSessionRules({ removeRuleIds: ids });
  return ids.length;
}

/**
 * The logon POST is sent with `redirect: 'manual'`, whose answer the worker gets as an opaque
 * redirect (no status, no headers): webRequest shows them.
 */
export const watchAnswer: NonNullable<SignInDeps['watchAnswer']> = (action) => {
  const target = new URL(action);
  target.hash = '';
  const answer = new EventWait<AnswerSeen>();
  const listener = (details: browser.WebRequest.OnHeadersReceivedDetailsType): void => {
    if (details.method !== 'POST' || details.tabId !== -1 || details.url.split('#')[0] !== target.href) return;
    const location = details.responseHeaders?.find((h) => h.name.toLowerCase() === 'location')?.value ?? null;
    answer.set({ status: details.statusCode, location, cookies: sessionCookiesSet(setCookieLines(details.responseHeaders ?? [])) });
  };
  // Set-Cookie is shown to Chromium listeners only with extraHeaders.
  browser.webRequest.onHeadersReceived.addListener(listener, { urls: [hostPermissionPattern(target.origin)] }, [
    'responseHeaders',
    ...extraHeaders,
  ] as browser.WebRequest.OnHeadersReceivedOptions[]);
  return async () => {
    try {
      return await answer.settle(ANSWER_WAIT_MS);
    } finally {
      browser.webRequest.onHeadersReceived.removeListener(listener);
    }
  };
};

/** Session cookies of `origin` set from now until the returned stop is called (the last of each name). */
export const catchSessionCookies: NonNullable<SignInDeps['catchSessionCookies']> = (origin) => {
  const catcher = new CookieCatcher();
  const listener = (change: browser.Cookies.OnChangedChangeInfoType): void => {
    const c = change.cookie;
    if (change.removed || !isSessionCookie(c.name) || !originsForCookie(c, [origin]).length) return;
    catcher.add({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      hostOnly: c.hostOnly,
      secure: c.secure,
      httpOnly: c.httpOnly,
      sameSite: c.sameSite,
      expirationDate: c.expirationDate,
      storeId: c.storeId,
    });
  };
  browser.cookies.onChanged.addListener(listener);
  return async (expected) => {
    try {
      return await catcher.settle(expected, ANSWER_WAIT_MS);
    } finally {
      browser.cookies.onChanged.removeListener(listener);
    }
  };
};

/** Sets again those cookies the jar lost (or holds with another value). */
export const restoreCookies: NonNullable<SignInDeps['restoreCookies']> = async (origin, cookies) => {
  let restored = 0;
  for (const c of cookies) {
    const url = new URL(c.path || '/', origin).href;
    const current = await browser.cookies.get({ url, name: c.name, ...(c.storeId ? { storeId: c.storeId } : {}) });
    if (current?.value === c.value) continue;
    // Past its expiry it stays gone (a persistent cookie that ran out is not brought back).
    if (c.expirationDate !== undefined && c.expirationDate * 1000 <= Date.now()) continue;
    await browser.cookies.set({
      url,
      name: c.name,
      value: c.value,
      path: c.path,
      secure: c.secure,
      httpOnly: c.httpOnly,
      ...(c.hostOnly ? {} : { domain: c.domain }),
      ...(c.sameSite && c.sameSite !== 'unspecified' ? { sameSite: c.sameSite as browser.Cookies.SameSiteStatus } : {}),
      ...(c.expirationDate !== undefined ? { expirationDate: c.expirationDate } : {}),
      ...(c.storeId ? { storeId: c.storeId } : {}),
    });
    restored++;
  }
  return restored;
};

export const signInDeps: SignInDeps = {
  fetch: (input, init) => fetch(input, init),
  async cookies(origin) {
    const all = await browser.cookies.getAll({ url: `${origin}/` });
    return all.map((c) => ({ name: c.name, value: c.value }));
  },
  spoofFormOrigin,
  catchSessionCookies,
  watchAnswer,
  waitForTabRequests: async (origin) => {
    await tabRequests.settle(origin, Date.now, (ms) => new Promise((r) => setTimeout(r, ms)), TAB_REQUESTS_WAIT_MS);
  },
  restoreCookies,
};
