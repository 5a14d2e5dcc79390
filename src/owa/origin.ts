// Origins as the extension keys them: scheme://host[:port], lower case, no path.
// Credentials may only travel over HTTPS; plain HTTP is allowed for loopback hosts so the
// end-to-end tests can run against a server on 127.0.0.1.
import { isLoopbackHost } from '../shared/loopback';

export function normalizeOrigin(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  return url.origin;
}

/**
 * The origin of what a person typed: a host ("mail.example.com", taken as https), an origin, or
 * a whole URL ("https://mail.example.com/owa/", "…/Microsoft-Server-ActiveSync"); null for
 * anything else.
 */
export function originFromInput(input: string): string | null {
  const trimmed = input.trim();
  return normalizeOrigin(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
}

export function originOf(url: string): string | null {
  return normalizeOrigin(url);
}

/** True when a password may be sent to this URL: HTTPS, or HTTP to a loopback host. */
export function isSafeForCredentials(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

/** The match pattern that asks for host access to exactly this origin. */
export function hostPermissionPattern(origin: string): string {
  const url = new URL(origin);
  // Match patterns have no port: access to a host covers all its ports.
  return `${url.protocol}//${url.hostname}/*`;
}

export function sameOrigin(a: string, b: string): boolean {
  const oa = originOf(a);
  return oa !== null && oa === originOf(b);
}
