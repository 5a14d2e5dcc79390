// OWA forms logon as Exchange 2013 to SE serve it (the "2010" generation of the demo):
// logon.aspx, POST /owa/auth.owa, the five cadata cookies, service.svc, ping.owa, logoff.owa.
// owaRoute() is shared with the "2016" generation (owa-2016.ts), which changes what a profile says.
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { ExchangeContext, Route } from './context';
import { checkLogonPost, humanTimeout, logoff, requireSession, timeoutsNote, type FbaFlavor } from './fba';
import type { Generation } from './types';
import { header, redirect, send, sendError, sendHtml, setCookie, type DemoRequest } from './http';
import { inboxOf, unreadCount } from './mailbox-data';
import { browserScript, pageFile, renderPage } from './pages';
import type { Session } from './sessions';

export const OWA_VERSION = '15.1.2507.6';
export const VERSION_PATH = '15.1.2507';

export const LOGON_PATH = '/owa/auth/logon.aspx';

/** 2013+ messages for the logon page's reason codes (see owa-fba.md). */
const REASON_MESSAGES: Record<string, string> = {
  '1': 'You have successfully signed out.',
  '2': "The user name or password you entered isn't correct. Try entering it again.",
  '3': 'Your session has timed out. To continue, sign in again.',
  '4': 'You signed out after your password was changed. Sign in with your new password.',
};

export const flavor2010: FbaFlavor = {
  cookies: {
    session: 'cadata',
    tokens: ['cadataKey', 'cadataIV', 'cadataSig'],
    present: ['cadata', 'cadataKey', 'cadataIV', 'cadataSig', 'cadataTTL'],
    cleared: ['cadata', 'cadataKey', 'cadataIV', 'cadataSig', 'cadataTTL', 'X-OWA-CANARY', 'UC', 'PrivateComputer'],
  },
  home: '/owa/',
  // 2013+ reads only these four; browsers also send forcedownlevel, passwordText and isUtf8.
  requiredFields: ['destination', 'flags', 'username', 'password'],
  timeoutReason: 3,
  logonUrl: (req, returnTo, reason) => `${req.selfOrigin}${LOGON_PATH}?url=${encodeURIComponent(returnTo)}&reason=${reason}`,
  // cadataTTL carries the (encrypted) expiry, so a re-issued session sends a new one.
  renewalCookies: () => [setCookie('cadataTTL', opaque(), { httpOnly: true })],
};

/** What tells the 2013+-style generations apart. */
export interface OwaProfile {
  generation: Extract<Generation, '2010' | '2016'>;
  flavor: FbaFlavor;
  /** The logon page under pages/. */
  logonPage: string;
  /** Routes only this generation has, tried after the session check. */
  sessionRoutes?: (ctx: ExchangeContext, req: DemoRequest, res: ServerResponse, session: Session) => boolean;
  /** The mailbox page's long-poll hold in ms; '' when it has none. */
  notifyMs(ctx: ExchangeContext): string;
}

/** The routes of a 2013+-style OWA: logon, auth.owa, logoff, static files, the mailbox and its services. */
export function owaRoute(profile: OwaProfile): Route {
  const { flavor } = profile;
  return (ctx, req, res) => {
    const path = req.url.pathname.toLowerCase();
    if (path === '/') {
      redirect(res, `${req.selfOrigin}/owa/`);
      return true;
    }
    if (path === LOGON_PATH) return logonPage(ctx, profile, req, res);
    if (path === `/owa/auth/${VERSION_PATH}/scripts/premium/flogon.js`) return script(res, 'owa-2010-flogon.js');
    if (path === '/owa/auth.owa') return logonPost(ctx, flavor, req, res);
    if (path === '/owa/logoff.owa' || path === '/owa/auth/logoff.aspx') return logoff(ctx, flavor, req, res);
    if (path === `/owa/${VERSION_PATH}/scripts/mailbox-2010.js`) return script(res, 'mailbox-2010.js');
    if (path === `/owa/${VERSION_PATH}/scripts/activesync-client.js`) {
      send(res, 200, browserScript('activesync-client.js'), 'application/javascript; charset=utf-8', { 'Cache-Control': 'no-cache' });
      return true;
    }
    if (path === `/owa/${VERSION_PATH}/resources/mailbox.css`) {
      send(res, 200, pageFile('mailbox.css'), 'text/css; charset=utf-8');
      return true;
    }
    if (path !== '/owa' && !path.startsWith('/owa/')) return false;

    const session = requireSession(ctx, flavor, req, res);
    if (!session) return true;
    if (path === '/owa' || path === '/owa/') return mailboxPage(ctx, profile, req, res, session);
    if (path === '/owa/ping.owa') {
      send(res, 200, '', 'text/plain; charset=utf-8');
      return true;
    }
    if (path === '/owa/service.svc') return service(req, res, session);
    if (path === ACTIVESYNC_CLIENT_PATH && ctx.activesync) return activeSyncClientPage(req, res, session);
    if (profile.sessionRoutes?.(ctx, req, res, session)) return true;
    sendError(res, 404);
    return true;
  };
}

/** The demo's web ActiveSync client (a page of the mailbox, so it needs a session). */
export const ACTIVESYNC_CLIENT_PATH = '/owa/activesync-client.aspx';

export const owa2010: Route = owaRoute({ generation: '2010', flavor: flavor2010, logonPage: 'owa-2010-logon.html', notifyMs: () => '' });

function script(res: ServerResponse, name: string): true {
  send(res, 200, pageFile(name), 'application/javascript; charset=utf-8', { 'Cache-Control': 'no-cache' });
  return true;
}

function logonPage(ctx: ExchangeContext, profile: OwaProfile, req: DemoRequest, res: ServerResponse): true {
  const reason = req.url.searchParams.get('reason') ?? '0';
  const destination = req.url.searchParams.get('url') || `${req.selfOrigin}/owa/`;
  sendHtml(
    res,
    renderPage(profile.logonPage, {
      version: VERSION_PATH,
      destination,
      reasonMessage: REASON_MESSAGES[reason] ?? '',
      timeouts: timeoutsNote(ctx, '15 min, 8 h'),
    }),
  );
  return true;
}

function logonPost(ctx: ExchangeContext, flavor: FbaFlavor, req: DemoRequest, res: ServerResponse): true {
  const attempt = checkLogonPost(ctx, flavor, req, res);
  if (!attempt) return true;
  const isPrivate = ((Number.parseInt(attempt.form.get('flags') ?? '0', 10) || 0) & 4) !== 0;
  const session = ctx.sessions.issue(attempt.user, isPrivate, flavor.cookies.tokens);
  redirect(res, attempt.destination.href, { 'Set-Cookie': sessionCookies(session) });
  return true;
}

export function sessionCookies(session: Session): string[] {
  const cookies = [
    setCookie('cadata', session.id, { httpOnly: true }),
    ...Object.entries(session.tokens).map(([name, value]) => setCookie(name, value, { httpOnly: true })),
    setCookie('cadataTTL', opaque(), { httpOnly: true }),
    // The canary is read by OWA's own scripts, so it is the one auth cookie that is not HttpOnly.
    setCookie('X-OWA-CANARY', session.canary),
    setCookie('UC', randomBytes(16).toString('hex'), { httpOnly: true }),
  ];
  if (session.private) cookies.push(setCookie('PrivateComputer', 'true'));
  return cookies;
}

function mailboxPage(ctx: ExchangeContext, profile: OwaProfile, req: DemoRequest, res: ServerResponse, session: Session): true {
  const seconds = session.private ? ctx.privateTimeoutSeconds : ctx.publicTimeoutSeconds;
  sendHtml(
    res,
    renderPage('owa-2010-mailbox.html', {
      version: VERSION_PATH,
      user: session.user,
      computer: session.private ? 'private' : 'public or shared',
      timeout: humanTimeout(seconds),
      mailboxUrl: `${req.selfOrigin}/owa/`,
      notifyMs: profile.notifyMs(ctx),
      activesync: ctx.activesync ? 'on' : '',
    }),
  );
  return true;
}

function activeSyncClientPage(req: DemoRequest, res: ServerResponse, session: Session): true {
  sendHtml(res, renderPage('activesync-client.html', { version: VERSION_PATH, user: session.user, mailboxUrl: `${req.selfOrigin}/owa/` }));
  return true;
}

/** A sliver of OWA's JSON service: enough actions for the fake mailbox page. */
function service(req: DemoRequest, res: ServerResponse, session: Session): true {
  if (req.method !== 'POST') {
    sendError(res, 405, { Allow: 'POST' });
    return true;
  }
  // OWA refuses a service call without the session's canary (its CSRF check) with 449.
  if (header(req, 'x-owa-canary') !== session.canary) {
    send(res, 449, '', 'text/plain; charset=utf-8', {
      'X-OWA-Error': 'Microsoft.Exchange.Clients.Owa2.Server.Core.OwaInvalidCanary14Exception',
    });
    return true;
  }
  const action = req.url.searchParams.get('action') ?? header(req, 'action') ?? '';
  const messages = inboxOf(session.user);
  let item: Record<string, unknown>;
  switch (action) {
    case 'GetFolder':
      item = {
        Folders: [{ __type: 'Folder:#Exchange', FolderId: { Id: 'inbox' }, DisplayName: 'Inbox', TotalCount: messages.length, UnreadCount: unreadCount(messages) }],
      };
      break;
    case 'FindItem':
      item = {
        RootFolder: {
          TotalItemsInView: messages.length,
          Items: messages.map((m) => ({ __type: 'Message:#Exchange', ItemId: { Id: m.id }, Subject: m.subject, IsRead: m.read, From: { Mailbox: { Name: m.from } } })),
        },
      };
      break;
    case 'CreateItem':
      item = { Items: [{ __type: 'Message:#Exchange', ItemId: { Id: opaque() } }] };
      break;
    default:
      sendError(res, 400);
      return true;
  }
  const body = {
    Header: { ServerVersionInfo: { MajorVersion: 15, MinorVersion: 1, MajorBuildNumber: 2507, MinorBuildNumber: 6 } },
    Body: { ResponseMessages: { Items: [{ __type: `${action}ResponseMessage:#Exchange`, ResponseClass: 'Success', ResponseCode: 'NoError', ...item }] } },
  };
  send(res, 200, JSON.stringify(body), 'application/json; charset=utf-8', { 'Cache-Control': 'private' });
  return true;
}

export function opaque(): string {
  return randomBytes(32).toString('base64').replace(/=+$/, '');
}
