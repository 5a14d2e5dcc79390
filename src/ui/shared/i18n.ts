// Every string a person reads on the extension's pages (popup, options, DevTools panel) comes
// from _locales/*/messages.json through the browser's i18n API. The key type is read from the
// English file, so a typo in a key is a type error. Tests (Node, no browser) install a lookup
// that reads the file itself.
import { spell, type MessageKey, type Words } from '../../shared/words';
import { browserApi } from '../connect/browser-api';

export type { MessageKey, Words } from '../../shared/words';
export { formatMessage } from '../../shared/words';

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

/** Words the background (or the core) formed, in the reader's language. */
export function say(words: Words): string {
  return spell((key, substitutions) => lookup(key, substitutions), words);
}
