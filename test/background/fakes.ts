// Fake browser pieces for the background's unit tests: a tiny OWA behind a fetch with a
// cookie jar, in-memory storage areas, and recorders for tabs, alarms, badge and notifications.
import { webcrypto, randomBytes } from 'node:crypto';
import type { BackgroundDeps, TabInfo } from '../../src/background/deps';
import type { SignInDeps } from '../../src/background/sign-in';
import type { CaughtCookie } from '../../src/owa/sign-in-result';
import type { StorageArea } from '../../src/background/storage';
import type { CryptoDeps } from '../../src/owa/credentials';
import { TimelineLog } from '../../src/background/timeline';
import { CookieCatcher } from '../../src/background/cookie-catcher';
import type { Controller } from '../../src/background/controller';
import { answerMessage, parseUiMessage } from '../../src/background/message-table';
import type { BgResponse, UiMessage } from '../../src/messages/protocol';
import { englishMessage } from '../shared/english';

export const ORIGIN = 'https://mail.example.com';

export const LOGON_2010 = `<form action="/owa/auth.owa" method="POST" name="logonForm">
<input type="hidden" name="destination" value="${ORIGIN}/owa/"><input type="hidden" name="flags" value="0">
<input type="hidden" name="forcedownlevel" value="0"><input type="text" name="username"><input type="password" name="password">
<input type="hidden" name="isUtf8" value="1">
<input type="radio" name="trusted" id="rdoPblc" value="0" checked><input type="radio" name="trusted" id="rdoPrvt" value="4"></form>`;

/** Exchange 2013 SP1 and later: no public/private choice, a hidden flags=4 (private). */
export const LOGON_2016 = `<form action="/owa/auth.owa" method="POST" name="logonForm" autocomplete="off">
<input type="hidden" name="destination" value="${ORIGIN}/owa/"><input type="hidden" name="flags" value="4">
<input type="hidden" name="forcedownlevel" value="0"><input id="username" name="username" type="text">
<input id="password" name="password" type="password"><input id="passwordText" name="passwordText" type="text">
<input type="hidden" name="isUtf8" value="1"></form>`;

export interface FakePost {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** A minimal 2010+ server: logon page, auth.owa, a mailbox; cookies in a jar. */
export class FakeOwa {
  password = 'right-password';
  jar = new Map<string, string>();
  posts: FakePost[] = [];
  requests: string[] = [];
  logonPage = `${ORIGIN}/owa/auth/logon.aspx?url=${encodeURIComponent(`${ORIGIN}/owa/`)}&reason=3`;
  /** The logon page's form (the 2010 one with its public/private radios, or LOGON_2016). */
  logonHtml = LOGON_2010;
  /** Make the next POST hang until released (a worker stopped mid-way). */
  hold: Promise<void> | null = null;
  /** Runs once the POST has set its cookies, before fetch resolves (e.g. a late 440 clearing them). */
  afterPost: (() => void) | null = null;
  /** Cookies put back through restoreCookies, in order. */
  restored: string[] = [];
  private serial = 0;
  private catchers = new Set<(cookie: CaughtCookie) => void>();

  /** The cookies a good logon POST sets (named in its answer's Set-Cookie, as Exchange does). */
  postCookies = ['cadata'];
  /** A hostile or misconfigured front end: every logon POST is answered with this redirect. */
  postRedirect: { status: number; location: string } | null = null;

  fetch: typeof fetch = async (input, init) => {
    const url = String(input);
    this.requests.push(`${init?.method ?? 'GET'} ${url}`);
    const respond = (finalUrl: string, status: number, body = '') => {
      const response = new Response(body, { status });
      Object.defineProperty(response, 'url', { value: finalUrl });
      return response;
    };
    // As a browser's fetch does: 'manual' hands the redirect back (Node's shows its Location),
    // 'follow' goes on, re-sending method and body for 307/308 whatever the new origin.
    const redirect = async (status: number, location: string, setCookies: string[] = []): Promise<Response> => {
      if (init?.redirect === 'manual') {
        const headers = new Headers({ location });
        for (const line of setCookies) headers.append('set-cookie', line);
        const response = new Response(null, { status, headers });
        Object.defineProperty(response, 'url', { value: url });
        return response;
      }
      const next = new URL(location, url).href;
      return status === 307 || status === 308 ? this.fetch(next, init) : this.fetch(next, { method: 'GET', redirect: init?.redirect ?? 'follow' });
    };
    if (init?.method === 'POST') {
      this.posts.push({ url, body: String(init.body), headers: Object.fromEntries(new Headers(init.headers).entries()) });
      if (!url.startsWith(`${ORIGIN}/`)) return respond(url, 200, 'thanks');
      if (this.hold) await this.hold;
      if (this.postRedirect) return redirect(this.postRedirect.status, this.postRedirect.location);
      const form = new URLSearchParams(String(init.body));
      if (form.get('password') !== this.password) return redirect(302, `${ORIGIN}/owa/auth/logon.aspx?url=x&reason=2`);
      const serial = ++this.serial;
      for (const name of this.postCookies) this.set(name, `fresh-${name.toLowerCase()}-${serial}`);
      this.afterPost?.();
      return redirect(
        302,
        form.get('destination') ?? `${ORIGIN}/owa/`,
        this.postCookies.map((name) => `${name}=fresh-${name.toLowerCase()}-${serial}; path=/`),
      );
    }
    if (new URL(url).pathname === '/owa/auth/logon.aspx') return respond(url, 200, this.logonHtml);
    if (!this.jar.has('cadata')) return respond(this.logonPage, 200, this.logonHtml);
    return respond(url, 200, 'mailbox');
  };

  cookies = async (): Promise<Array<{ name: string; value: string }>> => [...this.jar].map(([name, value]) => ({ name, value }));

  /** The server (or a restore) setting a cookie: the jar and any catcher see it, as with cookies.onChanged. */
  set(name: string, value: string): void {
    this.jar.set(name, value);
    const cookie: CaughtCookie = { name, value, domain: new URL(ORIGIN).hostname, path: '/', hostOnly: true, secure: true, httpOnly: true };
    for (const catcher of this.catchers) catcher(cookie);
  }

  /**
   * `catching`: with the browser's cookie catching and restoring, as the real worker has.
   * `lateEvents`: cookies are reported a little after the POST's fetch settled, as browsers do.
   */
  signInDeps(options: { catching?: boolean; lateEvents?: boolean } = {}): SignInDeps {
    const base: SignInDeps = { fetch: this.fetch, cookies: this.cookies };
    if (!options.catching) return base;
    return {
      ...base,
      catchSessionCookies: () => {
        const catcher = new CookieCatcher();
        const report = (c: CaughtCookie) => (options.lateEvents ? void setTimeout(() => catcher.add(c), 20) : catcher.add(c));
        this.catchers.add(report);
        return async (expected) => {
          try {
            return await catcher.settle(expected, 1_000);
          } finally {
            this.catchers.delete(report);
          }
        };
      },
      restoreCookies: async (_origin, cookies) => {
        let n = 0;
        for (const c of cookies) {
          if (this.jar.get(c.name) === c.value) continue;
          this.set(c.name, c.value);
          this.restored.push(c.name);
          n++;
        }
        return n;
      },
    };
  }
}

export class MemoryArea implements StorageArea {
  data: Record<string, unknown> = {};
  writes = 0;
  /** Every write, in order (to check nothing secret was ever written). */
  history: Array<Record<string, unknown>> = [];
  async get(keys: string[]) {
    const out: Record<string, unknown> = {};
    for (const key of keys) if (key in this.data) out[key] = structuredClone(this.data[key]);
    return out;
  }
  async set(items: Record<string, unknown>) {
    this.writes++;
    this.history.push(structuredClone(items));
    Object.assign(this.data, structuredClone(items));
  }
}

export const cryptoDeps: CryptoDeps = { subtle: webcrypto.subtle as SubtleCrypto, randomBytes: (n) => new Uint8Array(randomBytes(n)) };

export class Recorder {
  tabs: TabInfo[] = [];
  unsaved = new Set<number>();
  reloaded: number[] = [];
  navigated: Array<[number, string]> = [];
  banners: Array<[number, string]> = [];
  alarms = new Map<string, number>();
  notifications: Array<[string, string]> = [];
  badges: string[] = [];
  logs: string[] = [];
  contentScriptOrigins: string[] = [];
  released: string[] = [];
  /** Called as a tab is reloaded: what the tab's reload would carry can be read then. */
  onReload?: (id: number) => void;
  now = 1_000_000;
  /** When the origin last answered a request normally (the session was alive then). */
  lastAnswered: number | null = null;
  timelineArea = new MemoryArea();
  timeline = new TimelineLog(this.timelineArea);

  deps(): Omit<BackgroundDeps, 'store' | 'signIn'> {
    return {
      now: () => this.now,
      crypto: cryptoDeps,
      tabs: {
        ofOrigin: async (origin) => this.tabs.filter((t) => t.url.startsWith(origin)),
        get: async (id) => this.tabs.find((t) => t.id === id) ?? null,
        hasUnsavedInput: async (id) => this.unsaved.has(id),
        showBanner: async (id, text) => {
          this.banners.push([id, text]);
          return true;
        },
        reload: async (id) => {
          this.onReload?.(id);
          this.reloaded.push(id);
        },
        navigate: async (id, url) => void this.navigated.push([id, url]),
      },
      alarms: {
        set: (name, when) => void this.alarms.set(name, when),
        ensure: (name, when) => void (this.alarms.has(name) || this.alarms.set(name, when)),
        clear: (name) => void this.alarms.delete(name),
      },
      ui: { badge: (b) => void this.badges.push(b.text), notify: async (origin, message) => void this.notifications.push([origin, message]) },
      permissions: { hasOrigin: async () => true, waitForOrigin: async () => true, release: async (origin) => void this.released.push(origin) },
      contentScripts: { sync: async (origins) => void (this.contentScriptOrigins = [...origins]) },
      timeline: this.timeline,
      lastAnswered: () => this.lastAnswered,
      log: (message) => void this.logs.push(message),
      words: englishMessage,
    };
  }
}

/**
 * Sends a page's message to the background as onMessage does: validated by its table entry,
 * then answered by it. A message the table refuses fails the test.
 */
export async function ask(controller: Controller, message: UiMessage): Promise<BgResponse> {
  const parsed = parseUiMessage(structuredClone(message));
  if (!parsed) throw new Error(`the message table refuses ${JSON.stringify(message)}`);
  return answerMessage({ controller, eas: null, version: 'test' }, parsed);
}
