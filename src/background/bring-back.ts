// After a successful sign-in: reload the tabs that hit the timeout (or the origin's tabs), or
// send a tab left on the logon page to where it was going; where a reload would lose typing,
// tell the user with the content script's banner instead.
import { classifyUrl } from '../owa/detection';
import { normalizeOrigin } from '../owa/origin';
import type { OriginSettings } from '../owa/settings';
import { msg } from '../shared/words';
import type { BackgroundDeps, TabInfo } from './deps';

/** The banner's words (worded by the worker: the content script gets the text). */
export const BANNER = msg('bg_banner');

export async function bringBack(
  tabsApi: BackgroundDeps['tabs'],
  settings: OriginSettings,
  origin: string,
  tabIds: readonly number[],
  log: (message: string) => void,
  bannerText: string,
): Promise<void> {
  let tabs: TabInfo[] = [];
  if (tabIds.length) {
    for (const id of tabIds) {
      const tab = await tabsApi.get(id);
      if (tab && normalizeOrigin(tab.url) === origin) tabs.push(tab);
    }
  } else {
    tabs = await tabsApi.ofOrigin(origin);
  }
  for (const tab of tabs) {
    const meaning = classifyUrl(tab.url);
    const onLogonPage = meaning.kind === 'logon-page';
    // The logon page holds no draft; any other page may. Unknown (could not ask) counts as "may".
    const unsaved = onLogonPage ? false : await tabsApi.hasUnsavedInput(tab.id);
    if (settings.bringBack === 'tell-only' || unsaved !== false) {
      const shown = await tabsApi.showBanner(tab.id, bannerText);
      if (!shown) log(`relogin ${origin}: could not tell tab ${tab.id}; left it alone`);
      continue;
    }
    const back = onLogonPage && meaning.returnUrl && normalizeOrigin(meaning.returnUrl) === origin ? meaning.returnUrl : null;
    if (back) await tabsApi.navigate(tab.id, back);
    else if (onLogonPage) await tabsApi.navigate(tab.id, new URL('/', origin).href);
    else await tabsApi.reload(tab.id);
  }
}
