// The "2016" generation: OWA as Exchange 2013 SP1 to SE serve it by default, where that differs
// from the demo's "2010" generation (see owa-fba.md beside this repository):
// - the default logon page: no public/private choice, a hidden flags=4 (a private session);
// - Exchange's own user-activity rule: UA=0 in the query, X-UserActivity: 0, ping.owa,
//   keepalive.owa and static files never renew the session;
// - the notification long-poll the mailbox keeps open all the time,
//   GET /owa/ev.owa2?ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=…, held for tens of
//   seconds (a plain GET: after the session ended it is redirected to logon.aspx with reason=3);
// - a renewal re-sets the cadata cookies (a new cadataTTL), and a time-out or sign-out also clears
//   the routing cookies X-DFPOWA-Vdir, TargetServer and ExchClientVer the request carried.
import type { ServerResponse } from 'node:http';
import type { ExchangeContext, Route } from './context';
import { isUserActivity2013, type FbaFlavor } from './fba';
import { send, setCookie, type DemoRequest } from './http';
import { flavor2010, opaque, owaRoute } from './owa-2010';
import type { Session } from './sessions';

export const flavor2016: FbaFlavor = {
  ...flavor2010,
  cookies: {
    ...flavor2010.cookies,
    clearedIfSent: ['X-DFPOWA-Vdir', 'TargetServer', 'ExchClientVer'],
  },
  isUserActivity: isUserActivity2013,
  // 2013+ issues the whole cadata set again with the new (encrypted) expiry in cadataTTL.
  renewalCookies: (session) => [
    setCookie('cadata', session.id, { httpOnly: true }),
    ...Object.entries(session.tokens).map(([name, value]) => setCookie(name, value, { httpOnly: true })),
    setCookie('cadataTTL', opaque(), { httpOnly: true }),
  ],
};

export const owa2016: Route = owaRoute({
  generation: '2016',
  flavor: flavor2016,
  logonPage: 'owa-2016-logon.html',
  notifyMs: (ctx) => String(ctx.notificationHoldMs),
  sessionRoutes: (ctx, req, res, session) => {
    const path = req.url.pathname.toLowerCase();
    if (path === '/owa/keepalive.owa') {
      send(res, 200, '', 'text/plain; charset=utf-8');
      return true;
    }
    if (path === '/owa/ev.owa2') return pendingNotification(ctx, req, res, session);
    return false;
  },
});

/**
 * The PendingRequest long-poll: the answer starts at once (OWA streams it) and ends after the hold,
 * or at once for any other ev.owa2 call. Several tabs each hold one; none blocks another.
 */
function pendingNotification(ctx: ExchangeContext, req: DemoRequest, res: ServerResponse, session: Session): true {
  const isPending = req.url.searchParams.get('ns') === 'PendingRequest' && req.url.searchParams.get('ev') === 'PendingNotificationRequest';
  if (!isPending) {
    send(res, 200, '{}', 'application/json; charset=utf-8');
    return true;
  }
  res.writeHead(200, 'OK', { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'Transfer-Encoding': 'chunked' });
  res.write(`<script>/* demo Exchange: pending notifications for ${session.user} */</script>\n`);
  const timer = setTimeout(() => {
    res.end('<script>/* demo Exchange: no notification; ask again */</script>\n');
  }, ctx.notificationHoldMs);
  timer.unref();
  res.on('close', () => clearTimeout(timer));
  return true;
}
