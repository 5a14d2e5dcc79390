// Where pages find the extension API: the browser's own, promise-based one (`browser` in Firefox,
// `chrome` in Chrome's MV3), not webextension-polyfill. Pages only send messages, open ports and
// call APIs that return promises in both browsers; the polyfill is for the background and the
// content script, whose runtime.onMessage listeners answer with a promise (Chrome's own API wants
// sendResponse instead). Keeping it out of the pages keeps the popup small and quick to open.

/** The extension API, or undefined outside an extension page (unit tests in Node). */
export function browserApi(): typeof chrome | undefined {
  const g = globalThis as { browser?: typeof chrome; chrome?: typeof chrome };
  return g.browser ?? g.chrome;
}
