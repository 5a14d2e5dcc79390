// The background service worker (Chrome) / event page (Firefox).
// Every listener is registered synchronously at top level so a restarted worker hears the
// event that woke it; state lives in storage, never only in memory.
import browser from 'webextension-polyfill';
import { isUiMessage, type BgResponse } from '../messages/protocol';

browser.runtime.onMessage.addListener((message: unknown): Promise<BgResponse> | undefined => {
  if (!isUiMessage(message)) return undefined;
  switch (message.type) {
    case 'ui-bg-ping':
      return Promise.resolve({ type: 'bg-ui-pong', version: browser.runtime.getManifest().version });
  }
});
