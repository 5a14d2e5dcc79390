// The only place the extension's pages talk to the background (and to the permissions API,
// which must be called from a page, in the user's click).
import browser from 'webextension-polyfill';
import type { BgResponse, UiMessage } from '../../messages/protocol';
import { createConnector, type Connector } from './connector';

export type { Connector } from './connector';

export function send(message: UiMessage): Promise<BgResponse> {
  return browser.runtime.sendMessage(message) as Promise<BgResponse>;
}

export const connector: Connector = createConnector({
  send,
  requestOrigins: (origins) => browser.permissions.request({ origins }),
  requestPermissions: (permissions) => browser.permissions.request({ permissions: permissions as browser.Manifest.OptionalPermission[] }),
  connect: (name) => browser.runtime.connect({ name }),
});
