// OWA forms logon as Exchange 2003 serves it: owalogon.asp, POST owaauth.dll, the sessionid and
// cadata cookies, and a WebDAV mailbox under /exchange/<user>/.
import type { ServerResponse } from 'node:http';
import type { ExchangeContext, Route } from './context';
import { checkLogonPost, humanTimeout, logoff, requireSession, timeoutsNote, type FbaFlavor } from './fba';
import { escapeHtml, formOf, redirect, send, sendError, sendHtml, setCookie, type DemoRequest } from './http';
import { inboxOf } from './mailbox-data';
import { pageFile, renderPage } from './pages';
import type { Session } from './sessions';

const OWA_2003_VERSION = '6.5.7638.1';
const LOGON_PATH = '/exchweb/bin/auth/owalogon.asp';
const CONTROLS = `/exchweb/${OWA_2003_VERSION}/controls/`.toLowerCase();

const REASON_MESSAGES: Record<string, string> = {
  '1': 'You have logged off Outlook Web Access.',
  '2': 'You could not be logged on to Outlook Web Access. Make sure your domain\\user name and password are correct, and then try again.',
};

export const flavor2003: FbaFlavor = {
  cookies: {
    session: 'sessionid',
    tokens: ['cadata'],
    present: ['sessionid', 'cadata'],
    cleared: ['sessionid', 'cadata'],
  },
  home: '/exchange/',
  requiredFields: ['destination', 'username', 'password'],
  // Exchange 2003 sent a timed-out navigation back with reason=0, not 3.
  timeoutReason: 0,
  logonUrl: (req, returnTo, reason) => `${req.selfOrigin}${LOGON_PATH}?url=${encodeURIComponent(returnTo)}&reason=${reason}`,
  // 2003 kept the expiry on the server only: a renewal sends no cookie.
  renewalCookies: () => [],
};

export const owa2003: Route = (ctx, req, res) => {
  const path = req.url.pathname.toLowerCase();
  if (path === '/') {
    redirect(res, `${req.selfOrigin}/exchange/`);
    return true;
  }
  if (path === LOGON_PATH) return logonPage(ctx, req, res);
  if (path === '/exchweb/bin/auth/owaauth.dll') return logonPost(ctx, req, res);
  if (path === '/exchweb/bin/auth/owalogoff.asp') return logoff(ctx, flavor2003, req, res);
  if (path.startsWith(CONTROLS)) return control(res, path.slice(CONTROLS.length));
  if (path !== '/exchange' && !path.startsWith('/exchange/')) return false;

  const session = requireSession(ctx, flavor2003, req, res);
  if (!session) return true;
  mailbox(ctx, req, res, session);
  return true;
};

const CONTROL_FILES: Record<string, [string, string]> = {
  'flogon.js': ['owa-2003-flogon.js', 'application/x-javascript'],
  'mailbox-2003.js': ['mailbox-2003.js', 'application/x-javascript'],
  'mailbox.css': ['mailbox.css', 'text/css'],
};

function control(res: ServerResponse, name: string): true {
  const file = CONTROL_FILES[name];
  if (file) send(res, 200, pageFile(file[0]), file[1]);
  else sendError(res, 404);
  return true;
}

function logonPage(ctx: ExchangeContext, req: DemoRequest, res: ServerResponse): true {
  const reason = req.url.searchParams.get('reason') ?? '0';
  sendHtml(
    res,
    renderPage('owa-2003-logon.html', {
      version: OWA_2003_VERSION,
      destination: req.url.searchParams.get('url') || `${req.selfOrigin}/exchange/`,
      reasonMessage: REASON_MESSAGES[reason] ?? '',
      timeouts: timeoutsNote(ctx, '15 min, 24 h'),
    }),
  );
  return true;
}

function logonPost(ctx: ExchangeContext, req: DemoRequest, res: ServerResponse): true {
  const attempt = checkLogonPost(ctx, flavor2003, req, res);
  if (!attempt) return true;
  // 2003 reads `trusted`; the page also mirrors it into flags bit 4, which later versions read.
  const flags = Number.parseInt(attempt.form.get('flags') ?? '0', 10) || 0;
  const isPrivate = attempt.form.get('trusted') === '4' || (flags & 4) !== 0;
  const session = ctx.sessions.issue(attempt.user, isPrivate, flavor2003.cookies.tokens);
  redirect(res, attempt.destination.href, {
    'Set-Cookie': [setCookie('sessionid', session.id, { httpOnly: true }), setCookie('cadata', `"${session.tokens.cadata ?? ''}"`, { httpOnly: true })],
  });
  return true;
}

function mailbox(ctx: ExchangeContext, req: DemoRequest, res: ServerResponse, session: Session): void {
  const path = req.url.pathname.toLowerCase().replace(/\/+$/, '');
  const home = `/exchange/${session.user}`;
  if ((path === '/exchange' || path === home) && (req.method === 'GET' || req.method === 'HEAD')) {
    const seconds = session.private ? ctx.privateTimeoutSeconds : ctx.publicTimeoutSeconds;
    sendHtml(
      res,
      renderPage('owa-2003-mailbox.html', {
        version: OWA_2003_VERSION,
        user: session.user,
        folderUrl: `${req.selfOrigin}${home}/Inbox/`,
        computer: session.private ? 'private' : 'public or shared',
        timeout: humanTimeout(seconds),
        mailboxUrl: `${req.selfOrigin}/exchange/`,
      }),
    );
    return;
  }
  if (path !== home && !path.startsWith(`${home}/`)) {
    sendError(res, 403);
    return;
  }
  if (path === `${home}/inbox` && (req.method === 'SEARCH' || req.method === 'PROPFIND')) {
    send(res, 207, multistatus(req, session), 'text/xml');
    return;
  }
  if (path === `${home}/drafts` && req.method === 'POST' && formOf(req)?.get('Cmd') === 'send') {
    sendHtml(res, '<html><body>Message sent.</body></html>');
    return;
  }
  sendError(res, req.method === 'GET' ? 404 : 405);
}

/** A WebDAV SEARCH answer with the httpmail properties OWA 2003 asked for. */
function multistatus(req: DemoRequest, session: Session): string {
  const base = `${req.selfOrigin}/exchange/${session.user}/Inbox/`;
  const responses = inboxOf(session.user)
    .map(
      (m) =>
        `<a:response><a:href>${escapeHtml(base + m.id)}.EML</a:href><a:propstat><a:status>HTTP/1.1 200 OK</a:status><a:prop>` +
        `<d:subject>${escapeHtml(m.subject)}</d:subject><d:fromname>${escapeHtml(m.from)}</d:fromname><d:read b:dt="boolean">${m.read ? 1 : 0}</d:read>` +
        `</a:prop></a:propstat></a:response>`,
    )
    .join('');
  return `<?xml version="1.0"?><a:multistatus xmlns:b="urn:uuid:c2f41010-65b3-11d1-a29f-00aa00c14882/" xmlns:d="urn:schemas:httpmail:" xmlns:a="DAV:">${responses}</a:multistatus>`;
}
