import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLogonBody, fallbackLogonForm, isFormReadError, pageComputerChoice, readLogonForm, signInAsPrivate, type LogonForm } from '../../src/owa/logon-form';
import { decodeEntities, scanTags } from '../../src/owa/html-tags';

// The demo Exchange's own templates are read where they live, so the form reader is tested
// on exactly what the e2e tests meet; the 2007-shaped page is a fixture of ours.
const fixture = (name: string) =>
  readFileSync(name.startsWith('owa-') ? join(import.meta.dirname, '../demo/pages', name) : join(import.meta.dirname, 'fixtures', name), 'utf8').replaceAll('{{destination}}', 'https://mail.example.com/owa/').replaceAll(/\{\{\w+\}\}/g, '');

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
    const bare = readLogonForm('<form method="post" action="/owa/auth.owa"><input name="username"><input type="password" name="password"></form>', 'https://mail.example.com/owa/auth/logon.aspx') as LogonForm;
    expect(pageComputerChoice(bare)).toBe('none');
    expect(signInAsPrivate(bare, true)).toBe(true);
    // A page that hides flags=0 chose public itself.
    const hiddenPublic = readLogonForm(page2016.replace('name="flags" value="4"', 'name="flags" value="0"'), 'https://mail.example.com/owa/auth/logon.aspx') as LogonForm;
    expect(signInAsPrivate(hiddenPublic, true)).toBe(false);
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
    const alphabet = '<>/="\' aform input type=password!-';
    let seed = 7;
    for (let run = 0; run < 300; run++) {
      let html = '';
      for (let i = 0; i < 80; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        html += alphabet[seed % alphabet.length];
      }
      expect(() => readLogonForm(html, 'https://m.example.com/owa/auth/logon.aspx')).not.toThrow();
    }
  });
});
