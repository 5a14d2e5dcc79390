// Strings of the panel come from _locales/<lang>/messages.json through the i18n API. Outside
// the extension (unit tests) a table can be supplied; without one, the key itself is shown.
import type messages from '../../../_locales/en/messages.json';

export type MessageKey = Extract<keyof typeof messages, `panel_${string}`>;

interface I18nApi {
  getMessage(key: string, substitutions?: string | string[]): string;
}

let fallback: Readonly<Record<string, { message: string }>> | undefined;

/** For tests: the English table (messages.json) to use when there is no i18n API. */
export function useFallbackMessages(table: Readonly<Record<string, { message: string }>>): void {
  fallback = table;
}

function api(): I18nApi | undefined {
  const g = globalThis as unknown as { chrome?: { i18n?: I18nApi }; browser?: { i18n?: I18nApi } };
  return g.browser?.i18n ?? g.chrome?.i18n;
}

/** The message for a key, with $1…$9 replaced by the substitutions. */
export function t(key: MessageKey, ...substitutions: Array<string | number>): string {
  const subs = substitutions.map(String);
  const i18n = api();
  if (i18n) {
    const message = i18n.getMessage(key, subs);
    if (message) return message;
  }
  const template = fallback?.[key]?.message ?? key;
  return template.replace(/\$(\d)/g, (whole, n: string) => subs[Number(n) - 1] ?? whole);
}
