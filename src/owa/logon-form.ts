// Reading the forms-logon form from the logon page and building the POST a browser would
// send, filling in only username, password, flags and trusted. Every other input keeps the
// value the server put there (davmail and Evolution do the same): the server may add hidden
// inputs we do not know about.
import { scanTags } from './html-tags';
import { generationFromLogonAction, LOGON_POST_PATHS, type Generation } from './generation';
import { isSafeForCredentials, sameOrigin } from './origin';

export interface FormField {
  name: string;
  value: string;
  /** Lower-case input type ("hidden", "text", "password", "checkbox", "radio", "submit", …). */
  type: string;
  checked: boolean;
}

export interface LogonForm {
  /** Absolute URL the form posts to. */
  action: string;
  method: 'POST' | 'GET';
  fields: FormField[];
  usernameField: string;
  passwordField: string;
  generation: Generation;
}

export type FormReadError = { error: 'no-form' } | { error: 'not-post' } | { error: 'foreign-action'; action: string } | { error: 'insecure-action'; action: string };

interface RawForm {
  action: string | null;
  method: string;
  fields: FormField[];
}

function collectForms(html: string): RawForm[] {
  const forms: RawForm[] = [];
  let current: RawForm | null = null;
  let select: { name: string; first: string | null; selected: string | null } | null = null;
  for (const tag of scanTags(html)) {
    if (tag.name === 'form') {
      if (tag.closing) {
        if (current) forms.push(current);
        current = null;
      } else if (!current) {
        // Nested <form> tags are ignored by browsers; so are we.
        current = { action: tag.attrs.get('action') ?? null, method: (tag.attrs.get('method') ?? 'get').toUpperCase(), fields: [] };
      }
      continue;
    }
    if (!current) continue;
    if (tag.name === 'select') {
      if (tag.closing && select) {
        const value = select.selected ?? select.first;
        if (value !== null) current.fields.push({ name: select.name, value, type: 'select', checked: true });
        select = null;
      } else if (!tag.closing) {
        const name = tag.attrs.get('name');
        select = name && !tag.attrs.has('disabled') ? { name, first: null, selected: null } : null;
      }
      continue;
    }
    if (tag.name === 'option' && !tag.closing && select) {
      const value = tag.attrs.get('value') ?? '';
      if (select.first === null) select.first = value;
      if (tag.attrs.has('selected') && select.selected === null) select.selected = value;
      continue;
    }
    if ((tag.name === 'input' || tag.name === 'button') && !tag.closing) {
      const name = tag.attrs.get('name');
      if (!name || tag.attrs.has('disabled')) continue;
      const type = (tag.attrs.get('type') ?? (tag.name === 'button' ? 'submit' : 'text')).toLowerCase();
      current.fields.push({ name, value: tag.attrs.get('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''), type, checked: tag.attrs.has('checked') });
    }
  }
  if (current) forms.push(current); // an unclosed form runs to the end of the document
  return forms;
}

/**
 * Reads the logon form from the page at `pageUrl`. Picks the form that has a password input
 * (OWA pages also carry a language form). The action must be on the page's origin and safe
 * for a password (HTTPS, or HTTP on loopback): anything else is refused, never posted.
 */
export function readLogonForm(html: string, pageUrl: string): LogonForm | FormReadError {
  const forms = collectForms(html);
  const form = forms.find((f) => f.fields.some((field) => field.type === 'password'));
  if (!form) return { error: 'no-form' };
  if (form.method !== 'POST') return { error: 'not-post' };
  let action: string;
  try {
    // An empty or missing action posts back to the page itself.
    action = new URL(form.action || pageUrl, pageUrl).href;
  } catch {
    return { error: 'no-form' };
  }
  if (!sameOrigin(action, pageUrl)) return { error: 'foreign-action', action };
  if (!isSafeForCredentials(action)) return { error: 'insecure-action', action };
  const password = form.fields.find((f) => f.type === 'password')!;
  const username = form.fields.find((f) => f.name.toLowerCase() === 'username') ?? form.fields.find((f) => (f.type === 'text' || f.type === 'email') && f.name !== password.name);
  if (!username) return { error: 'no-form' };
  return {
    action,
    method: 'POST',
    fields: form.fields,
    usernameField: username.name,
    passwordField: password.name,
    generation: generationFromLogonAction(action),
  };
}

export function isFormReadError(value: LogonForm | FormReadError): value is FormReadError {
  return 'error' in value;
}

/**
 * The form a server of this generation is documented to expect, for when its logon page
 * cannot be read. Reading the real form is always tried first.
 */
export function fallbackLogonForm(origin: string, generation: Exclude<Generation, 'unknown'>, destination: string): LogonForm {
  const hidden = (name: string, value: string): FormField => ({ name, value, type: 'hidden', checked: false });
  const fields: FormField[] = [hidden('destination', destination), hidden('flags', '0')];
  if (generation === '2010+') fields.push(hidden('forcedownlevel', '0'));
  fields.push({ name: 'username', value: '', type: 'text', checked: false });
  fields.push({ name: 'password', value: '', type: 'password', checked: false });
  if (generation === '2010+') fields.push(hidden('passwordText', ''), hidden('isUtf8', '1'));
  else fields.push(hidden('trusted', '0'));
  if (generation === '2003') fields.push({ name: 'SubmitCreds', value: 'Log On', type: 'submit', checked: false });
  return {
    action: new URL(LOGON_POST_PATHS[generation], origin).href,
    method: 'POST',
    fields,
    usernameField: 'username',
    passwordField: 'password',
    generation,
  };
}

export interface LogonInput {
  username: string;
  password: string;
  privateComputer: boolean;
  /** Where to go after the sign-in, used only when the form has no destination of its own. */
  destination: string;
}

/** `flags` bit 4 marks a private computer; `trusted=4` says the same to 2003/2007. */
const PRIVATE_FLAG = 4;

/**
 * What the logon page itself says about public or private: `offered` when the user may choose
 * (a `trusted` radio pair or checkbox, as 2003 to 2013 RTM show), else the hidden `flags` the
 * page set (Exchange 2013 SP1 and later: no choice, hidden `flags=4`, a private session), else
 * `none` (nothing on the page: the extension's setting decides).
 */
export function pageComputerChoice(form: LogonForm): 'offered' | 'private' | 'public' | 'none' {
  if (form.fields.some((f) => f.name.toLowerCase() === 'trusted' && f.type !== 'hidden')) return 'offered';
  const flags = form.fields.find((f) => f.name.toLowerCase() === 'flags');
  if (!flags) return 'none';
  const value = Number.parseInt(flags.value, 10);
  return Number.isFinite(value) && value & PRIVATE_FLAG ? 'private' : 'public';
}

/** Public or private, as a person chose it on a logon page. */
export type ComputerChoice = 'private' | 'public';

/**
 * The public/private choice a logon POST carried, from its form fields (as webRequest hands
 * them over, each name with its values; a lone string is taken as one value): `trusted` where the page posts the radio itself (2003,
 * 2007: 4 private, 0 public), else bit 4 of `flags`, into which the 2010+ page's script copies
 * the radio before posting. `null` when the POST says neither. Only these two fields are read.
 */
export function computerChoiceOfPost(fields: Readonly<Record<string, unknown>>): ComputerChoice | null {
  const field = (name: string): unknown => {
    const values = Object.entries(fields).find(([key]) => key.toLowerCase() === name)?.[1];
    return Array.isArray(values) ? values[0] : values;
  };
  for (const name of ['trusted', 'flags']) {
    const text = field(name);
    const value = typeof text === 'string' ? Number.parseInt(text, 10) : Number.NaN;
    if (Number.isFinite(value) && value >= 0) return value & PRIVATE_FLAG ? 'private' : 'public';
  }
  return null;
}

/**
 * Whether to sign in as on a private computer: the page's own choice where it made one (an
 * automatic sign-in must not turn an 8-hour private session into a 15-minute public one); where
 * the page offers the choice, the one the user made on the last sign-in by hand; the extension's
 * setting only where the page offers a choice the user never made, or says nothing.
 */
export function signInAsPrivate(form: LogonForm, settingPrivate: boolean, chosenByHand: ComputerChoice | null = null): boolean {
  const choice = pageComputerChoice(form);
  if (choice === 'private' || choice === 'public') return choice === 'private';
  if (choice === 'offered' && chosenByHand) return chosenByHand === 'private';
  return settingPrivate;
}

/**
 * The urlencoded body a browser would post, with only the credential fields and the
 * private-computer choice filled in. Field order follows the form.
 */
export function buildLogonBody(form: LogonForm, input: LogonInput): string {
  const body = new URLSearchParams();
  let sawFlags = false;
  let sawTrusted = false;
  let sawSubmit = false;
  const trustedValue = input.privateComputer ? String(PRIVATE_FLAG) : '0';
  for (const field of form.fields) {
    const lower = field.name.toLowerCase();
    if (field.name === form.usernameField) {
      body.append(field.name, input.username);
    } else if (field.name === form.passwordField) {
      body.append(field.name, input.password);
    } else if (lower === 'flags') {
      if (sawFlags) continue;
      sawFlags = true;
      const current = Number.parseInt(field.value, 10);
      const base = Number.isFinite(current) && current >= 0 ? current : 0;
      body.append(field.name, String(input.privateComputer ? base | PRIVATE_FLAG : base & ~PRIVATE_FLAG));
    } else if (lower === 'trusted') {
      // A radio pair (public 0 / private 4) or a checkbox: send our choice once.
      if (sawTrusted) continue;
      sawTrusted = true;
      if (field.type === 'checkbox' && !input.privateComputer) continue;
      body.append(field.name, trustedValue);
    } else if (lower === 'destination' && field.value === '') {
      body.append(field.name, input.destination);
    } else if (field.type === 'submit' || field.type === 'image') {
      // Browsers send the name of the button that was clicked: the first one.
      if (sawSubmit) continue;
      sawSubmit = true;
      body.append(field.name, field.value);
    } else if (field.type === 'checkbox' || field.type === 'radio') {
      if (field.checked) body.append(field.name, field.value);
    } else if (field.type === 'reset' || field.type === 'button' || field.type === 'file') {
      continue;
    } else {
      body.append(field.name, field.value);
    }
  }
  if (!sawFlags) body.append('flags', input.privateComputer ? String(PRIVATE_FLAG) : '0');
  if (!sawTrusted && (form.generation === '2003' || form.generation === '2007')) body.append('trusted', trustedValue);
  return body.toString();
}
