// @vitest-environment happy-dom
// The panel's session timeline against a mock connector and a stand-in for chrome.devtools: it
// subscribes to the background's timeline of the inspected origin and shows it, adds only what
// the tab's traffic showed and the background did not record, and infers nothing itself.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/messages/protocol';
import { MockConnector } from '../../../src/ui/connect/mock';
import { App } from '../../../src/ui/devtools/App';
import { stubDevtools } from './stub-devtools';
import { sessionView, settle, useMountRoot } from '../setup-dom';
import { literal, msg } from '../../../src/shared/words';

const ORIGIN = 'https://mail.contoso.com';
const T0 = Date.parse('2026-03-02T10:00:00.000Z');

/** The stub DevTools, with requests finished by method, path, status and time. */
function stubDevtoolsAt(origin: string) {
  const stub = stubDevtools(origin);
  const finish = (method: string, path: string, status: number, at: number, headers: Array<[string, string]> = []): void =>
    stub.finish({
      startedDateTime: new Date(at).toISOString(),
      time: 0,
      request: { method, url: `${origin}${path}`, headers: [] },
      response: { status, statusText: '', headers: headers.map(([name, value]) => ({ name, value })), content: {} },
    });
  return { api: stub.api, finish };
}

let root: HTMLElement;
useMountRoot((el) => (root = el));
let connector: MockConnector;

beforeEach(() => {
  connector = new MockConnector();
});

const rows = () =>
  [...root.querySelectorAll<HTMLElement>('.timeline .event')].map((li) => ({
    kind: li.dataset.kind,
    source: li.dataset.source,
    alarming: li.classList.contains('alarming'),
    chip: li.querySelector('.chip')?.textContent ?? null,
    text: li.textContent ?? '',
  }));

async function mount(origin = ORIGIN) {
  const devtools = stubDevtoolsAt(origin);
  await act(async () => {
    render(<App api={devtools.api} background={connector} />, root);
    await settle();
  });
  // The origin arrives from inspectedWindow.eval, then the timeline subscription follows it.
  await act(() => settle());
  return devtools;
}

describe("the panel's session timeline", () => {
  it("shows the background's timeline of the inspected origin, worded as the popup's", async () => {
    await mount();
    const events: TimelineEvent[] = [
      { at: T0, kind: '440', detail: msg('bg_timeline_login_timeout'), url: `${ORIGIN}/owa/service.svc?action=GetItem` },
      { at: T0 + 10, kind: 'sign-in-started', detail: msg('bg_timeline_sign_in_attempt', 1) },
      { at: T0 + 90, kind: 'sign-in-succeeded', detail: msg('bg_sign_in_again') },
    ];
    await act(async () => {
      connector.pushSessions({ sessions: [sessionView({ origin: ORIGIN })], vault: 'none' });
      connector.pushTimeline('https://other.example.com', [{ at: T0, kind: 'logoff', detail: literal('not this origin') }]);
      connector.pushTimeline(ORIGIN, events);
      await settle();
    });
    expect(rows().map((r) => [r.kind, r.source, r.alarming, r.chip])).toEqual([
      ['440', 'extension', true, null],
      ['sign-in-started', 'extension', false, null],
      ['sign-in-succeeded', 'extension', false, null],
    ]);
    expect(rows()[0]!.text).toContain('440 Login Timeout');
    expect(rows()[0]!.text).toContain('/owa/service.svc');
    expect(rows()[2]!.text).toContain('Automatic sign-in succeeded');
    expect(root.querySelector('.timeline .source-note')!.textContent).toContain("OWA Inspector's session timeline");
  });

  it("adds the tab's events the background has no event for, marked; the 440 both saw is shown once", async () => {
    const { finish } = await mount();
    await act(async () => {
      connector.pushSessions({ sessions: [sessionView({ origin: ORIGIN })], vault: 'none' });
      connector.pushTimeline(ORIGIN, [{ at: T0 + 500, kind: '440', detail: msg('bg_timeline_login_timeout') }]);
      finish('POST', '/owa/service.svc', 440, T0);
      // A logon POST the server refused with an error: the worker records none.
      finish('POST', '/owa/auth.owa', 400, T0 + 5000);
      await settle();
    });
    expect(rows().map((r) => [r.kind, r.source, r.chip])).toEqual([
      ['440', 'extension', null],
      ['logon-post', 'page', 'this tab only'],
    ]);
    expect(rows()[1]!.text).toContain('HTTP 400');
  });

  it('an origin the extension does not watch: the tab traffic alone, no background timeline', async () => {
    const { finish } = await mount();
    await act(async () => {
      connector.pushSessions({ sessions: [], vault: 'none' });
      finish('GET', '/owa/', 302, T0, [['Location', '/owa/auth/logon.aspx?reason=3']]);
      await settle();
    });
    expect(rows().map((r) => [r.kind, r.source, r.alarming, r.chip])).toEqual([['logon-redirect', 'page', true, null]]);
    expect(rows()[0]!.text).toContain('reason=3: the session timed out');
    expect(root.querySelector('.timeline .source-note')!.textContent).toContain('not watching this origin');
  });

  it('asks the background for the inspected origin only, keyed as the background keys it', async () => {
    const subscribed: string[] = [];
    const subscribe = connector.subscribeTimeline.bind(connector);
    connector.subscribeTimeline = (origin, listener) => {
      subscribed.push(origin);
      return subscribe(origin, listener);
    };
    await mount('https://MAIL.Contoso.com:443');
    expect(subscribed).toEqual([ORIGIN]);
  });
});
