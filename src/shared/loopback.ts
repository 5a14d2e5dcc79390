// Which hosts are this machine: the one rule for where a password may go over plain HTTP, for
// OWA's forms logon (src/owa/origin.ts) and ActiveSync's Basic auth (src/activesync/request.ts).

/**
 * localhost and its subdomains (RFC 6761: browsers resolve them to loopback and never ask DNS),
 * 127.0.0.0/8 and ::1, with or without the brackets of a URL's hostname.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
