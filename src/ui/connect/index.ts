// The only place the extension's pages talk to the background (and to the permissions API,
// which must be called from a page, in the user's click), with the browser's own API
// (browser-api.ts says why not the polyfill).
import { isBackgroundStarted, type BgResponse, type UiMessage } from '../../messages/protocol';
import { browserApi } from './browser-api';
import { createConnector, type Connector } from './connector';

export type { Connector } from './connector';

// Pages importing this module run as extension pages, where the API is always there.
const api = browserApi()!;

export function send(message: UiMessage): Promise<BgResponse> {
  return api.runtime.sendMessage(message) as Promise<BgResponse>;
}

export const connector: Connector = createConnector({
  send,
  requestOrigins: (origins) => api.permissions.request({ origins }),
  requestPermissions: (permissions) => api.permissions.request({ permissions: permissions as chrome.runtime.ManifestPermission[] }),
  connect: (name) => api.runtime.connect({ name }),
  // activeTab: opening the popup over a tab lets it read that one tab's URL, without the `tabs` permission.
  async activeTabUrl() {
    const [tab] = await api.tabs.query({ active: true, currentWindow: true });
    return tab?.url ?? null;
  },
  onBackgroundStarted(listener) {
    // Returns nothing: this page never answers messages, the background does.
    api.runtime.onMessage.addListener((message: unknown, sender: chrome.runtime.MessageSender) => {
      if (sender.id === api.runtime.id && isBackgroundStarted(message)) listener();
    });
  },
});

/** The options page (for links from the popup). */
export function openOptions(): void {
  void api.runtime.openOptionsPage();
}
