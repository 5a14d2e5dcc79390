// Granting a host permission the way a user does, in headless Chromium, which shows permission
// prompts to nobody: Chromium's own extension settings (chrome://extensions, site access, which
// its developerPrivate API drives) grant the site, then a click on a button of the extension's
// page asks for it with permissions.request(), which then resolves at once without a prompt.
import type { ExtensionBrowser } from '../harness/chromium';
import { hostPermissionPattern } from '../../../src/owa/origin';
import { waitFor, type Control } from './owa-extension';

interface DeveloperPrivate {
  addHostPermission(extensionId: string, host: string, done: () => void): void;
}

/**
 * The user's answer "Allow" to a prompt nobody sees: Chromium's own site-access setting grants
 * the host (permissions.onAdded fires in the extension as after a prompt).
 */
export async function grantInSettings(ext: ExtensionBrowser, pattern: string): Promise<void> {
  const settings = await ext.browser.newPage();
  try {
    await settings.goto('chrome://extensions');
    const error = await settings.evaluate(
      (id, host) =>
        new Promise<string | null>((resolve) => {
          const api = chrome as unknown as { developerPrivate: DeveloperPrivate; runtime: { lastError?: { message?: string } } };
          api.developerPrivate.addHostPermission(id, host, () => resolve(api.runtime.lastError?.message ?? null));
        }),
      ext.extensionId,
      pattern,
    );
    if (error) throw new Error(`chrome://extensions refused site access to ${pattern}: ${error}`);
  } finally {
    await settings.close();
  }
}

export async function grantHostLikeAUser(ext: ExtensionBrowser, pattern: string): Promise<void> {
  await grantInSettings(ext, pattern);
  const page = await ext.browser.newPage();
  try {
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    // A button of the extension's own page: permissions.request() needs the user's click.
    await page.evaluate((host) => {
      const button = document.createElement('button');
      button.id = 'grant-for-test';
      button.textContent = `Allow ${host}`;
      button.style.cssText = 'position:fixed;top:0;left:0;z-index:2147483647;width:200px;height:40px';
      button.onclick = () => {
        chrome.permissions.request({ origins: [host] }).then(
          (granted) => (button.dataset.result = String(granted)),
          (e: Error) => (button.dataset.result = `error: ${e.message}`),
        );
      };
      document.body.append(button);
    }, pattern);
    await page.click('#grant-for-test');
    const result = await waitFor(() => page.$eval('#grant-for-test', (b) => (b as HTMLElement).dataset.result), `the permission request for ${pattern}`);
    if (result !== 'true') throw new Error(`permissions.request(${pattern}) gave ${result}`);
  } finally {
    await page.close();
  }
}

/** `grantHostLikeAUser` for the host of `origin` (every port: match patterns have none). */
export function grantOriginLikeAUser(ext: ExtensionBrowser, origin: string): Promise<void> {
  return grantHostLikeAUser(ext, hostPermissionPattern(origin));
}

/**
 * What a user does to have a site signed in again by itself: its host allowed (as in
 * `grantOriginLikeAUser`), the site watched, automatic sign-in on, the credentials kept for the
 * browser session only, or remembered encrypted with `options.passphrase`.
 */
export async function watchWithAutoSignIn(
  ext: ExtensionBrowser,
  control: Control,
  origin: string,
  username: string,
  password: string,
  options: { /** Remember the password, encrypted with this passphrase. */ passphrase?: string } = {},
): Promise<void> {
  await grantOriginLikeAUser(ext, origin);
  await control.ok({ type: 'ui-bg-watch-origin', origin });
  await control.ok({ type: 'ui-bg-set-settings', origin, settings: { autoRelogin: true } });
  const remember = options.passphrase !== undefined ? { remember: true, passphrase: options.passphrase } : { remember: false };
  await control.ok({ type: 'ui-bg-set-credentials', origin, username, password, ...remember });
}
