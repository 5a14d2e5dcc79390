// "Copy as curl" with what a page can put in a request: bash parses the copied text (curl
// replaced by a function that prints its arguments), and the arguments must be exactly the
// request's, with nothing run on the way. fetch() lets a page choose any token as the method
// (backticks, $, ', |, & included) and any token as a header name.
import { describe, expect, it, beforeAll } from 'vitest';
import { toCurl } from '../../../src/ui/devtools/model/export';
import { parseHarEntry, type HarHeader } from '../../../src/ui/devtools/model/har';
import { recordFromEntry, type EasRecord } from '../../../src/ui/devtools/model/record';
import { requireBash, runInBash, type BashRun } from './bash-argv';
import { ORIGIN } from './fixtures';

beforeAll(requireBash);

const URL = `${ORIGIN}/Microsoft-Server-ActiveSync?Cmd=Sync&User=alice&DeviceId=ABCDEF0123456789&DeviceType=iPhone`;

function request(spec: { method?: string; url?: string; headers?: HarHeader[] }): EasRecord {
  const entry = parseHarEntry({
    startedDateTime: '2026-03-02T10:15:30.123Z',
    time: 1,
    request: { method: spec.method ?? 'GET', url: spec.url ?? URL, headers: spec.headers ?? [] },
    response: { status: 200, statusText: 'OK', headers: [], content: {} },
  });
  if (!entry) throw new Error('not a HAR entry');
  return recordFromEntry(1, entry);
}

/** The copied text is printable ASCII and line breaks only: nothing a terminal acts on when pasted. */
function expectPlainText(command: string): void {
  expect(command).toMatch(/^[\n\x20-\x7e]*$/);
}

/** Ran without creating a file, without a complaint, and handed curl exactly `argv`. */
function expectRan(run: BashRun, argv: string[]): void {
  expect(run.files).toEqual([]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.argv).toEqual(argv);
}

const TAIL = (url = URL) => ['--globoff', '--url', url];

describe('copy as curl, parsed by bash', () => {
  it.each(["X`touch$IFS'pwned'`", "M|touch$IFS'pwned'", "M&touch$IFS'pwned'&", "M'", "'''x'''", '$HOME', '~', 'M#x', "!#$%&'*+-.^_`|~09AZaz", 'PUT'])(
    'the method %j reaches curl as one argument and runs nothing',
    (method) => {
      const command = toCurl(request({ method }));
      expectPlainText(command);
      expectRan(runInBash(command), ['-X', method, ...TAIL()]);
    },
  );

  it.each(['A$(touch${IFS}pwned)', 'GET /x HTTP/1.1\r\nX-Evil: 1', 'A\u0000B', 'A B', '', 'MÉTHODE'])('a method no browser can send (%j) gives a comment and no curl at all', (method) => {
    const command = toCurl(request({ method }));
    expectPlainText(command);
    expect(command.split('\n').every((line) => line.startsWith('# '))).toBe(true);
    const run = runInBash(command);
    expect(run.files).toEqual([]);
    expect(run.called).toBe(false);
    expect(run.stderr).toBe('');
  });

  it.each([
    `${ORIGIN}/Microsoft-Server-ActiveSync?Cmd=Sync&a=$(touch\${IFS}pwned)&b=\`touch\${IFS}pwned\`&c=[1-3]{x,y}`,
    `${ORIGIN}/a'b"c\\d!e;f|g&h>i<j*k?l~m#n`,
    `${ORIGIN}/'\\''$(touch\${IFS}pwned)'`,
    `${ORIGIN}/Gr%C3%BC%C3%9Fe/é/😀`,
    '-K/etc/passwd',
  ])('the URL %j reaches curl as one argument, globbing off', (url) => {
    const command = toCurl(request({ method: 'GET', url }));
    expectPlainText(command);
    expectRan(runInBash(command), TAIL(url));
  });

  it.each([`${ORIGIN}/a b`, `${ORIGIN}/a\nb`, `${ORIGIN}/a\r\nHost: evil`, `${ORIGIN}/a\u0000`, `${ORIGIN}/a\tb`])(
    'a URL with white space or control characters (%j) gives a comment and no curl',
    (url) => {
      const command = toCurl(request({ url }));
      expectPlainText(command);
      const run = runInBash(command);
      expect(run.files).toEqual([]);
      expect(run.called).toBe(false);
    },
  );

  it('header names and values reach curl as they were; those curl cannot send are left out with a note', () => {
    const headers: HarHeader[] = [
      { name: 'X-Quote', value: "'; touch pwned; '" },
      { name: 'X-Subst', value: '$(touch pwned) `touch pwned` ${IFS} $HOME \\ " !! !$ \\\'' },
      { name: "X-`touch$IFS'pwned'`", value: 'v' },
      { name: 'X-Tab', value: 'a\tb' },
      { name: 'X-Unicode', value: 'Grüße \u202e\u0085 😀 \u2028' },
      { name: 'X-Escape', value: '\u001b[201~touch pwned\u001b[200~ \u007f' },
      { name: 'X-Empty', value: '' },
      { name: 'X-Blank', value: '  ' },
      { name: 'X-CRLF', value: 'a\r\nX-Injected: 1' },
      { name: 'X-LF', value: 'a\ntouch pwned' },
      { name: 'X-Nul', value: 'a\u0000b' },
      { name: 'Bad Name', value: 'v' },
      { name: '@/etc/passwd', value: 'v' },
      { name: 'X:Colon', value: 'v' },
      { name: ':authority', value: 'mail.contoso.com' },
    ];
    const command = toCurl(request({ method: 'GET', headers }));
    expectPlainText(command);
    expectRan(runInBash(command), [
      '-H',
      "X-Quote: '; touch pwned; '",
      '-H',
      'X-Subst: $(touch pwned) `touch pwned` ${IFS} $HOME \\ " !! !$ \\\'',
      '-H',
      "X-`touch$IFS'pwned'`: v",
      '-H',
      'X-Tab: a\tb',
      '-H',
      'X-Unicode: Grüße \u202e\u0085 😀 \u2028',
      '-H',
      'X-Escape: \u001b[201~touch pwned\u001b[200~ \u007f',
      // curl drops a header with an empty value given as "Name:"; "Name;" sends it empty.
      '-H',
      'X-Empty;',
      '-H',
      'X-Blank;',
      ...TAIL(),
    ]);
    const comments = command.split('\n').filter((line) => line.startsWith('#'));
    expect(comments).toEqual(['# 6 headers were left out: curl cannot send their name or value as it was.']);
  });

  it('the user name of Basic credentials goes in as it was, the password never', () => {
    const user = "'$(touch pwned)'\n`touch pwned`\\ ü";
    const authorization = `Basic ${Buffer.from(`${user}:Demo-Passw0rd`).toString('base64')}`;
    const command = toCurl(request({ method: 'GET', headers: [{ name: 'Authorization', value: authorization }] }));
    expectPlainText(command);
    expect(command).not.toContain('Demo-Passw0rd');
    expect(command).not.toContain(authorization.slice(6));
    expectRan(runInBash(command), ['--user', user, ...TAIL()]);
  });

  it('a user name curl cannot take, and an Authorization scheme that is not a token, stay out of the text', () => {
    const nul = `Basic ${Buffer.from('a\u0000b:secret').toString('base64')}`;
    const withNul = toCurl(request({ headers: [{ name: 'Authorization', value: nul }] }));
    expectPlainText(withNul);
    expect(withNul).toContain('# The Basic Authorization header was left out: add your own credentials.');
    expectRan(runInBash(withNul), TAIL());

    const escape = toCurl(request({ headers: [{ name: 'Authorization', value: '\u001b[201~\u001b]0;x\u0007 token' }] }));
    expectPlainText(escape);
    expect(escape).toContain('# The Authorization header was left out: add your own credentials.');
    expectRan(runInBash(escape), TAIL());

    const tokenScheme = toCurl(request({ headers: [{ name: 'Authorization', value: "Bearer`touch$IFS'pwned'` x" }] }));
    expectPlainText(tokenScheme);
    expectRan(runInBash(tokenScheme), TAIL());
  });

  it('a binary body reaches curl byte for byte on its standard input', () => {
    const body = Uint8Array.from([...Array.from({ length: 256 }, (_, i) => i), ...Buffer.from("'$(touch pwned)'\n`x`\u0000")]);
    const command = toCurl(request({ method: 'POST' }), { body });
    expectPlainText(command);
    const run = runInBash(command);
    expectRan(run, ['--data-binary', '@-', ...TAIL()]);
    expect(Buffer.from(run.stdin)).toEqual(Buffer.from(body));
  });

  it('keeps the method when curl would pick another: PUT with a body, POST with an empty one, GET', () => {
    const put = runInBash(toCurl(request({ method: 'PUT' }), { body: Uint8Array.of(1, 2, 3) }));
    expectRan(put, ['-X', 'PUT', '--data-binary', '@-', ...TAIL()]);
    expect([...put.stdin]).toEqual([1, 2, 3]);
    expectRan(runInBash(toCurl(request({ method: 'POST' }), { body: new Uint8Array() })), ['-X', 'POST', ...TAIL()]);
    expectRan(runInBash(toCurl(request({ method: 'POST' }))), ['-X', 'POST', ...TAIL()]);
    expectRan(runInBash(toCurl(request({ method: 'GET' }))), TAIL());
  });

  it('the note about a missing body stays one comment line whatever it says', () => {
    const command = toCurl(request({ method: 'POST' }), { missingBody: 'no body\ntouch pwned\r\u001b[201~' });
    expectPlainText(command);
    expectRan(runInBash(command), ['-X', 'POST', ...TAIL()]);
  });
});
