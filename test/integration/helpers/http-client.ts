// A tiny browser stand-in for driving the demo Exchange with fetch: a cookie jar that honours
// 1970 expiries, manual redirects, and form reading from HTML (attribute values decoded as the
// extension decodes them).
import { decodeEntities } from '../../../src/owa/html-tags';

export class CookieJar {
  readonly cookies = new Map<string, string>();

  /** Takes the Set-Cookie headers of a response, as a browser would. */
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expires = attributes.find((a) => a.trim().toLowerCase().startsWith('expires='));
      if (expires && Date.parse(expires.split('=')[1] ?? '') < Date.now()) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface Client {
  jar: CookieJar;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: string | URLSearchParams, headers?: Record<string, string>): Promise<Response>;
  request(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<Response>;
}

export function client(origin: string): Client {
  const jar = new CookieJar();
  async function request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
    const cookie = jar.header();
    const response = await fetch(new URL(path, origin), {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    jar.take(response);
    return response;
  }
  return {
    jar,
    request,
    get: (path, headers) => request('GET', path, headers ? { headers } : {}),
    post: (path, body, headers = {}) =>
      request('POST', path, {
        body: body.toString(),
        headers: typeof body === 'string' ? headers : { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
  };
}

export interface HtmlForm {
  action: string;
  method: string;
  /** name -> value of every input a browser would send as is (hidden and text ones, checked radios). */
  fields: Map<string, string>;
  /** Every input's name -> type, radios included. */
  inputs: Map<string, string>;
}

/** Reads the first <form> of a page the way robust clients do: keep every hidden input. */
export function readForm(html: string): HtmlForm {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error('no <form> in page');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag)?.[1];
  const fields = new Map<string, string>();
  const inputs = new Map<string, string>();
  for (const [tag] of (form[2] ?? '').matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(tag, 'name');
    if (!name) continue;
    const type = (attr(tag, 'type') ?? 'text').toLowerCase();
    inputs.set(name, type);
    if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/i.test(tag)) continue;
    if (type === 'submit') continue;
    fields.set(name, decodeEntities(attr(tag, 'value') ?? ''));
  }
  return { action: decodeEntities(attr(form[1] ?? '', 'action') ?? ''), method: (attr(form[1] ?? '', 'method') ?? 'GET').toUpperCase(), fields, inputs };
}
