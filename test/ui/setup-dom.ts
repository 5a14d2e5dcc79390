// Component tests: messages come from the English messages.json, substituted as Chrome does.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach } from 'vitest';
import { setMessageLookup } from '../../src/ui/shared/i18n';
import type { SessionView } from '../../src/messages/protocol';
import { DEFAULT_SETTINGS } from '../../src/owa/settings';
import { englishMessage } from '../shared/english';

export { englishMessage } from '../shared/english';

setMessageLookup(englishMessage);

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

export function sessionView(patch: Partial<SessionView> = {}): SessionView {
  return {
    origin: 'https://mail.example.com',
    status: 'signed-out',
    generation: 'unknown',
    formsUnavailable: null,
    failure: null,
    lastReason: null,
    lastActivity: null,
    cookies: [],
    expiry: null,
    timeoutMinutes: 15,
    timeoutComputer: 'public',
    timeoutSource: 'default',
    timeoutObservations: 0,
    suggestedTimeoutMinutes: null,
    settings: { ...DEFAULT_SETTINGS },
    credentials: 'none',
    username: null,
    hostPermission: true,
    last440: null,
    lastSignIn: null,
    ...patch,
  };
}

/** Lets effects and promise callbacks run, as the browser would between events. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Lets the components run until `check` holds; fails naming `what` after 200 rounds. */
export async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await act(() => settle());
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A fresh element in the body for each test to render into (handed to `set` before the file's
 * own beforeEach hooks run), unmounted and removed after the test. Call at the top level.
 */
export function useMountRoot(set: (root: HTMLElement) => void): void {
  let root: HTMLElement | undefined;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
    set(root);
  });
  afterEach(() => {
    if (!root) return;
    render(null, root);
    root.remove();
  });
}
