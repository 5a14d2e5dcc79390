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
const watchedDocs = new WeakSet<Document>();

// Elements of a frame belong to that frame's realm, where `instanceof` against this one's
// classes is false: tell them by their names.
function isTextField(el: Element): el is HTMLInputElement | HTMLTextAreaElement {
  if (el.localName === 'textarea') return true;
  return el.localName === 'input' && ['text', 'email', 'search', 'url', 'tel', ''].includes((el as HTMLInputElement).type);
}

function isFrame(target: EventTarget | null): target is HTMLIFrameElement {
  const name = (target as Element | null)?.localName;
  return name === 'iframe' || name === 'frame';
}

/** A same-origin frame's document, or null (another origin, or not loaded). */
function frameDocument(frame: HTMLIFrameElement): Document | null {
  try {
    return frame.contentDocument;
  } catch {
    return null;
  }
}

/**
 * Records typing in `doc` and in its same-origin frames, as they load: OWA composes mail in
 * frames on some versions (an about:blank frame in design mode, or a page of its own), and a
 * reload of the tab would lose what was typed there just the same.
 */
function watchDocument(doc: Document): void {
  if (watchedDocs.has(doc)) return;
  watchedDocs.add(doc);
  doc.addEventListener(
    'input',
    (event) => {
      const target = event.composedPath()[0] ?? event.target;
      if (target) typed.add(target);
    },
    true,
  );
  // A frame's load event does not bubble, but a capturing listener on its document sees it.
  doc.addEventListener(
    'load',
    (event) => {
      if (isFrame(event.target)) watchFrame(event.target);
    },
    true,
  );
  for (const frame of doc.querySelectorAll('iframe, frame')) watchFrame(frame as HTMLIFrameElement);
}

function watchFrame(frame: HTMLIFrameElement): void {
  const doc = frameDocument(frame);
  if (doc) watchDocument(doc);
}

/** Fields typed into since load that still hold text, or text areas that differ from their initial text; same-origin frames included. */
export function hasUnsavedInput(doc: Document): boolean {
  for (const el of doc.querySelectorAll('textarea, input, [contenteditable=""], [contenteditable="true"]')) {
    if (isTextField(el)) {
      if (el.value.trim() === '') continue;
      if (typed.has(el) || (el.localName === 'textarea' && el.value !== el.defaultValue)) return true;
    } else if (typed.has(el) && (el.textContent ?? '').trim() !== '') {
      return true;
    }
  }
  // A frame in design mode: the whole body is what was typed.
  if (doc.designMode === 'on' && doc.body && typed.has(doc.body) && (doc.body.textContent ?? '').trim() !== '') return true;
  for (const frame of doc.querySelectorAll('iframe, frame')) {
    const inner = frameDocument(frame as HTMLIFrameElement);
    if (inner && hasUnsavedInput(inner)) return true;
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
  watchDocument(document);
  browser.runtime.onMessage.addListener((message: unknown): Promise<CsBgResponse> | undefined => {
    const parsed = parseCsMessage(message);
    if (!parsed) return undefined;
    if (parsed.type === 'bg-cs-query-unsaved') return Promise.resolve({ type: 'cs-bg-unsaved', unsaved: hasUnsavedInput(document) });
    showBanner(parsed.text);
    return Promise.resolve({ type: 'cs-bg-ok' });
  });
}
