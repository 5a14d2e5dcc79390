// A small HTML tag scanner for the one job we need in a service worker (which has no
// DOMParser): find <form>, <input>, <button>, <select>/<option> and </form> tags with their
// attributes. It follows the HTML tokenizer where it matters for logon pages: comments,
// raw-text elements (<script>, <style>, <textarea>, <title>) whose content is not markup,
// quoted/unquoted attribute values containing `>`, and character references in values.

export interface Tag {
  name: string;
  closing: boolean;
  attrs: Map<string, string>;
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[ref.toLowerCase()];
    return named ?? whole;
  });
}

const WS = /[\t\n\f\r ]/;

/** Yields the tags of a document in order. Never throws; malformed markup ends the scan. */
export function* scanTags(html: string): Generator<Tag> {
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return;
    i = lt + 1;
    if (html.startsWith('!--', i)) {
      const end = html.indexOf('-->', i + 3);
      if (end < 0) return;
      i = end + 3;
      continue;
    }
    if (html[i] === '!' || html[i] === '?') {
      const end = html.indexOf('>', i);
      if (end < 0) return;
      i = end + 1;
      continue;
    }
    const closing = html[i] === '/';
    if (closing) i++;
    const nameMatch = /^[a-zA-Z][^\t\n\f\r />]*/.exec(html.slice(i, i + 64));
    if (!nameMatch) continue; // a lone "<" is text
    const name = nameMatch[0].toLowerCase();
    i += nameMatch[0].length;
    const attrs = new Map<string, string>();
    // Attributes until ">" (outside quotes).
    for (;;) {
      while (i < n && (WS.test(html[i]!) || html[i] === '/')) i++;
      if (i >= n) return;
      if (html[i] === '>') {
        i++;
        break;
      }
      let nameEnd = i;
      while (nameEnd < n && !WS.test(html[nameEnd]!) && html[nameEnd] !== '/' && html[nameEnd] !== '>' && (html[nameEnd] !== '=' || nameEnd === i)) nameEnd++;
      const attrName = html.slice(i, nameEnd).toLowerCase();
      i = nameEnd;
      while (i < n && WS.test(html[i]!)) i++;
      let value = '';
      if (html[i] === '=') {
        i++;
        while (i < n && WS.test(html[i]!)) i++;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, i + 1);
          if (end < 0) return;
          value = html.slice(i + 1, end);
          i = end + 1;
        } else {
          let end = i;
          while (end < n && !WS.test(html[end]!) && html[end] !== '>') end++;
          value = html.slice(i, end);
          i = end;
        }
      }
      // The first occurrence of an attribute wins, as in browsers.
      if (attrName && !attrs.has(attrName)) attrs.set(attrName, decodeEntities(value));
    }
    yield { name, closing, attrs };
    if (!closing && RAW_TEXT.has(name)) {
      // Skip to the matching end tag: "<input>" inside a script is not an input.
      const close = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'i').exec(html.slice(i));
      if (!close) return;
      i += close.index;
    }
  }
}
