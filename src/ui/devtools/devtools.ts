// The DevTools page only registers the panel; the panel page does the work. Like every page it
// uses the browser's own API (Firefox offers chrome.devtools too), not webextension-polyfill,
// which would be 10 kB for this one call.
chrome.devtools.panels.create(chrome.i18n.getMessage('panelTitle'), 'icons/icon-32.png', 'panel.html');
