import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildLogonBody,
  computerChoiceOfPost,
  fallbackLogonForm,
  isFormReadError,
  pageComputerChoice,
  readLogonForm,
  signInAsPrivate,
  type FormField,
  type FormReadError,
  type LogonForm,
} from '../../src/owa/logon-form';
import { random } from '../../benchmark/random.js';
import { decodeEntities, scanTags } from '../../src/owa/html-tags';

// The demo Exchange's own templates are read where they live, so the form reader is tested
// on exactly what the e2e tests meet; the 2007-shaped page is a fixture of ours.
const fixture = (name: string) =>
  readFileSync(name.startsWith('owa-') ? join(import.meta.dirname, '../demo/pages', name) : join(import.meta.dirname, 'fixtures', name), 'utf8')
    .replaceAll('{{destination}}', 'https://mail.example.com/owa/')
    .replaceAll(/\{\{\w+\}\}/g, '');

function read(name: string, pageUrl: string): LogonForm {
  const form = readLogonForm(fixture(name), pageUrl);
  if (isFormReadError(form)) throw new Error(`form not read: ${form.error}`);
  return form;
}

const input = { username: 'CONTOSO\\alice', password: 'p@ss w&rd=1', privateComputer: false, destination: 'https://mail.example.com/owa/' };

describe('readLogonForm', () => {
  it('reads the 2010+ form: action, every field, username and password fields', () => {
    const form = read('owa-2010-logon.html', 'https://mail.example.com/owa/auth/logon.aspx?url=x&reason=0');
    expect(form.action).toBe('https://mail.example.com/owa/auth.owa');
    expect(form.generation).toBe('2010+');
    expect(form.usernameField).toBe('username');
    expect(form.passwordField).toBe('password');
    expect(form.fields.map((f) => f.name)).toEqual(['destination', 'flags', 'forcedownlevel', 'username', 'password', 'passwordText', 'isUtf8', 'trusted', 'trusted']);
  });

  it('reads the 2003 form with its SubmitCreds button', () => {
    const form = read('owa-2003-logon.html', 'https://mail.example.com/exchweb/bin/auth/owalogon.asp?url=/exchange&reason=0');
    expect(form.action).toBe('https://mail.example.com/exchweb/bin/auth/owaauth.dll');
    expect(form.generation).toBe('2003');
    expect(form.fields.find((f) => f.name === 'SubmitCreds')).toMatchObject({ type: 'submit', value: 'Log On' });
  });

  it('skips script text, comments, other forms and disabled inputs; decodes values', () => {
    const form = read('exchange-2007-logon.html', 'https://mail.example.com/owa/auth/logon.aspx?replaceCurrent=1&url=x');
    expect(form.action).toBe('https://mail.example.com/owa/auth/owaauth.dll');
    expect(form.generation).toBe('2007');
    expect(form.fields.find((f) => f.name === 'destination')?.value).toBe('https://mail.example.com/owa/?a=b&c=d');
    expect(form.fields.find((f) => f.name === 'extra')?.value).toBe('single "quoted" > value');
    expect(form.fields.some((f) => f.name === 'disabledField' || f.name === 'lcid' || f.name === 'p')).toBe(false);
  });

  it('refuses a form that posts to another origin', () => {
    const html = '<form method="post" action="https://evil.example/collect"><input name="username"><input type="password" name="password"></form>';
    expect(readLogonForm(html, 'https://mail.example.com/owa/auth/logon.aspx')).toEqual({ error: 'foreign-action', action: 'https://evil.example/collect' });
  });

  it('refuses a form that would send the password over plain HTTP', () => {
    const html = '<form method="post" action="http://mail.example.com/owa/auth.owa"><input name="username"><input type="password" name="password"></form>';
    expect(readLogonForm(html, 'http://mail.example.com/owa/auth/logon.aspx')).toMatchObject({ error: 'insecure-action' });
  });

  it('refuses pages without a password field, and GET forms', () => {
    expect(readLogonForm('<form method=post action=/x><input name=username></form>', 'https://m.example.com/')).toEqual({ error: 'no-form' });
    expect(readLogonForm('<form action=/x><input name=u><input type=password name=p></form>', 'https://m.example.com/')).toEqual({ error: 'not-post' });
  });
});

describe('buildLogonBody', () => {
  it('keeps every server field and fills only credentials and the computer choice (2010+)', () => {
    const form = read('owa-2010-logon.html', 'https://mail.example.com/owa/auth/logon.aspx?url=x&reason=3');
    const body = new URLSearchParams(buildLogonBody(form, input));
    expect([...body]).toEqual([
      ['destination', 'https://mail.example.com/owa/'],
      ['flags', '0'],
      ['forcedownlevel', '0'],
      ['username', 'CONTOSO\\alice'],
      ['password', 'p@ss w&rd=1'],
      ['passwordText', ''],
      ['isUtf8', '1'],
      ['trusted', '0'],
    ]);
  });

  it('sets flags bit 4 and trusted=4 for a private computer, keeping other flag bits', () => {
    const form = read('exchange-2007-logon.html', 'https://mail.example.com/owa/auth/logon.aspx');
    form.fields.find((f) => f.name === 'flags')!.value = '1';
    const body = new URLSearchParams(buildLogonBody(form, { ...input, privateComputer: true }));
    expect(body.get('flags')).toBe('5');
    expect(body.getAll('trusted')).toEqual(['4']);
    expect(body.getAll('SubmitCreds')).toEqual(['Log On']);
    expect(body.has('Other')).toBe(false);
    expect(body.has('basic')).toBe(false); // unchecked checkbox
    expect(body.get('extra')).toBe('single "quoted" > value');
  });

  it('sends what 2003 expects', () => {
    const form = read('owa-2003-logon.html', 'https://mail.example.com/exchweb/bin/auth/owalogon.asp?url=/exchange&reason=0');
    const body = new URLSearchParams(buildLogonBody(form, input));
    expect([...body.keys()]).toEqual(['destination', 'flags', 'trusted', 'username', 'password', 'SubmitCreds']);
  });

  it('fills an empty destination, and adds flags/trusted the form lacks', () => {
    const form = fallbackLogonForm('https://m.example.com', '2007', '');
    const body = new URLSearchParams(buildLogonBody(form, { ...input, privateComputer: true }));
    expect(form.action).toBe('https://m.example.com/owa/auth/owaauth.dll');
    expect(body.get('destination')).toBe('https://mail.example.com/owa/');
    expect(body.get('flags')).toBe('4');
    expect(body.get('trusted')).toBe('4');
  });

  it('builds documented fallbacks for each generation', () => {
    expect(fallbackLogonForm('https://m.example.com', '2003', 'd').action).toBe('https://m.example.com/exchweb/bin/auth/owaauth.dll');
    const f2010 = fallbackLogonForm('https://m.example.com', '2010+', 'd');
    expect(f2010.action).toBe('https://m.example.com/owa/auth.owa');
    expect(new URLSearchParams(buildLogonBody(f2010, input)).has('trusted')).toBe(false);
  });
});

describe("public or private: the page's own choice first", () => {
  // Exchange 2013 SP1 and later: no choice on the page, a hidden flags=4 (a private session).
  const page2016 = `<form action="/owa/auth.owa" method="POST" name="logonForm" autocomplete="off">
<input type="hidden" name="destination" value="https://mail.example.com/owa/"><input type="hidden" name="flags" value="4">
<input type="hidden" name="forcedownlevel" value="0"><input id="username" name="username" type="text">
<input id="password" name="password" type="password"><input id="passwordText" name="passwordText" type="text" style="display: none;">
<input type="hidden" name="isUtf8" value="1"></form>`;
  const f2016 = readLogonForm(page2016, 'https://mail.example.com/owa/auth/logon.aspx?replaceCurrent=1&url=x&reason=3') as LogonForm;

  it('keeps the hidden flags=4 of a page without a choice, whatever the setting says', () => {
    expect(isFormReadError(f2016)).toBe(false);
    expect(pageComputerChoice(f2016)).toBe('private');
    const asPublic = signInAsPrivate(f2016, false);
    expect(asPublic).toBe(true);
    expect(new URLSearchParams(buildLogonBody(f2016, { ...input, privateComputer: asPublic })).get('flags')).toBe('4');
  });

  it('uses the setting where the page offers the choice (radio pair) or says nothing', () => {
    const f2007 = read('exchange-2007-logon.html', 'https://mail.example.com/owa/auth/logon.aspx?url=x&reason=0');
    expect(pageComputerChoice(f2007)).toBe('offered');
    expect(signInAsPrivate(f2007, false)).toBe(false);
    expect(signInAsPrivate(f2007, true)).toBe(true);
    const bare = readLogonForm(
      '<form method="post" action="/owa/auth.owa"><input name="username"><input type="password" name="password"></form>',
      'https://mail.example.com/owa/auth/logon.aspx',
    ) as LogonForm;
    expect(pageComputerChoice(bare)).toBe('none');
    expect(signInAsPrivate(bare, true)).toBe(true);
    // A page that hides flags=0 chose public itself.
    const hiddenPublic = readLogonForm(page2016.replace('name="flags" value="4"', 'name="flags" value="0"'), 'https://mail.example.com/owa/auth/logon.aspx') as LogonForm;
    expect(signInAsPrivate(hiddenPublic, true)).toBe(false);
  });

  it("where the page offers the choice, the user's last choice by hand wins over the setting; elsewhere it changes nothing", () => {
    const f2007 = read('exchange-2007-logon.html', 'https://mail.example.com/owa/auth/logon.aspx?url=x&reason=0');
    const f2010 = read('owa-2010-logon.html', 'https://mail.example.com/owa/auth/logon.aspx?url=x&reason=0');
    for (const offered of [f2007, f2010]) {
      expect(pageComputerChoice(offered)).toBe('offered');
      expect(signInAsPrivate(offered, false, 'private')).toBe(true);
      expect(signInAsPrivate(offered, true, 'public')).toBe(false);
      // Never chosen by hand: the setting fills in.
      expect(signInAsPrivate(offered, true, null)).toBe(true);
      expect(signInAsPrivate(offered, false, null)).toBe(false);
    }
    // A page that chose itself (hidden flags) keeps its choice, whatever the user chose elsewhere.
    expect(signInAsPrivate(f2016, false, 'public')).toBe(true);
    const bare = readLogonForm(
      '<form method="post" action="/owa/auth.owa"><input name="username"><input type="password" name="password"></form>',
      'https://mail.example.com/owa/auth/logon.aspx',
    ) as LogonForm;
    expect(signInAsPrivate(bare, false, 'private')).toBe(false);
  });
});

describe('the choice a logon POST by hand carried', () => {
  it('reads trusted (2003/2007) first, else bit 4 of flags (2010+, which copies the radio there)', () => {
    expect(computerChoiceOfPost({ destination: ['x'], flags: ['4'], username: ['alice'], password: ['pw'] })).toBe('private');
    expect(computerChoiceOfPost({ flags: ['0'] })).toBe('public');
    // Other bits of flags (1: the light version) do not matter.
    expect(computerChoiceOfPost({ flags: ['5'] })).toBe('private');
    expect(computerChoiceOfPost({ flags: ['1'] })).toBe('public');
    expect(computerChoiceOfPost({ trusted: ['4'], flags: ['0'] })).toBe('private');
    expect(computerChoiceOfPost({ Trusted: ['0'], flags: ['4'] })).toBe('public');
    expect(computerChoiceOfPost({ username: ['alice'], password: ['pw'] })).toBeNull();
    expect(computerChoiceOfPost({ flags: ['x'] })).toBeNull();
    expect(computerChoiceOfPost({ flags: [] })).toBeNull();
    expect(computerChoiceOfPost({ flags: '4' })).toBe('private');
    expect(computerChoiceOfPost({ flags: [4] })).toBeNull();
  });
});

describe('the tag scanner', () => {
  it('handles unquoted values, > inside quotes, and unterminated markup without throwing', () => {
    const tags = [...scanTags('<input name=a value="x>y"><input name=b value=\'q\'/><p <input name=c')];
    expect(tags.map((t) => [t.name, t.attrs.get('name'), t.attrs.get('value')])).toEqual([
      ['input', 'a', 'x>y'],
      ['input', 'b', 'q'],
    ]);
  });

  it('decodes character references', () => {
    expect(decodeEntities('a&amp;b &#60; &#x3e; &quot; &unknown; &#0;')).toBe('a&b < > " &unknown; \ufffd');
  });

  it('survives random input', () => {
    const next = random(7);
    const alphabet = '<>/="\' aform input type=password!-';
    for (let run = 0; run < 300; run++) {
      const html = Array.from({ length: 80 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(() => readLogonForm(html, 'https://m.example.com/owa/auth/logon.aspx')).not.toThrow();
    }
  });
});

describe('generated logon pages', () => {
  // The logon page over HTTPS, over plain HTTP (no password may go there), and on loopback HTTP (allowed).
  const PAGES = ['https://mail.example.com', 'https://mail.example.com', 'http://mail.example.com', 'http://127.0.0.1:8443'].map(
    (origin) => `${origin}/owa/auth/logon.aspx?replaceCurrent=1&url=${encodeURIComponent(`${origin}/owa/`)}`,
  );
  type Expected = { error: FormReadError['error'] } | Pick<LogonForm, 'action' | 'generation' | 'usernameField' | 'passwordField' | 'fields'>;

  /** One generated page and what reading it must give, decided from the parts it was built of. */
  function generatePage(next: () => number, page: string): { html: string; expected: Expected } {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const chance = (p: number) => next() < p;
    const ws = () => pick([' ', '  ', '\n', '\t', ' \n  ']);
    const cased = (name: string) => (chance(0.3) ? name.toUpperCase() : name);
    /** An attribute as a page might write it: double, single or no quotes, entities where needed. */
    const attr = (name: string, value: string | null): string => {
      if (value === null) return cased(name);
      const style = pick(['"', "'", ''] as const);
      if (style === '' && /^[^\s"'=<>`&]+$/.test(value)) return `${cased(name)}=${value}`;
      const quote = style || '"';
      const escaped = value.replaceAll('&', chance(0.5) ? '&amp;' : '&#38;').replaceAll(quote, quote === '"' ? '&quot;' : '&#39;');
      return `${cased(name)}=${quote}${escaped}${quote}`;
    };
    const tag = (name: string, attrs: Array<[string, string | null]>) =>
      `<${cased(name)}${[...attrs]
        .sort(() => next() - 0.5)
        .map((a) => ws() + attr(...a))
        .join('')}${chance(0.2) ? ' /' : ''}>`;
    const VALUES = ['0', '1', 'https://mail.example.com/owa/?a=b&c=d', 'single "quoted" > value', "it's <here>", 'Grüße 東京', ''];
    const NOISE = [
      '<p>Sign in to Outlook Web App: a < b &amp; c</p>',
      '<label for="username">Domain\\user name:</label>',
      '<div class="signInInputLabel" id="userNameLabel"></div>',
      "<script>document.write('<input type=password name=fromScript>');</script>",
      '<!-- <input type="password" name="commentedOut"> -->',
      '<textarea name=notAField><input type=text name=insideTextarea></textarea>',
      '<img src="/owa/auth/15.1.2507/themes/resources/logo.png" alt="">',
      '<style>input[type=password] { width: 100%; }</style>',
    ];

    const fields: FormField[] = [];
    let password: string | null = null;
    const parts: string[] = [];
    /** An input that counts unless disabled; returns whether it counted. */
    const input = (name: string, type: string | null, value: string | null, extra: Array<[string, string | null]> = []): boolean => {
      const disabled = chance(0.08);
      const attrs: Array<[string, string | null]> = [['name', name], ...extra];
      if (type !== null) attrs.push(['type', chance(0.2) ? type.toUpperCase() : type]);
      if (value !== null) attrs.push(['value', value]);
      if (disabled) attrs.push(['disabled', null]);
      parts.push(tag('input', attrs));
      if (disabled) return false;
      const kind = (type ?? 'text').toLowerCase();
      const checked = extra.some(([n]) => n === 'checked');
      fields.push({ name, value: value ?? (kind === 'checkbox' || kind === 'radio' ? 'on' : ''), type: kind, checked });
      return true;
    };

    const pieces: Array<() => void> = [];
    for (const name of ['destination', 'flags', 'forcedownlevel', 'isUtf8', 'hiddenExtra']) {
      if (chance(0.6)) pieces.push(() => void input(name, 'hidden', pick(VALUES)));
    }
    const userName = pick(['username', 'UserName', 'user', 'email']);
    const userType = userName === 'email' ? pick(['email', 'text']) : pick(['text', null]);
    if (chance(0.85)) pieces.push(() => void input(userName, userType, chance(0.5) ? '' : null, [['id', 'username']]));
    const passwordName = pick(['password', 'pwd', 'passwd']);
    if (chance(0.9)) pieces.push(() => void (input(passwordName, 'password', chance(0.5) ? '' : null) && (password ??= passwordName)));
    if (chance(0.5)) {
      const privateFirst = chance(0.5);
      pieces.push(() => void input('trusted', 'radio', '0', privateFirst ? [] : [['checked', null]]));
      pieces.push(() => void input('trusted', 'radio', '4', privateFirst ? [['checked', null]] : []));
    }
    if (chance(0.3)) pieces.push(() => void input('basic', 'checkbox', chance(0.5) ? '1' : null, chance(0.5) ? [['checked', null]] : []));
    if (chance(0.3)) {
      pieces.push(() => {
        const selected = chance(0.5);
        parts.push(`<select name=lcid><option value=1033>English</option><option value=1031${selected ? ' selected' : ''}>Deutsch</option></select>`);
        fields.push({ name: 'lcid', value: selected ? '1031' : '1033', type: 'select', checked: true });
      });
    }
    if (chance(0.5)) {
      pieces.push(() => {
        if (chance(0.5)) void input('SubmitCreds', 'submit', 'Log On');
        else {
          parts.push(
            tag('button', [
              ['name', 'signIn'],
              ['value', 'go'],
            ]),
          );
          fields.push({ name: 'signIn', value: 'go', type: 'submit', checked: false });
        }
      });
    }
    for (let n = Math.floor(next() * 4); n > 0; n--) pieces.push(() => void parts.push(pick(NOISE)));
    pieces.sort(() => next() - 0.5);

    // The form: method, action (same origin in several generations, empty, foreign, plain HTTP).
    const method = pick(['POST', 'POST', 'post', 'Post', 'get', null]);
    const origin = new URL(page).origin;
    const action = pick([
      '/owa/auth.owa',
      '/owa/auth/owaauth.dll',
      '/exchweb/bin/auth/owaauth.dll',
      `${origin}/owa/auth.owa`,
      'auth.owa',
      '',
      null,
      'https://evil.example/collect',
      'http://mail.example.com/owa/auth.owa',
    ]);
    const formAttrs: Array<[string, string | null]> = [['name', 'logonForm']];
    if (method !== null) formAttrs.push(['method', method]);
    if (action !== null) formAttrs.push(['action', action]);
    // Before it, sometimes a language form without a password field (OWA pages carry one).
    if (chance(0.4))
      parts.push('<form name=lngfrm method=POST action="/owa/lang.owa"><select name=lcid><option value=1033 selected>English</option></select><input type=submit value=OK></form>');
    if (chance(0.3)) parts.push(pick(NOISE));
    parts.push(tag('form', formAttrs));
    for (const piece of pieces) piece();
    if (chance(0.8)) parts.push('</form>');
    const html = `<!DOCTYPE html><html><head><title>Outlook</title></head><body>${parts.join(pick(['', '\n', ' ']))}</body></html>`;

    // What the reader must give for these parts.
    if (password === null) return { html, expected: { error: 'no-form' } };
    if (method?.toUpperCase() !== 'POST') return { html, expected: { error: 'not-post' } };
    const target = new URL(action || page, page).href;
    if (new URL(target).origin !== origin) return { html, expected: { error: 'foreign-action' } };
    if (!target.startsWith('https:') && !origin.startsWith('http://127.0.0.1')) return { html, expected: { error: 'insecure-action' } };
    const user = fields.find((f) => f.name.toLowerCase() === 'username') ?? fields.find((f) => (f.type === 'text' || f.type === 'email') && f.name !== password);
    if (!user) return { html, expected: { error: 'no-form' } };
    const path = new URL(target).pathname;
    const generation = path === '/owa/auth.owa' ? '2010+' : path === '/owa/auth/owaauth.dll' ? '2007' : path === '/exchweb/bin/auth/owaauth.dll' ? '2003' : 'unknown';
    return { html, expected: { action: target, generation, usernameField: user.name, passwordField: password, fields } };
  }

  it('reads generated forms: each outcome occurs, and found forms have exactly the fields that were put in', () => {
    const seed = 20250106;
    console.info(`logon form generator seed: ${seed}`);
    const next = random(seed);
    const outcomes = new Map<string, number>();
    const generations = new Set<string>();
    for (let run = 0; run < 400; run++) {
      const page = PAGES[Math.floor(next() * PAGES.length)]!;
      const { html, expected } = generatePage(next, page);
      const form = readLogonForm(html, page);
      const what = isFormReadError(form) ? form.error : 'found';
      outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
      if ('error' in expected) {
        expect(form, `page ${run} at ${page}:\n${html}`).toMatchObject({ error: expected.error });
        continue;
      }
      expect(form, `page ${run} at ${page}:\n${html}`).toEqual({ method: 'POST', ...expected });
      generations.add(expected.generation);
      // And what would be posted carries the credentials in the fields the form named.
      const body = new URLSearchParams(buildLogonBody(form as LogonForm, input));
      expect(body.get(expected.usernameField)).toBe(input.username);
      expect(body.get(expected.passwordField)).toBe(input.password);
    }
    console.info('generated logon pages:', Object.fromEntries(outcomes));
    expect(outcomes.get('found')).toBeGreaterThan(80);
    for (const error of ['no-form', 'not-post', 'foreign-action', 'insecure-action']) expect(outcomes.get(error), error).toBeGreaterThan(10);
    expect([...generations].sort()).toEqual(['2003', '2007', '2010+', 'unknown']);
  });
});
