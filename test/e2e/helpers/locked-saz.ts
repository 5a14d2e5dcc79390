// A password-protected Fiddler SAZ for the panel tests of both browsers: the sessions of
// test/captures/saz-fixture.ts (three FolderSyncs, the first answered 449 / Status 142) with
// their timers, encrypted by a real tool (7-Zip's 7zz, WinZip AES-256, as Fiddler's DotNetZip
// writes one; test/integration/helpers/encrypted-saz.ts), and the steps of unlocking it there.
import { writeFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { meta, saz } from '../../captures/saz-fixture';
import { encryptedSaz } from '../../integration/helpers/encrypted-saz';

export const SAZ_PASSWORD = 'Fiddler-Saz-2024!';

/** Writes the locked SAZ to `path`. */
export function writeLockedSaz(path: string): void {
  const files = {
    ...saz(),
    'raw/03_m.xml': meta(3, '2013-05-01T10:00:01.0000000+02:00', '2013-05-01T10:00:01.2000000+02:00'),
    'raw/04_m.xml': meta(4, '2013-05-01T10:00:02.0000000+02:00', '2013-05-01T10:00:02.2000000+02:00'),
  };
  writeFileSync(path, encryptedSaz(files, 'AES256', SAZ_PASSWORD));
}

/** The file's line in the panel, and its password field once the panel asks. */
export function lockedLine(name: string): { line: string; field: string } {
  const line = `.capture-file[data-file="${name}"]`;
  return { line, field: `${line} input[type="password"]` };
}

/** Types `password` into the file's form and sends it: with Enter, or with the button. */
export async function givePassword(panel: Page, name: string, password: string, how: 'enter' | 'button'): Promise<void> {
  const { line, field } = lockedLine(name);
  await panel.type(field, password);
  if (how === 'enter') await panel.keyboard.press('Enter');
  else await panel.click(`${line} button[type="submit"]`);
}

/** The panel's text holds no trace of the password. */
export async function expectNoPasswordIn(panel: Page): Promise<void> {
  expect(await panel.content()).not.toContain(SAZ_PASSWORD);
}
