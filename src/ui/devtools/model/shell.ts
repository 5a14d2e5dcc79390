// Quoting for the shell: text taken from a page's traffic becomes one bash word that bash hands
// on unchanged, whatever it holds. The quoted word is printable ASCII only, so that pasting it
// into a terminal cannot send control sequences (an ESC [201~ would end a bracketed paste and
// let the rest run as typed), and bidi controls cannot make it look like something else.

const utf8 = new TextEncoder();

/** Whether a string can be a command-line argument at all (C strings end at NUL). */
export function canBeArgument(value: string): boolean {
  return !value.includes('\0');
}

/**
 * One shell word for `value`: in single quotes when it is printable ASCII (`'` as `'\''`), else
 * ANSI-C quoted, `$'…'`, with every byte outside printable ASCII of its UTF-8 as `\xHH` (bash
 * passes those bytes whatever the locale). `!` is escaped there too: an interactive bash's
 * history expansion is not guaranteed to leave `$'…'` alone. Lone surrogates become U+FFFD, as
 * in any UTF-8 text. Throws for NUL, which no argument can hold: check with canBeArgument.
 */
export function shellQuote(value: string): string {
  if (!canBeArgument(value)) throw new RangeError('a shell argument cannot hold NUL');
  if (/^[\x20-\x7e]*$/.test(value)) return `'${value.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const byte of utf8.encode(value)) {
    if (byte === 0x27 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f && byte !== 0x21) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

/**
 * Text for a `#` comment line, with `?` for control and format characters (bidi controls
 * included), line and paragraph separators and lone surrogates: a comment can then neither end
 * early (a line break would start a command) nor carry control sequences. Letters of any
 * language stay (the comments can be translated messages).
 */
export function commentText(text: string): string {
  return text.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, '?');
}
