// Servers where OWA forms logon is not available, imitated up to their sign-in page so the
// extension can be shown to recognise them and to keep passwords away from them:
// AD FS claims sign-in, hybrid modern authentication through Entra ID, ISA/TMG publishing.
import type { ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ExchangeContext, Route } from './context';
import { formOf, redirect, sendError, sendHtml, setCookie, type DemoRequest } from './http';
import { renderPage } from './pages';

/** A made-up tenant: Entra redirects point at it and are never followed by the tests. */
const ENTRA_TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
/** The well-known application id of Exchange Online / OWA. */
const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export const adfs: Route = (ctx, req, res) => {
  const path = req.url.pathname.toLowerCase();
  if (path === '/adfs/ls/' || path === '/adfs/ls') {
    if (req.method === 'POST') {
      const form = formOf(req);
      const user = form && ctx.accounts.verify(form.get('UserName') ?? '', form.get('Password') ?? '');
      if (user) sendHtml(res, renderPage('not-imitated.html', { what: 'AD FS sign-in' }));
      else adfsPage(req, res, 'Incorrect user ID or password. Type the correct user ID and password, and try again.');
    } else {
      adfsPage(req, res, '');
    }
    return true;
  }
  // Everything else: with AD FS claims authentication OWA has no forms logon of its own, so
  // every unauthenticated request, auth.owa included, is sent to the federation server.
  const ru = req.rawUrl === '/' ? '/owa/' : req.rawUrl;
  const query = new URLSearchParams({
    wa: 'wsignin1.0',
    wtrealm: `${req.selfOrigin}/owa/`,
    wctx: `rm=0&id=passive&ru=${encodeURIComponent(ru)}`,
    wct: new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  redirect(res, `${req.selfOrigin}/adfs/ls/?${query}`, {
    'Set-Cookie': [setCookie('TimeWindow', `${ctx.now()}`, { httpOnly: true })],
  });
  return true;
};

function adfsPage(req: DemoRequest, res: ServerResponse, error: string): void {
  sendHtml(res, renderPage('adfs-signin.html', { query: req.url.search.replace(/^\?/, ''), error }));
}

export const entra: Route = (_ctx, req, res) => {
  const nonce = randomBytes(24).toString('base64url');
  const query = new URLSearchParams({
    client_id: EXCHANGE_APP_ID,
    redirect_uri: `${req.selfOrigin}/owa/`,
    resource: EXCHANGE_APP_ID,
    response_mode: 'form_post',
    response_type: 'code id_token',
    scope: 'openid',
    nonce,
    state: Buffer.from(JSON.stringify({ ru: req.rawUrl })).toString('base64url'),
  });
  redirect(res, `https://login.microsoftonline.com/${ENTRA_TENANT}/oauth2/authorize?${query}`, {
    'Set-Cookie': [setCookie(`OpenIdConnect.nonce.${randomUUID().replace(/-/g, '')}`, nonce, { httpOnly: true })],
  });
  return true;
};

/** TMG's URL encoding for curl: every character but letters and digits as Z + two hex digits ('/' → Z2F, 'Z' → Z5A). */
export function tmgEncode(path: string): string {
  return path.replace(/[^A-Ya-z0-9]/g, (c) => `Z${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const TMG_FORMDIR = '3';

export const tmg: Route = (ctx, req, res) => {
  const path = req.url.pathname.toLowerCase();
  const home = ctx.generation === '2003' ? '/exchange' : '/owa';
  if (path === '/cookieauth.dll') {
    // TMG's own URLs are not valid query strings: '/CookieAuth.dll?GetLogon?curl=Z2Fowa&reason=0&formdir=3'.
    const [, verb = '', rest = ''] = /^[^?]*\?([^?&]*)\??(.*)$/.exec(req.rawUrl) ?? [];
    const params = new URLSearchParams(rest);
    if (verb.toLowerCase() === 'getlogon' && req.method === 'GET') {
      sendHtml(
        res,
        renderPage('tmg-logon.html', {
          curl: params.get('curl') ?? tmgEncode(home),
          formdir: params.get('formdir') ?? TMG_FORMDIR,
          reasonMessage: params.get('reason') === '2' ? 'You could not be logged on. Make sure your domain\\user name and password are correct, and then try again.' : '',
        }),
      );
      return true;
    }
    if (verb.toLowerCase() === 'logon' && req.method === 'POST') {
      const form = formOf(req);
      if (!form || !form.has('username') || !form.has('password')) {
        sendError(res, 400);
        return true;
      }
      const user = ctx.accounts.verify(form.get('username') ?? '', form.get('password') ?? '');
      if (user) sendHtml(res, renderPage('not-imitated.html', { what: 'ISA/TMG publishing' }));
      else redirect(res, getLogonUrl(req, form.get('curl') ?? tmgEncode(home), 2));
      return true;
    }
    sendError(res, 400);
    return true;
  }
  const target = req.url.pathname === '/' ? home : req.url.pathname.replace(/\/+$/, '');
  redirect(res, getLogonUrl(req, tmgEncode(target), 0));
  return true;
};

function getLogonUrl(req: DemoRequest, curl: string, reason: number): string {
  return `${req.selfOrigin}/CookieAuth.dll?GetLogon?curl=${curl}&reason=${reason}&formdir=${TMG_FORMDIR}`;
}

/** The route of a non-forms mode; it answers every request that is not ActiveSync or a demo control. */
export function nonFormsRoute(ctx: ExchangeContext): Route {
  switch (ctx.fbaMode) {
    case 'adfs':
      return adfs;
    case 'entra':
      return entra;
    case 'tmg':
      return tmg;
    case 'forms':
      throw new Error('forms mode has no non-forms route');
  }
}
