// The public shape of the demo Exchange: what e2e tests and `npm start` see.

export type Generation = '2003' | '2010' | '2016';
export type FbaMode = 'forms' | 'adfs' | 'entra' | 'tmg';

export interface DemoExchangeOptions {
  /**
   * '2010' is the logon of Exchange 2010 to SE as 2013+ serves it: auth.owa and the five cadata
   * cookies. '2016' is the same with what 2013 SP1+ does beyond it: the default logon page (no
   * public/private choice, hidden flags=4), Exchange's full user-activity rule (UA=0,
   * X-UserActivity: 0, ping.owa, keepalive.owa, static files never renew), the UA=0 notification
   * long-poll (ev.owa2) and the routing cookies a time-out clears.
   */
  generation: Generation;
  /** Default '127.0.0.1': the address listened on. The demo is loopback-only unless told otherwise. */
  host?: string;
  /**
   * The host name clients use, e.g. 'mail.contoso.test' (point it at `host` with Chromium's
   * --host-resolver-rules, see chromiumArgsFor). Default: `host`. Names the origin.
   */
  hostname?: string;
  /** Serve HTTPS with this key and certificate (PEM), e.g. from createTestCertificate(). Auth cookies are then Secure. */
  tls?: { key: string; cert: string };
  /** '2016': how long the ev.owa2 notification long-poll is held open before it answers. Default 25000 ms. */
  notificationHoldMs?: number;
  /** Default 0: a free port. */
  port?: number;
  /** username -> password. 'user', 'DOMAIN\user' and 'user@domain' all name the account 'user'. */
  users?: Record<string, string>;
  /** T for a public-computer session; the cookie lives 1.5 T. Default 60. */
  publicTimeoutSeconds?: number;
  /** T for a private-computer session. Default 180. */
  privateTimeoutSeconds?: number;
  /** Reject (400) a logon POST whose Origin is present and is not this server's. */
  checkOrigin?: boolean;
  /** Non-forms modes imitate the servers where forms logon is not available. Default 'forms'. */
  fbaMode?: FbaMode;
  /** Mount /Microsoft-Server-ActiveSync. */
  activesync?: boolean;
  /** The clock, in ms since the epoch; tests inject one so they never sleep. Default Date.now. */
  now?: () => number;
  /** One line per request (method, path without query, status); never bodies. */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. '/owa/auth.owa'. */
  url: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The body decoded as UTF-8 ('' when there is none). */
  body: string;
  /** The raw body, for binary (WBXML) requests. */
  bodyBytes: Uint8Array;
  /** now() when the request arrived. */
  at: number;
}

export interface SessionInfo {
  user: string;
  private: boolean;
  issuedAt: number;
  expiresAt: number;
}

export interface DemoExchange {
  /** e.g. 'http://127.0.0.1:43121', or 'https://mail.contoso.test:43121' with hostname and tls */
  origin: string;
  /** The address and port the server listens on (what --host-resolver-rules maps the host name to). */
  address: { host: string; port: number };
  generation: Generation;
  /** Every request received, in order, including the demo's own control requests. */
  requests: RecordedRequest[];
  /** The POSTs that carried credentials to a sign-in endpoint (forms, TMG, AD FS). */
  logonPosts(): RecordedRequest[];
  /** Expire every session now. */
  expireSessions(): void;
  /**
   * Keeps back the next `count` 440 answers until releaseLoginTimeouts(): what a slow network
   * or server does to a request sent with the old cookies, whose 440 (clearing them) then comes
   * in after a new sign-in.
   */
  holdLoginTimeouts(count: number): void;
  /** How many 440 answers are kept back now. */
  heldLoginTimeouts(): number;
  /** Sends the kept-back 440 answers, in the order they were due. */
  releaseLoginTimeouts(): void;
  /**
   * Receives (and records) the next `count` logon POSTs but answers them only on
   * releaseLogonPosts(): a slow server, or one whose answer never reaches a client that went
   * away meanwhile (a service worker stopped during its sign-in).
   */
  holdLogonPosts(count: number): void;
  /** How many logon POSTs wait for their answer now. */
  heldLogonPosts(): number;
  /** Answers the held logon POSTs (a session is created for good credentials, as usual). */
  releaseLogonPosts(): void;
  /**
   * Turns the server hostile (or misconfigured, as a front end can be): from now on every logon
   * POST is recorded, then answered with this redirect instead of a sign-in, e.g. a 307 to
   * another host, which makes a client that follows redirects send the form, password
   * included, there. null: sign-ins work again.
   */
  redirectLogonPosts(redirect: { status: 301 | 302 | 303 | 307 | 308; location: string } | null): void;
  /** The sessions still alive at now(). */
  sessions(): SessionInfo[];
  /** Change (or add) an account's password; existing sessions stay valid. */
  setPassword(user: string, password: string): void;
  close(): Promise<void>;
}
