// Content script on watched OWA origins only (registered at run time). It answers one
// question for the background, "would a reload lose typing?", and can show a small banner.
// It never receives credentials and never reads the page's cookies or storage.
import browser from 'webextension-polyfill';
import { parseCsMessage, type CsBgResponse } from '../messages/protocol';

declare global {
  interface Window {
    __owaInspectorDraftGuard?: boolean;
  }
}

const typed = new WeakSet<EventTarget>();

function isTextField(el: Element): el is HTMLInputElement | HTMLTextAreaElement {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && ['text', 'email', 'search', 'url', 'tel', ''].includes(el.type);
}

/** Fields typed into since load that still hold text, or text areas that differ from their initial text. */
export function hasUnsavedInput(doc: Document): boolean {
  for (const el of doc.querySelectorAll('textarea, input, [contenteditable=""], [contenteditable="true"]')) {
    if (isTextField(el)) {
      if (el.value.trim() === '') continue;
      if (typed.has(el) || (el instanceof HTMLTextAreaElement && el.value !== el.defaultValue)) return true;
    } else if (typed.has(el) && (el.textContent ?? '').trim() !== '') {
      return true;
    }
  }
  return false;
}

function showBanner(text: string): void {
  document.getElementById('owa-inspector-banner')?.remove();
  const host = document.createElement('div');
  host.id = 'owa-inspector-banner';
  const root = host.attachShadow({ mode: 'closed' });
  const box = document.createElement('div');
  box.setAttribute('role', 'status');
  box.style.cssText =
    'position:fixed;z-index:2147483647;bottom:16px;right:16px;max-width:420px;padding:10px 14px;border-radius:6px;' +
    'background:#1b5e20;color:#fff;font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)';
  const message = document.createElement('span');
  message.textContent = text;
  const reload = document.createElement('button');
  reload.textContent = 'Reload page';
  reload.style.cssText = 'margin-left:10px';
  reload.addEventListener('click', () => location.reload());
  const close = document.createElement('button');
  close.textContent = '×';
  close.setAttribute('aria-label', 'Close');
  close.style.cssText = 'margin-left:6px';
  close.addEventListener('click', () => host.remove());
  box.append(message, reload, close);
  root.append(box);
  (document.body ?? document.documentElement).append(host);
}

if (!window.__owaInspectorDraftGuard) {
  window.__owaInspectorDraftGuard = true;
  document.addEventListener('input', (event) => {
    const target = event.composedPath()[0] ?? event.target;
    if (target) typed.add(target);
  }, true);
  browser.runtime.onMessage.addListener((message: unknown): Promise<CsBgResponse> | undefined => {
    const parsed = parseCsMessage(message);
    if (!parsed) return undefined;
    if (parsed.type === 'bg-cs-query-unsaved') return Promise.resolve({ type: 'cs-bg-unsaved', unsaved: hasUnsavedInput(document) });
    showBanner(parsed.text);
    return Promise.resolve({ type: 'cs-bg-ok' });
  });
}
