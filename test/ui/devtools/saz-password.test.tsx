// @vitest-environment happy-dom
// A password-protected SAZ opened in the panel page: its line asks for the password, a wrong one
// says so and asks again, the right one lists its exchanges; the other files stay as they were,
// and the password goes to the reader only (the field is emptied, nothing of it is shown).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, expect, it } from 'vitest';
import type { CaptureExchange, CaptureReadResult, ReadOptions } from '../../../src/captures/types';
import { App } from '../../../src/ui/devtools/App';
import { settle, waitUntil, useMountRoot } from '../setup-dom';

const RIGHT = 'right-Passw0rd';

function exchange(file: string, i: number): CaptureExchange {
  return {
    file,
    index: i + 1,
    format: file.endsWith('.saz') ? 'saz' : 'har',
    startedAt: Date.UTC(2026, 0, 5) + i,
    durationMs: 1,
    method: 'POST',
    url: 'https://mail.contoso.com/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=alice&DeviceId=PHONE1&DeviceType=iPhone',
    requestHeaders: [],
    responseHeaders: [],
    httpStatus: 200,
    httpStatusText: 'OK',
    request: { kind: 'empty' },
    response: { kind: 'empty' },
  };
}

let root: HTMLElement;
useMountRoot((el) => (root = el));
const passwords: Array<string | undefined> = [];

/** The SAZ reader's answers, by password: missing, wrong, or two exchanges. */
async function reader(file: string, _source: Blob, options: ReadOptions = {}): Promise<CaptureReadResult> {
  if (!file.endsWith('.saz')) return { file, format: 'har', exchanges: [exchange(file, 0)], otherRequests: 0, problems: [] };
  passwords.push(options.password);
  const result: CaptureReadResult = { file, format: 'saz', exchanges: [], otherRequests: 0, problems: [] };
  if (options.password === undefined) result.problems.push({ file, where: 'the whole file', message: 'needs a password', code: 'password-missing' });
  else if (options.password !== RIGHT) result.problems.push({ file, where: 'the whole file', message: 'wrong password', code: 'password-wrong' });
  else result.exchanges.push(exchange(file, 1), exchange(file, 2));
  return result;
}

beforeEach(() => {
  passwords.length = 0;
});

const rows = () => [...root.querySelectorAll<HTMLElement>('.list-row')].map((r) => r.dataset.source);
const line = () => root.querySelector<HTMLElement>('.capture-file[data-file="locked.saz"]')!;

async function submit(password: string): Promise<void> {
  const input = line().querySelector<HTMLInputElement>('input[type="password"]')!;
  input.value = password;
  await act(async () => {
    line()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    await settle();
  });
  expect(input.value).toBe('');
}

it('asks for the password of a locked SAZ, says a wrong one is wrong, and lists the exchanges with the right one', async () => {
  await act(async () => {
    render(<App api={null} background={null} readCapture={reader} />, root);
    await settle();
  });
  const input = root.querySelector<HTMLInputElement>('#capture-input')!;
  Object.defineProperty(input, 'files', { value: [new File(['x'], 'locked.saz'), new File(['y'], 'phone.har')], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change'));
    await settle();
  });
  await waitUntil(() => root.querySelectorAll('.capture-file[data-state="read"]').length === 2, 'both files read');
  expect(line().textContent).toContain('Password-protected SAZ: type its password to open it.');
  expect(line().querySelector('input[type="password"]')?.getAttribute('aria-label')).toBe('Password of locked.saz');
  // The reader's own words are the form's; no problem line repeats them.
  expect(line().querySelector('.problems')).toBeNull();
  expect(rows()).toEqual(['phone.har']);

  await submit('guess');
  await waitUntil(() => line().dataset.state === 'read' && line().textContent!.includes('Wrong password'), 'the wrong password said');
  expect(line().querySelector('[role="alert"]')?.textContent).toBe('Wrong password: nothing in the file could be decrypted with it. Try again.');
  expect(rows()).toEqual(['phone.har']);

  await submit(RIGHT);
  await waitUntil(() => rows().length === 3, 'the SAZ rows');
  expect(line().querySelector('form')).toBeNull();
  expect(line().textContent).toContain('2 ActiveSync exchanges (saz)');
  expect(rows().sort()).toEqual(['locked.saz', 'locked.saz', 'phone.har']);
  expect(passwords).toEqual([undefined, 'guess', RIGHT]);
  expect(root.innerHTML).not.toContain(RIGHT);
});
