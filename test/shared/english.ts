// What the browser's i18n.getMessage gives in English, read from _locales/en/messages.json and
// substituted as Chrome does: '' for an unknown key. The pages' tests install it with
// setMessageLookup; the background's fakes pass it as `words`.
import messages from '../../_locales/en/messages.json';
import { formatMessage, spell, type Words } from '../../src/shared/words';

const table = messages as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

export function englishMessage(key: string, substitutions: readonly string[]): string {
  const entry = table[key];
  return entry ? formatMessage(entry, substitutions) : '';
}

/** Words in English, as a page in English shows them. */
export function english(words: Words | undefined): string {
  return words ? spell(englishMessage, words) : '';
}
