// Words to be: what the background (and the pure core) means to tell a person, as a message of
// _locales/*/messages.json and its substitutions. Stored and sent as such; worded only where it
// is shown, in the reader's language (the pages through `t`, the worker through
// `browser.i18n.getMessage` for what it shows itself: notifications, the banner, the badge's title).
// Pure: the key type is read from the English file, so a typo in a key is a type error.
import type messages from '../../_locales/en/messages.json';
import { isRecord } from './is-record';

export type MessageKey = keyof typeof messages;

/** A message and its substitutions; a substitution may itself be words (worded first). */
export interface Words {
  readonly key: MessageKey;
  readonly subs?: ReadonlyArray<string | Words>;
}

/** How a message is looked up: the browser's `i18n.getMessage`, or a test's reading of the file. '' when unknown. */
export type Wording = (key: MessageKey, substitutions: string[]) => string;

/** Words for `key` with its substitutions (numbers as decimal text). */
export function msg(key: MessageKey, ...subs: Array<string | number | Words>): Words {
  return subs.length ? { key, subs: subs.map((s) => (typeof s === 'number' ? String(s) : s)) } : { key };
}

/** Text that is not ours to word (a server's or the browser's message, a stored entry of an earlier version). */
export function literal(text: string): Words {
  return { key: 'bg_text', subs: [text] };
}

/** The words in full: substitutions that are words are worded first; a missing message shows as its key. */
export function spell(lookup: Wording, words: Words): string {
  const subs = (words.subs ?? []).map((s) => (typeof s === 'string' ? s : spell(lookup, s)));
  return lookup(words.key, subs) || words.key;
}

export function sameWords(a: Words | undefined, b: Words | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.key !== b.key) return false;
  const as = a.subs ?? [];
  const bs = b.subs ?? [];
  return (
    as.length === bs.length &&
    as.every((s, i) => {
      const t = bs[i]!;
      return typeof s === 'string' || typeof t === 'string' ? s === t : sameWords(s, t);
    })
  );
}

/**
 * Words read back from storage: a key and substitutions of the right types (at most 4 deep),
 * else null. An unknown key is kept: it shows as itself, as a missing message does.
 */
export function readWords(value: unknown, depth = 0): Words | null {
  if (!isRecord(value) || typeof value.key !== 'string' || depth > 4) return null;
  const key = value.key as MessageKey;
  if (value.subs === undefined) return { key };
  if (!Array.isArray(value.subs)) return null;
  const subs: Array<string | Words> = [];
  for (const s of value.subs) {
    const sub = typeof s === 'string' ? s : readWords(s, depth + 1);
    if (sub === null) return null;
    subs.push(sub);
  }
  return { key, subs };
}

/**
 * The browsers' substitution rules for one messages.json entry: named placeholders `$NAME$`
 * whose content is `$1`…`$9`, `$1`…`$9` written in the message itself (the panel's strings do
 * that), and `$$` for a dollar sign. Used where no browser does it for us (tests, the mock).
 */
export function formatMessage(entry: { message: string; placeholders?: Record<string, { content: string }> }, substitutions: readonly string[]): string {
  const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => substitutions[Number(n) - 1] ?? '');
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g, (match, name?: string, digit?: string) => {
    if (match === '$$') return '$';
    if (digit !== undefined) return substitutions[Number(digit) - 1] ?? '';
    const content = placeholders[name!.toLowerCase()];
    return content === undefined ? match : fill(content);
  });
}
