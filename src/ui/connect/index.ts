// The only place the extension's pages talk to the background.
import browser from 'webextension-polyfill';
import type { BgResponse, UiMessage } from '../../messages/protocol';

export function send(message: UiMessage): Promise<BgResponse> {
  return browser.runtime.sendMessage(message) as Promise<BgResponse>;
}
