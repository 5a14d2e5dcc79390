// The DevTools page only registers the panel; the panel page does the work.
import browser from 'webextension-polyfill';

void browser.devtools.panels.create(browser.i18n.getMessage('panelTitle'), 'icons/icon-32.png', 'panel.html');
