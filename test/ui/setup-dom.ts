// Component tests: messages come from the English messages.json, substituted as Chrome does.
import messages from '../../_locales/en/messages.json';
import { formatMessage, setMessageLookup } from '../../src/ui/shared/i18n';
import type { SessionView } from '../../src/messages/protocol';
import { DEFAULT_SETTINGS } from '../../src/owa/settings';

const table = messages as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** What the browser's i18n.getMessage gives in English: '' for an unknown key. */
export function englishMessage(key: string, substitutions: string[]): string {
  const entry = table[key];
  return entry ? formatMessage(entry, substitutions) : '';
}

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
