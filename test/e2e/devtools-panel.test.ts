// The real DevTools panel in Debian's Chromium (shared/notes/browser-testing.md): DevTools is
// opened on a tab of the demo Exchange, the extension's ActiveSync panel is shown, the tab signs
// in to OWA and makes ActiveSync requests (bodies encoded with our codec), and the panel lists
// them with command, HTTP status, protocol Status and its meaning, and decodes their bodies.
// The extension (the shipped build; the demo's host allowed as a user does, helpers/grant.ts)
// watches the demo origin, so the
// panel's session timeline is the background's: the tab's sign-in and 440 as the worker recorded
// them (once each), and its own sign-in after the 440, which DevTools never sees. Screenshots go
// to test-results/screenshots/.
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoExchange, type DemoExchange } from '../demo';
import { encodeXml } from '../../src/wbxml';
import type { UiMessage } from '../../src/messages/protocol';
import { launchWithExtension, type ExtensionBrowser } from './harness/chromium';
import { grantOriginLikeAUser } from './helpers/grant';
import { Control, screenshotPath, waitFor } from './helpers/owa-extension';
import { expectSignInAfter440, expectSignInByHand, SHOWN_EVENTS_SELECTOR, showsSignInAfter440, showsSignInByHand, type Shown } from './helpers/panel-timeline';

const PANEL_TITLE = 'ActiveSync';
const AUTH = `Basic ${Buffer.from('alice:Demo-Passw0rd').toString('base64')}`;
const DEVICE = 'Cmd={cmd}&User=alice&DeviceId=PANELTEST01&DeviceType=OWAInspector';

let ext: ExtensionBrowser;
let demo: DemoExchange;
let page: Page;
let devtools: Page;
let panel: Frame;

/** One ActiveSync request from the inspected page itself, as a client script would make it. */
async function eas(cmd: string, options: { policyKey?: string; body?: Uint8Array; method?: string } = {}): Promise<{ status: number; body: number[] }> {
  const url = options.method === 'OPTIONS' ? '/Microsoft-Server-ActiveSync' : `/Microsoft-Server-ActiveSync?${DEVICE.replace('{cmd}', cmd)}`;
  const headers: Record<string, string> = { Authorization: AUTH, 'MS-ASProtocolVersion': '14.1' };
  if (options.policyKey !== undefined) headers['X-MS-PolicyKey'] = options.policyKey;
  if (options.body) headers['Content-Type'] = 'application/vnd.ms-sync.wbxml';
  return page.evaluate(
    async (u, method, h, body) => {
      const response = await fetch(u, { method, headers: h, ...(body ? { body: new Uint8Array(body) } : {}) });
      return { status: response.status, body: Array.from(new Uint8Array(await response.arrayBuffer())) };
    },
    url,
    options.method ?? 'POST',
    headers,
    options.body ? Array.from(options.body) : null,
  );
}

/** The policy key in a Provision response (read with our codec from the bytes the page got). */
async function policyKeyOf(bytes: number[]): Promise<string> {
  const { decode, findPath, textOf } = await import('../../src/wbxml');
  const key = findPath(decode(Uint8Array.from(bytes)).root, 'Policies/Policy/PolicyKey');
  if (!key) throw new Error('no PolicyKey in the Provision response');
  return textOf(key);
}

const provisionRequest = (key?: string): Uint8Array =>
  encodeXml(
    `<Provision xmlns="Provision:" xmlns:settings="Settings:"><settings:DeviceInformation><settings:Set><settings:Model>Panel test</settings:Model><settings:FriendlyName>Büro-Telefon</settings:FriendlyName></settings:Set></settings:DeviceInformation><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>${
      key ? `<PolicyKey>${key}</PolicyKey><Status>1</Status>` : ''
    }</Policy></Policies></Provision>`,
  );

interface Row {
  command: string;
  http: string;
  status: string;
  statusTitle: string;
}

const rows = (): Promise<Row[]> =>
  panel.$$eval('.list-row', (els) =>
    els
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((el) => ({
        command: el.querySelector('.command')?.textContent ?? '',
        http: el.querySelector('.http')?.textContent ?? '',
        status: el.querySelector('.status')?.textContent ?? '',
        statusTitle: el.querySelector('.status')?.getAttribute('title') ?? '',
      })),
  );

const treeText = (): Promise<string[]> =>
  panel.$$eval('.tree-row', (els) => els.sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top)).map((el) => el.textContent ?? ''));

const eventsShown = (): Promise<Shown[]> =>
  panel.$$eval(SHOWN_EVENTS_SELECTOR, (els) =>
    els.map((el) => ({ kind: (el as HTMLElement).dataset.kind ?? '', source: (el as HTMLElement).dataset.source ?? '', text: el.textContent ?? '' })),
  );

beforeAll(async () => {
  demo = await startDemoExchange({ generation: '2010', activesync: true });
  ext = await launchWithExtension({ devtools: true });
  page = await ext.browser.newPage();
  await page.goto(`${demo.origin}/owa/`);
  devtools = await page.openDevTools();
  const extensionOrigin = `chrome-extension://${ext.extensionId}`;
  // The extension's devtools page registers the panel a moment after DevTools opens.
  await waitFor(() => devtools.frames().find((f) => f.url().startsWith(`${extensionOrigin}/devtools.html`)), 'the extension devtools page');
  // showPanel() of a panel the devtools page has not registered yet only logs an error and
  // returns, so ask again until the panel's frame exists (seen on a loaded CI machine).
  panel = await waitFor(
    async () => {
      const frame = devtools.frames().find((f) => f.url() === `${extensionOrigin}/panel.html`);
      if (frame) return frame;
      // An internal DevTools module (the fallback test does not depend on it). A string, so that
      // the test runner does not rewrite the dynamic import.
      await devtools.evaluate(`(async () => {
      const legacy = await import('./ui/legacy/legacy.js');
      try {
        // Its own window, so the panel has the room it has on a desktop.
        legacy.DockController.DockController.instance().setDockSide('undocked');
        await legacy.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(extensionOrigin + PANEL_TITLE)});
      } catch {
        // Not ready yet: asked again on the next round.
      }
    })()`);
      return devtools.frames().find((f) => f.url() === `${extensionOrigin}/panel.html`);
    },
    'the panel frame',
    40_000,
  );
  await devtools.setViewport({ width: 1360, height: 820 });
  await panel.waitForSelector('.app .request-list');
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await demo?.close();
});

describe('the DevTools panel, for real', () => {
  it("shows the background's session timeline: the tab's sign-in, the 440 once, the extension's own sign-in", async () => {
    // The user lets OWA Inspector watch the demo and sign in again by itself.
    await grantOriginLikeAUser(ext, demo.origin);
    for (const message of [
      { type: 'ui-bg-watch-origin', origin: demo.origin },
      { type: 'ui-bg-set-settings', origin: demo.origin, settings: { autoRelogin: true } },
      { type: 'ui-bg-set-credentials', origin: demo.origin, username: 'CONTOSO\\alice', password: 'Demo-Passw0rd', remember: false },
    ] satisfies UiMessage[]) {
      // Sent by the panel itself, an extension page.
      expect(await new Control(panel).send(message)).toEqual({ type: 'bg-ui-ok' });
    }

    // Opening OWA without a session: 302 to the logon page (reason=0); then a sign-in by hand.
    await page.goto(`${demo.origin}/owa/`);
    await page.type('#username', 'CONTOSO\\alice');
    await page.type('#password', 'Demo-Passw0rd');
    await Promise.all([page.waitForNavigation(), page.click('#signInButton')]);
    await page.waitForSelector('#serviceStatus[data-state=ok]', { timeout: 10_000 });
    // The background saw the same traffic (webRequest, the cookies API) and keeps the timeline:
    // the panel shows its events, and none of the tab's twice.
    const signedIn = await waitFor(async () => {
      const shown = await eventsShown();
      return showsSignInByHand(shown) ? shown : undefined;
    }, 'the sign-in on the background timeline');
    expectSignInByHand(signedIn);
    expect(await panel.$eval('.timeline .origin', (el) => el.textContent)).toBe(demo.origin);
    expect(await panel.$eval('.timeline .source-note', (el) => el.textContent)).toContain("OWA Inspector's session timeline");

    // The session ends on the server: the mailbox's next service call gets 440, and the
    // extension signs in again from its worker (traffic DevTools never sees).
    demo.expireSessions();
    await page.click('#refreshButton');
    const events = await waitFor(
      async () => {
        const shown = await eventsShown();
        return showsSignInAfter440(shown) ? shown : undefined;
      },
      'the 440 and the extension signing in again',
      20_000,
    );
    expectSignInAfter440(events);
    await devtools.screenshot({ path: screenshotPath('screenshots/panel-timeline') });
  });

  it('lists the ActiveSync requests the page makes: command, HTTP status, protocol Status and its meaning', async () => {
    expect((await eas('', { method: 'OPTIONS' })).status).toBe(200);
    expect((await eas('FolderSync', { policyKey: '0', body: encodeXml('<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>') })).status).toBe(449);
    const phase1 = await eas('Provision', { policyKey: '0', body: provisionRequest() });
    expect(phase1.status).toBe(200);
    const temporary = await policyKeyOf(phase1.body);
    const phase2 = await eas('Provision', { policyKey: temporary, body: provisionRequest(temporary) });
    const final = await policyKeyOf(phase2.body);
    const folders = await eas('FolderSync', { policyKey: final, body: encodeXml('<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>') });
    expect(folders.status).toBe(200);

    const listed = await waitFor(async () => {
      const r = await rows();
      return r.length === 5 && r.every((row) => row.status !== '…') ? r : undefined;
    }, 'five requests with their statuses');
    expect(listed.map((r) => [r.command, r.http])).toEqual([
      ['OPTIONS', '200'],
      ['FolderSync', '449'],
      ['Provision', '200'],
      ['Provision', '200'],
      ['FolderSync', '200'],
    ]);
    expect(listed[1]!.status).toBe('142 DeviceNotProvisioned');
    expect(listed[1]!.statusTitle).toMatch(/^142 DeviceNotProvisioned: .+/);
    expect(listed[2]!.status).toBe('1 Success');
    expect(listed[2]!.statusTitle).toBe('1 Success: The Provision command succeeded.');
    expect(listed[4]!.status).toBe('1 Success');

    // Filter by command.
    await panel.select('select[aria-label="Filter by command"]', 'Provision');
    await waitFor(async () => ((await rows()).length === 2 ? true : undefined), 'the filtered list');
    await panel.select('select[aria-label="Filter by command"]', '');
    await waitFor(async () => ((await rows()).length === 5 ? true : undefined), 'the whole list');
    await devtools.screenshot({ path: screenshotPath('screenshots/panel-list') });
  });

  it('shows the decoded XML of a response and of its request', async () => {
    const last = await panel.$$('.list-row');
    // The last FolderSync: rows are absolutely placed; click the lowest.
    const tops = await Promise.all(last.map((el) => el.evaluate((e) => parseFloat((e as HTMLElement).style.top))));
    await last[tops.indexOf(Math.max(...tops))]!.click();
    const response = await waitFor(async () => {
      const text = await treeText();
      return text.some((t) => t.includes('Inbox')) ? text : undefined;
    }, 'the response tree');
    expect(response[0]).toBe('▾<FolderSync xmlns="FolderHierarchy:">');
    expect(response).toContain('<Status>1</Status>');
    expect(response).toContain('<DisplayName>Inbox</DisplayName>');
    expect(await panel.$eval('.protocol-status', (el) => el.textContent)).toContain('1 Success');
    await devtools.screenshot({ path: screenshotPath('screenshots/panel-detail') });

    // Copying works inside DevTools (where navigator.clipboard is often refused).
    await panel.click('.detail-actions button');
    const message = await waitFor(async () => (await panel.$eval('.toolbar .message', (el) => el.textContent)) || undefined, 'the copy message');
    expect(message).toBe('curl command copied (without password and cookies)');

    await panel.click('#tab-request');
    const request = await waitFor(async () => {
      const text = await treeText();
      return text.some((t) => t.includes('SyncKey')) ? text : undefined;
    }, 'the request tree');
    expect(request).toEqual(['▾<FolderSync xmlns="FolderHierarchy:">', '<SyncKey>0</SyncKey>']);

    // A Provision request with UTF-8 text (Büro) comes through Chrome intact.
    await panel.click('#tab-response');
    await panel.focus('.list-body');
    await devtools.keyboard.press('ArrowUp');
    await panel.click('#tab-request');
    const provision = await waitFor(async () => {
      const text = await treeText();
      return text.some((t) => t.includes('FriendlyName')) ? text : undefined;
    }, 'the Provision request');
    expect(provision).toContain('<settings:FriendlyName>Büro-Telefon</settings:FriendlyName>');
    expect(provision).toContain('<PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>');
  });

  it('shows a binary request body exactly up to 64 KiB, and says so when Chrome lost bytes above', async () => {
    /** A Ping holding OPAQUE bytes that are not UTF-8 (so Chrome cannot pass them as UTF-8 text). */
    const pingWithOpaque = (length: number): Uint8Array => {
      const mb: number[] = [];
      for (let v = length; ; v >>>= 7) {
        mb.unshift((v & 0x7f) | (mb.length > 0 ? 0x80 : 0));
        if (v < 0x80) break;
      }
      const head = [0x03, 0x01, 0x6a, 0x00, 0x00, 0x0d, 0x45, 0xc3, ...mb];
      const body = new Uint8Array(head.length + length + 1);
      body.set(head);
      for (let i = 0; i < length; i++) body[head.length + i] = (i * 7 + 0x80) & 0xff;
      body[body.length - 1] = 0x01;
      return body;
    };
    const showRequestOfLastRow = async (): Promise<void> => {
      await panel.focus('.list-body');
      await devtools.keyboard.press('End');
      await panel.click('#tab-request');
    };

    // 30,000 bytes: Chrome passes one character per byte; the panel gets every byte back.
    await eas('Ping', { policyKey: '0', body: pingWithOpaque(30_000) });
    await waitFor(async () => ((await rows()).filter((r) => r.command === 'Ping').length === 1 ? true : undefined), 'the first Ping row');
    await showRequestOfLastRow();
    const tree = await waitFor(async () => {
      const text = await treeText();
      return text[0]?.startsWith('<Ping') ? text : undefined;
    }, 'the Ping request tree');
    expect(tree[0]).toMatch(/^<Ping xmlns="Ping:">80 87 8e 95 .*hex, 30000 bytes<\/Ping>$/);

    // 100,000 bytes: Chrome passes text with U+FFFD; the panel says it cannot show the body.
    await eas('Ping', { policyKey: '0', body: pingWithOpaque(100_000) });
    await waitFor(async () => ((await rows()).filter((r) => r.command === 'Ping').length === 2 ? true : undefined), 'the second Ping row');
    await showRequestOfLastRow();
    const note = await panel.waitForSelector('.tabpanel .note.warn', { timeout: 10_000 });
    expect(await note!.evaluate((el) => el.textContent)).toContain('lost bytes');
    await panel.click('#tab-response');
  });

  it('decodes WBXML pasted into the decode box', async () => {
    await panel.click('.view-switch button:last-child');
    const hex = Buffer.from(encodeXml('<Ping xmlns="Ping:"><Status>2</Status><Folders><Folder>7</Folder></Folders></Ping>')).toString('hex').replace(/(..)/g, '$1 ');
    await panel.type('#decode-text', hex);
    const text = await waitFor(async () => {
      const t = await treeText();
      return t.length >= 4 ? t : undefined;
    }, 'the decoded tree');
    expect(text).toEqual(['▾<Ping xmlns="Ping:">', '<Status>2</Status>', '▾<Folders>', '<Folder>7</Folder>']);
    await devtools.screenshot({ path: screenshotPath('screenshots/panel-decode') });
    await panel.click('.view-switch button:first-child');
  });

  it('follows new requests once scrolled to the end of a list longer than the panel', async () => {
    const list = await panel.$eval('.list-body', (el) => ({ count: Number((el as HTMLElement).dataset.rowCount), height: el.clientHeight }));
    // Enough OPTIONS requests for the list to be taller than its box.
    const more = Math.ceil(list.height / 24) + 5;
    for (let i = 0; i < more; i++) expect((await eas('', { method: 'OPTIONS' })).status).toBe(200);
    const count = list.count + more;
    await waitFor(async () => ((await panel.$eval('.list-body', (el) => Number((el as HTMLElement).dataset.rowCount))) === count ? true : undefined), `${count} rows`);
    const position = () => panel.$eval('.list-body', (el) => ({ top: el.scrollTop, bottom: el.scrollTop + el.clientHeight, height: el.scrollHeight }));
    // Not scrolled by the user: the list stays at its first row.
    expect((await position()).top).toBe(0);
    await panel.$eval('.list-body', (el) => el.scrollTo({ top: el.scrollHeight }));
    await waitFor(async () => ((await position()).bottom >= (await position()).height - 1 ? true : undefined), 'the list at its end');
    expect((await eas('', { method: 'OPTIONS' })).status).toBe(200);
    expect((await eas('', { method: 'OPTIONS' })).status).toBe(200);
    const followed = await waitFor(async () => {
      const p = await position();
      return p.height === (count + 2) * 24 && p.bottom >= p.height - 1 ? p : undefined;
    }, 'the two new rows scrolled into view');
    expect(followed.top).toBeGreaterThan(0);
    // The newest row is rendered where the user sees it.
    const last = await panel.$$eval('.list-row', (els) => Math.max(...els.map((el) => parseFloat((el as HTMLElement).style.top))));
    expect(last).toBe((count + 1) * 24);
  });
});
