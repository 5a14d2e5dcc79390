// declarativeNetRequest URL filters, built here without the browser so they are unit-tested.

/**
 * The URL filter matching exactly this URL (without its fragment): anchored at both ends, so a
 * rule cannot touch `…/auth.owa.evil`, `…/auth.owa/x` or another host that merely starts the
 * same way. The filter's own special characters cannot be written literally: where the URL has
 * one (no real logon action does), a `*` stands for it, which also matches its escaped form.
 */
export function anchoredUrlFilter(url: string): string {
  const target = new URL(url);
  const escaped = `${target.origin}${target.pathname}${target.search}`.replace(/[*^|]/g, '*');
  return `|${escaped}|`;
}
