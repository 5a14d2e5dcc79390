// A password-protected Fiddler SAZ opened in the panel page of the shipped build (dist/chrome)
// in Debian's Chromium. The SAZ is made by a real tool (7-Zip's 7zz, WinZip AES-256, as Fiddler's
// DotNetZip writes one; test/integration/helpers/encrypted-saz.ts) from the sessions of
// test/captures/saz-fixture.ts, opened beside an Exchange mailbox log. The file's line asks for
// the password; a wrong one says so and asks again while the log's rows stay; the right one
// lists the SAZ's exchanges, their Status and bodies as libwbxml's wbxml2xml reads the bytes put
// in. The password is in no extension storage afterwards.
// Screenshots: test-results/screenshots/panel-saz-password.png, panel-saz-password-wrong.png.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLDER_SYNC_142 } from '../captures/helpers';
import { wbxml2xml } from '../integration/libwbxml';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { captureRows, openPanelTab, clickRow, leaves, wholeTreeText } from './helpers/capture-files';
import { expectNoPasswordIn, givePassword, lockedLine, SAZ_PASSWORD, writeLockedSaz } from './helpers/locked-saz';
import { screenshotPath, waitFor } from './helpers/owa-extension';

const CAPTURES = resolve(import.meta.dirname, '../../test-results/captures');
const MAILBOX_LOG = resolve(import.meta.dirname, '../captures/fixtures/mailbox-log-2013.txt');

let ext: ExtensionBrowser;
let sazPath: string;

beforeAll(async () => {
  mkdirSync(CAPTURES, { recursive: true });
  sazPath = join(CAPTURES, 'locked.saz');
  writeLockedSaz(sazPath);
  ext = await launchWithExtension();
}, 60_000);

afterAll(async () => {
  await ext?.close();
});

describe('a password-protected SAZ in the panel page (shipped build, Chromium)', () => {
  it('asks for the password, says a wrong one is wrong, then lists the exchanges', async () => {
    const panel = await openPanelTab(ext);
    const input = await panel.$('input#capture-input');
    if (!input) throw new Error('no file input');
    await input.uploadFile(sazPath, MAILBOX_LOG);
    const { line, field } = lockedLine('locked.saz');
    await panel.waitForSelector(field, { timeout: 15_000 });
    await waitFor(async () => (await captureRows(panel)).length === 4, "the mailbox log's 4 rows");
    expect(await panel.$eval(line, (el) => el.textContent ?? '')).toContain('Password-protected SAZ: type its password to open it.');
    expect(await panel.$eval(field, (el) => el.getAttribute('aria-label'))).toBe('Password of locked.saz');

    // A wrong password: said on the file's line, the form again, the log's rows kept.
    await givePassword(panel, 'locked.saz', 'not-the-password', 'button');
    const alert = await panel.waitForSelector(`${line} [role="alert"]`, { timeout: 15_000 });
    expect(await alert!.evaluate((el) => el.textContent)).toBe('Wrong password: nothing in the file could be decrypted with it. Try again.');
    expect(await panel.$eval(field, (el) => (el as HTMLInputElement).value)).toBe('');
    expect((await captureRows(panel)).map((r) => r.source)).toEqual(Array(4).fill('mailbox-log-2013.txt'));
    await panel.screenshot({ path: screenshotPath('screenshots/panel-saz-password-wrong') });

    // The right one, with Enter: the SAZ's three FolderSyncs before the log's rows (May 2013).
    await givePassword(panel, 'locked.saz', SAZ_PASSWORD, 'enter');
    await waitFor(async () => (await captureRows(panel)).length === 7, '7 rows');
    expect(await panel.$(`${line} form`)).toBeNull();
    expect(await panel.$eval(line, (el) => el.textContent ?? '')).toContain('3 ActiveSync exchanges (saz)');
    const rows = await captureRows(panel);
    expect(rows.slice(0, 3).map((r) => `${r.source} ${r.command} ${r.http} ${r.status.split(' ')[0]}`)).toEqual([
      'locked.saz FolderSync 449 142',
      'locked.saz FolderSync 200 1',
      'locked.saz FolderSync 200 1',
    ]);
    expect(rows.slice(3).map((r) => r.source)).toEqual(Array(4).fill('mailbox-log-2013.txt'));

    // The 449's body as libwbxml reads the bytes put in the SAZ.
    await clickRow(panel, 0);
    await panel.waitForSelector('.detail .tree-row');
    const expected = leaves(wbxml2xml(FOLDER_SYNC_142));
    expect(expected).toEqual(['<Status>142</Status>']);
    const tree = await wholeTreeText(panel);
    for (const leaf of expected) expect(tree).toContain(leaf);
    await panel.screenshot({ path: screenshotPath('screenshots/panel-saz-password') });

    // Nothing of the password was kept by the extension.
    const stored = await panel.evaluate(async () => {
      const local = await chrome.storage.local.get(null);
      const session = await chrome.storage.session.get(null);
      return JSON.stringify([local, session]);
    });
    expect(stored).not.toContain(SAZ_PASSWORD);
    await expectNoPasswordIn(panel);
    await panel.close();
  });
});
