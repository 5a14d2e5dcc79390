// Opening capture files in the Firefox build's panel page (dist/firefox in firefox-esr, over
// WebDriver BiDi, kept off the network as harness/firefox.ts says): the real Chromium capture of
// fixtures/demo-chromium.har and a cut-off copy, through the page's file input. The rows are
// checked against the HAR's own URLs and statuses, the FolderSync folders against libwbxml's
// wbxml2xml of the same bytes, the cut-off copy's message, and no error in Firefox's output;
// and a password-protected SAZ made by 7-Zip (helpers/locked-saz.ts), opened with its password.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FOLDER_SYNC_142 } from '../captures/helpers';
import { wbxml2xml } from '../integration/libwbxml';
import { launchFirefoxWithExtension, type FirefoxExtension } from './harness/firefox';
import { captureRows, clickRow, expectedRows, folderNames, leaves, wholeTreeText, type HarFile } from './helpers/capture-files';
import { expectNoPasswordIn, givePassword, lockedLine, SAZ_PASSWORD, writeLockedSaz } from './helpers/locked-saz';
import { screenshotPath, waitFor } from './helpers/owa-extension';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/demo-chromium.har');

let ff: FirefoxExtension;
let launchError: unknown = null;
let dir: string;
let cutPath: string;
let lockedPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'owa-capture-'));
  cutPath = join(dir, 'cut-off.har');
  const text = readFileSync(FIXTURE, 'utf8');
  writeFileSync(cutPath, text.slice(0, Math.floor(text.length * 0.6)));
  lockedPath = join(dir, 'locked.saz');
  writeLockedSaz(lockedPath);
  try {
    ff = await launchFirefoxWithExtension();
  } catch (error) {
    launchError = error;
  }
});

// No Firefox (or no build): the test fails with the reason rather than being skipped.
beforeEach(() => {
  if (launchError) throw launchError;
});

afterAll(async () => {
  await ff?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The Firefox build's panel page with `paths` chosen in its file input. */
async function openFiles(...paths: string[]): Promise<Page> {
  const panel = await ff.openPage('panel.html');
  await panel.setViewport({ width: 1280, height: 760 });
  await panel.waitForSelector('#open-capture');
  const input = await panel.$('input#capture-input');
  if (!input) throw new Error('no file input');
  await input.uploadFile(...paths);
  return panel;
}

describe('a capture opened in the panel page (Firefox build)', () => {
  it("lists Chromium's capture, decodes a body as libwbxml does, reports the cut-off copy, logs no error", async () => {
    const har = JSON.parse(readFileSync(FIXTURE, 'utf8')) as HarFile;
    const expected = expectedRows(har);
    const since = ff.output.length;
    const panel = await openFiles(FIXTURE, cutPath);

    await waitFor(async () => (await captureRows(panel)).length === expected.length, `${expected.length} rows`);
    expect((await captureRows(panel)).map((r) => ({ command: r.command, http: r.http, source: r.source }))).toEqual(
      expected.map((r) => ({ command: r.command, http: r.http, source: 'demo-chromium.har' })),
    );
    const cut = await waitFor(
      () => panel.$eval('.capture-file[data-file="cut-off.har"]', (el) => ((el as HTMLElement).dataset.state === 'reading' ? null : (el.textContent ?? ''))),
      'the cut-off file to be read',
    );
    expect(cut).toMatch(/file ends inside|JSON/i);
    // Both were read in the panel's capture worker (capture-worker.js), not in the page.
    expect(await panel.$$eval('.capture-file', (els) => els.map((el) => (el as HTMLElement).dataset.readIn))).toEqual(['worker', 'worker']);

    const folderSync = expected.findIndex((r) => r.command === 'FolderSync' && r.http === '200');
    await clickRow(panel, folderSync);
    await panel.waitForSelector('.detail .tree-row');
    const tree = await wholeTreeText(panel);
    const names = folderNames(wbxml2xml(expected[folderSync]!.responseBytes));
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(tree).toContain(`<DisplayName>${name}</DisplayName>`);
    await panel.screenshot({ path: screenshotPath('screenshots/firefox-panel-capture') });
    expect(ff.errorsSince(since)).toEqual([]);
    await panel.close();
  });

  it("opens a password-protected SAZ (7-Zip's WinZip AES-256) once given its password: Firefox's WebCrypto and the same form", async () => {
    const since = ff.output.length;
    const panel = await openFiles(lockedPath);
    const { line, field } = lockedLine('locked.saz');
    await panel.waitForSelector(field, { timeout: 15_000 });
    expect(await captureRows(panel)).toEqual([]);

    await givePassword(panel, 'locked.saz', 'not-the-password', 'button');
    const alert = await panel.waitForSelector(`${line} [role="alert"]`, { timeout: 15_000 });
    expect(await alert!.evaluate((el) => el.textContent)).toMatch(/^Wrong password/);
    await givePassword(panel, 'locked.saz', SAZ_PASSWORD, 'enter');
    await waitFor(async () => ((await captureRows(panel)).length === 3 ? true : undefined), "the SAZ's 3 rows");
    expect((await captureRows(panel)).map((r) => `${r.command} ${r.http} ${r.status.split(' ')[0]}`)).toEqual(['FolderSync 449 142', 'FolderSync 200 1', 'FolderSync 200 1']);
    await clickRow(panel, 0);
    await panel.waitForSelector('.detail .tree-row');
    expect(await wholeTreeText(panel)).toContain(leaves(wbxml2xml(FOLDER_SYNC_142))[0]);
    await expectNoPasswordIn(panel);
    expect(ff.errorsSince(since)).toEqual([]);
    await panel.close();
  });
});
