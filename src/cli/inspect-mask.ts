// What `inspect` hides unless --show-credentials: captures hold passwords (Basic auth), session
// cookies and device passwords (Settings' <Password>). Only the user name of Basic auth is shown.
import { basicUser } from '../captures/facts.js';
import type { CaptureHeader } from '../captures/index.js';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization']);

function maskCookies(value: string, setCookie: boolean): string {
  if (setCookie) {
    // name=value; Path=/; HttpOnly — only the first pair is the cookie.
    const [pair = '', ...attributes] = value.split(';');
    const name = pair.split('=', 1)[0]!.trim();
    return [`${name}=(hidden)`, ...attributes.map((a) => a.trim())].join('; ');
  }
  return value
    .split(';')
    .map((pair) => `${pair.split('=', 1)[0]!.trim()}=(hidden)`)
    .join('; ');
}

export function maskHeader(header: CaptureHeader): CaptureHeader {
  const name = header.name.toLowerCase();
  if (SECRET_HEADERS.has(name)) {
    const user = basicUser(header.value);
    const scheme = header.value.trim().split(/\s+/, 1)[0] ?? '';
    return { name: header.name, value: user !== undefined ? `Basic (user ${user}, password hidden)` : `${scheme} (hidden, ${header.value.length} characters)` };
  }
  if (name === 'cookie' || name === 'set-cookie') return { name: header.name, value: maskCookies(header.value, name === 'set-cookie') };
  return header;
}

/** A URL without the password of `user:password@host`. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, '$1:(hidden)@');
}

/** XML with the content of every Password element (Settings:DevicePassword, …) hidden. */
export function maskXml(xml: string): string {
  return xml.replace(/(<((?:[\w.-]+:)?Password)(?:\s[^>]*)?>)[^<]*(<\/\2>)/g, '$1(hidden)$3');
}
