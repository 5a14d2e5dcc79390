// Which HTTP requests of a capture are ActiveSync: the path, whatever the host or query.

const EAS_PATH = '/microsoft-server-activesync';

/**
 * Whether a URL or a path (with or without query) names the ActiveSync endpoint, including
 * `/Microsoft-Server-ActiveSync/default.eas` and the SOGo-style `/SOGo/Microsoft-Server-ActiveSync`.
 */
export function isActiveSyncTarget(urlOrPath: string): boolean {
  let path = urlOrPath;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  path = path.split(/[?#]/, 1)[0]!.toLowerCase().replace(/\/+$/, '');
  const at = path.indexOf(EAS_PATH);
  if (at < 0) return false;
  const after = path.slice(at + EAS_PATH.length);
  return after === '' || after.startsWith('/');
}

/** An absolute URL from a request target and the Host header (Fiddler and mailbox logs give paths). */
export function absoluteUrl(target: string, host: string | undefined, scheme = 'https'): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  if (host === undefined || host === '') return target;
  return `${scheme}://${host}${target.startsWith('/') ? '' : '/'}${target}`;
}
