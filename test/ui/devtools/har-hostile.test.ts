// "Save as HAR" with what a page (or an odd browser entry) can put in a request: the file is
// JSON that reads back to the same method, URL, headers and status text, and is well-formed
// UTF-16 (lone surrogates escaped), so that saving it as UTF-8 loses nothing.
import { describe, expect, it } from 'vitest';
import { fileName, toHar } from '../../../src/ui/devtools/model/export';
import { parseHarEntry, type HarHeader } from '../../../src/ui/devtools/model/har';
import { recordFromEntry, type EasRecord } from '../../../src/ui/devtools/model/record';
import { ORIGIN } from './fixtures';

const HOSTILE = [
  "X`touch$IFS'pwned'`",
  'line\nbreak\r\nand "quotes" \\ </script><!-- ]]>',
  'lone \ud800 high, lone \udc00 low, pair 😀, reversed \udc00\ud800',
  '\u0000\u0001\u001b[201~\u007f\u0085\u2028\u2029\ufeff\ufffe\uffff',
];

function request(method: string, url: string, headers: HarHeader[], statusText: string): EasRecord {
  const entry = parseHarEntry({
    startedDateTime: '2026-03-02T10:15:30.123Z',
    time: 1,
    request: { method, url, headers },
    response: { status: 500, statusText, headers, content: {} },
  });
  if (!entry) throw new Error('not a HAR entry');
  return recordFromEntry(1, entry);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('HAR export of hostile requests', () => {
  it.each(HOSTILE)('%j as method, URL, header name and value and status text reads back the same', (text) => {
    const url = `${ORIGIN}/Microsoft-Server-ActiveSync?Cmd=${text}`;
    const headers = [
      { name: text, value: text },
      { name: 'X-Value', value: text },
    ];
    const json = toHar([request(text, url, headers, text)], { name: 'OWA Inspector', version: '0' });
    expect(json).not.toMatch(LONE_SURROGATE);
    // What the saved file holds: the text as UTF-8, read back strictly.
    const saved = new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(json));
    const entry = JSON.parse(saved).log.entries[0];
    expect(entry.request.method).toBe(text);
    expect(entry.request.url).toBe(url);
    expect(entry.request.headers).toEqual(headers);
    expect(entry.response.headers).toEqual(headers);
    expect(entry.response.statusText).toBe(text);
    expect(parseHarEntry(entry)?.request).toMatchObject({ method: text, url, headers });
  });

  it('a file name from a hostile command is one plain name', () => {
    for (const text of [...HOSTILE, '../../.bashrc', '..', '.', 'CON', 'a/b\\c:d', 'x'.repeat(500)]) {
      const name = fileName(request(text, `${ORIGIN}/Microsoft-Server-ActiveSync`, [], ''), '1.har');
      expect(name).toMatch(/^[A-Za-z0-9_][\w.-]*\.har$/);
      expect(name.length).toBeLessThanOrEqual(100);
    }
  });
});
