// Every string a person reads on the extension's pages (popup, options, DevTools panel) comes
// from _locales/*/messages.json through the browser's i18n API. The key type is read from the
// English file, so a typo in a key is a type error. Tests (Node, no browser) install a lookup
// that reads the file itself.
import type messages from '../../../_locales/en/messages.json';
import { browserApi } from '../connect/browser-api';

export type MessageKey = keyof typeof messages;

type Lookup = (key: string, substitutions: string[]) => string;

let lookup: Lookup = (key, substitutions) => browserApi()?.i18n?.getMessage(key, substitutions) ?? '';

/** For tests and the mock: where messages come from. */
export function setMessageLookup(next: Lookup): void {
  lookup = next;
}

/** The message for `key`, with `$1`…`$9` placeholders filled in; the key itself when missing (so a gap shows). */
export function t(key: MessageKey, ...substitutions: Array<string | number>): string {
  return lookup(key, substitutions.map(String)) || key;
}

/**
 * The browsers' substitution rules for one messages.json entry: named placeholders `$NAME$`
 * whose content is `$1`…`$9`, `$1`…`$9` written in the message itself (the panel's strings do
 * that), and `$$` for a dollar sign. Used where no browser does it for us.
 */
export function formatMessage(
  entry: { message: string; placeholders?: Record<string, { content: string }> },
  substitutions: readonly string[],
): string {
  const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => substitutions[Number(n) - 1] ?? '');
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g, (match, name?: string, digit?: string) => {
    if (match === '$$') return '$';
    if (digit !== undefined) return substitutions[Number(digit) - 1] ?? '';
    const content = placeholders[name!.toLowerCase()];
    return content === undefined ? match : fill(content);
  });
}
