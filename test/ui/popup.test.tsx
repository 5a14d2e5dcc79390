// @vitest-environment happy-dom
// The popup against the mock connector: it shows what the worker pushes and sends what the
// user does; it never works out session state itself.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MockConnector } from '../../src/ui/connect/mock';
import { App } from '../../src/ui/popup/App';
import { defaultVersion, versionChoices } from '../../src/ui/popup/Provision';
import type { EasRunView } from '../../src/messages/protocol';
import { msg } from '../../src/shared/words';
import { NOW, sessionView, settle, useMountRoot } from './setup-dom';

let root: HTMLElement;
useMountRoot((el) => (root = el));
let connector: MockConnector;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(NOW);
  connector = new MockConnector();
});

afterEach(() => {
  vi.useRealTimers();
});

async function mount(onInteractive = () => undefined) {
  await act(async () => {
    render(<App connector={connector} openOptions={() => undefined} onInteractive={onInteractive} />, root);
  });
  await act(settle);
}

function q<T extends Element = HTMLElement>(selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`no ${selector} in ${root.innerHTML.slice(0, 500)}`);
  return el;
}

async function type(selector: string, value: string) {
  const input = q<HTMLInputElement>(selector);
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const live = sessionView({
  status: 'signed-in',
  generation: '2010+',
  lastActivity: NOW - 60_000,
  expiry: { earliest: NOW - 60_000 + 15 * 60_000, latest: NOW - 60_000 + 22.5 * 60_000 },
  last440: NOW - 5 * 60_000,
  lastSignIn: { at: NOW - 5 * 60_000, outcome: 'success', detail: msg('bg_sign_in_again') },
  credentials: 'session',
  username: 'alice',
  settings: { ...sessionView().settings, autoRelogin: true },
});

describe('popup', () => {
  it('says it is loading until the worker pushes, then reports interactive once', async () => {
    const interactive = vi.fn();
    await mount(interactive);
    expect(root.textContent).toContain('Loading…');
    expect(interactive).not.toHaveBeenCalled();
    await act(async () => connector.pushSessions({ sessions: [], vault: 'none' }));
    expect(root.textContent).toContain('No site is watched yet');
    await act(async () => connector.pushSessions({ sessions: [], vault: 'none' }));
    expect(interactive).toHaveBeenCalledTimes(1);
  });

  it('links to the panel page in a tab of its own, to open a capture', async () => {
    await mount();
    const link = root.querySelector<HTMLAnchorElement>('a#open-capture')!;
    expect(link.getAttribute('href')).toBe('panel.html');
    expect(link.target).toBe('_blank');
    expect(link.textContent).toBe('Open a capture…');
  });

  it('a live session: state, the countdown to the window and the window, last 440 and sign-in', async () => {
    await mount();
    await act(async () => connector.pushSessions({ sessions: [live], vault: 'none' }));
    expect(q('.card').dataset.status).toBe('signed-in');
    expect(q('.pill').textContent).toBe('signed in');
    expect(q('.countdown').textContent).toBe('14:00');
    expect(q('.expiry .hint').textContent).toMatch(/T = 15 min to 22.5 min after your last activity/);
    expect(q('.last-440').textContent).toMatch(/\(5 min ago\)$/);
    expect(q('.last-sign-in').textContent).toMatch(/succeeded: signed in again/);
    // The clock ticks: the countdown follows (the window itself is the worker's).
    await act(async () => void vi.advanceTimersByTime(3_000));
    expect(q('.countdown').textContent).toBe('13:57');
    // Past the window start: counting to its end.
    await act(async () => void vi.advanceTimersByTime(14 * 60_000));
    expect(q('.expiry').dataset.phase).toBe('window');
    expect(q('.countdown').textContent).toBe('7:27');
  });

  it('auto-relogin and credentials go to the worker; the password field is emptied', async () => {
    await mount();
    await act(async () => connector.pushSessions({ sessions: [sessionView()], vault: 'none' }));
    await act(async () => q<HTMLInputElement>('input[name=autoRelogin]').click());
    expect(connector.sent.at(-1)).toEqual({ type: 'ui-bg-set-settings', origin: 'https://mail.example.com', settings: { autoRelogin: true } });
    await act(async () => q<HTMLButtonElement>('.credentials button.link').click());
    await type('input[name=username]', 'alice');
    await type('input[name=password]', 'hunter2');
    await act(async () => q<HTMLInputElement>('input[name=remember]').click());
    await type('input[name=passphrase]', 'long passphrase');
    await act(async () => void q<HTMLFormElement>('.credentials-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await act(settle);
    expect(connector.sent.at(-1)).toEqual({
      type: 'ui-bg-set-credentials',
      origin: 'https://mail.example.com',
      username: 'alice',
      password: 'hunter2',
      remember: true,
      passphrase: 'long passphrase',
    });
    // Saved: the form closes and nothing typed is kept in the page.
    expect(root.querySelector('input[name=password]')).toBeNull();
    expect(root.innerHTML).not.toContain('hunter2');
  });

  it("says where T comes from, and offers what the server's ends showed in one click", async () => {
    await mount();
    await act(async () => connector.pushSessions({ sessions: [{ ...live, timeoutObservations: 1, suggestedTimeoutMinutes: 1 }], vault: 'none' }));
    expect(q('.timeout-source').textContent).toBe("(Exchange's default)");
    expect(q('.timeout-suggestion').textContent).toContain("This server's timeout looks like 1 min.");
    await act(async () => q<HTMLButtonElement>('.use-timeout').click());
    expect(connector.sent.at(-1)).toEqual({ type: 'ui-bg-set-settings', origin: live.origin, settings: { publicTimeoutMinutes: 1 } });
    await act(async () => connector.pushSessions({ sessions: [{ ...live, timeoutMinutes: 1, timeoutSource: 'learned', timeoutObservations: 2 }], vault: 'none' }));
    expect(q('.timeout-source').textContent).toBe('(learned from 2 timeouts)');
    expect(root.querySelector('.timeout-suggestion')).toBeNull();
  });

  it('an AD FS site: the automatic sign-in switch shows off and cannot be turned on, whatever the setting', async () => {
    await mount();
    const adfs = { ...live, status: 'forms-unavailable' as const, formsUnavailable: 'adfs' as const, expiry: null };
    await act(async () => connector.pushSessions({ sessions: [adfs], vault: 'none' }));
    const toggle = q<HTMLInputElement>('input[name=autoRelogin]');
    expect(adfs.settings.autoRelogin).toBe(true);
    expect(toggle.checked).toBe(false);
    expect(toggle.disabled).toBe(true);
  });

  it('over an unwatched site: "watch this site" asks for that origin; a locked vault asks for the passphrase', async () => {
    connector.tabUrl = 'https://owa.example.org/owa/#path=/mail';
    await mount();
    await act(async () => connector.pushSessions({ sessions: [], vault: 'locked' }));
    expect(q('.watch-current').textContent).toContain('owa.example.org is not watched');
    await act(async () => q<HTMLButtonElement>('#watch-current').click());
    expect(connector.watched).toEqual(['https://owa.example.org']);
    expect(q('form.unlock')).toBeTruthy();
  });

  it('shows an error the worker sent back', async () => {
    connector.reply = () => ({ type: 'bg-ui-error', error: msg('bg_error_https_only') });
    await mount();
    await act(async () => connector.pushSessions({ sessions: [sessionView()], vault: 'none' }));
    await act(async () => q<HTMLInputElement>('input[name=autoRelogin]').click());
    await act(settle);
    expect(q('[role=alert]').textContent).toBe('passwords are only sent over HTTPS');
  });

  it('tabs switch with the arrow keys', async () => {
    await mount();
    const list = q('[role=tablist]');
    await act(async () => void list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })));
    expect(q('#tab-provision').getAttribute('aria-selected')).toBe('true');
    expect(q<HTMLElement>('#panel-sessions').hidden).toBe(true);
  });
});

const provisionRun: EasRunView = {
  id: 'r1',
  kind: 'provision',
  server: 'https://mail.example.com/Microsoft-Server-ActiveSync',
  user: 'alice',
  deviceId: 'OWAI0001',
  deviceType: 'OWAInspector',
  protocolVersion: '14.1',
  startedAt: NOW,
  finishedAt: NOW,
  state: 'done',
  steps: [
    {
      step: 'Provision: policy request (phase 1)',
      startedAt: new Date(NOW).toISOString(),
      durationMs: 12,
      request: { method: 'POST', url: 'https://mail.example.com/Microsoft-Server-ActiveSync?Cmd=Provision', headers: [['Authorization', 'Basic [redacted]']] },
      response: { status: 200, statusText: 'OK', headers: [], body: { byteLength: 10, xml: '<Provision xmlns="Provision:"/>' } },
      notes: ['Provision Status 1 Success: The Provision command succeeded.'],
    },
  ],
  policy: {
    policyType: 'MS-EAS-Provisioning-WBXML',
    settings: { MinDevicePasswordLength: 6 },
    entries: [
      { name: 'MinDevicePasswordLength', setting: 'MinDevicePasswordLength', raw: '6', value: 6, explanation: 'The device password must be at least 6 characters long.', since: '12.0' },
    ],
    warnings: [],
  },
  temporaryKey: '111',
  finalKey: '222',
};

describe('popup: Provision', () => {
  async function provisionTab() {
    connector.tabUrl = 'https://mail.example.com/owa/';
    await mount();
    await act(async () => {
      connector.pushSessions({ sessions: [], vault: 'none' });
      connector.pushSettings({
        device: { deviceId: 'OWAI0001', deviceType: 'OWAInspector', model: 'M', friendlyName: 'F', os: 'O', userAgent: 'U', protocolVersion: '14.1' },
        prefs: { credentialStorage: 'memory' },
        pending: [],
      });
    });
    await act(async () => q<HTMLButtonElement>('#tab-provision').click());
  }

  it("re-opened: the current tab's server (not a watched one that answered first), and the last run's user name and version there", async () => {
    connector.tabUrl = 'https://mail.example.com/owa/';
    await mount();
    await act(async () => {
      connector.pushSessions({ sessions: [{ ...sessionView(), origin: 'https://other.example.com' }], vault: 'none' });
      connector.pushRuns([{ ...provisionRun, protocolVersion: '16.1' }]);
    });
    await act(async () => q<HTMLButtonElement>('#tab-provision').click());
    await act(settle);
    expect(q<HTMLInputElement>('input[name=server]').value).toBe('https://mail.example.com');
    expect(q<HTMLInputElement>('input[name=easUser]').value).toBe('alice');
    expect(q<HTMLSelectElement>('select[name=version]').value).toBe('16.1');
    expect(q<HTMLInputElement>('input[name=easPassword]').value).toBe('');
  });

  it('starts from the current tab, sends the run with the device identity, shows the result', async () => {
    await provisionTab();
    expect(q<HTMLInputElement>('input[name=server]').value).toBe('https://mail.example.com');
    await type('input[name=easUser]', 'alice');
    await type('input[name=easPassword]', 'pw');
    await act(async () => void q<HTMLFormElement>('.provision-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    expect(connector.sent.at(-1)).toEqual({
      type: 'ui-bg-eas-provision',
      acknowledge: true,
      server: 'https://mail.example.com',
      user: 'alice',
      password: 'pw',
      protocolVersion: '14.1',
      device: { deviceId: 'OWAI0001', deviceType: 'OWAInspector', model: 'M', friendlyName: 'F', os: 'O', userAgent: 'U' },
      keepHost: false,
    });
    await act(async () => connector.pushRuns([provisionRun]));
    expect(q('.final-key').textContent).toBe('222');
    expect(q('table.policy tbody tr').textContent?.replace(/\u200b/g, '')).toContain('MinDevicePasswordLength6The device password must be at least 6 characters long.');
    expect(q('ol.trace').textContent).toContain('Provision Status 1 Success');
  });

  it('"Keep access to this server" is off unless ticked, and goes with every run of the form', async () => {
    await provisionTab();
    expect(q<HTMLInputElement>('input[name=keepHost]').checked).toBe(false);
    await act(async () => q<HTMLInputElement>('input[name=keepHost]').click());
    await act(async () => q<HTMLButtonElement>('#discover').click());
    expect(connector.sent.at(-1)).toMatchObject({ type: 'ui-bg-eas-options', keepHost: true });
    await act(async () => q<HTMLButtonElement>('#send-foldersync').click());
    expect(connector.sent.at(-1)).toMatchObject({ type: 'ui-bg-eas-send', keepHost: true });
  });

  it('a mailbox moved to another server: its URL as text, and a button that only fills in the server', async () => {
    await provisionTab();
    const location = 'https://eas2.example.net/Microsoft-Server-ActiveSync';
    const moved: EasRunView = {
      ...provisionRun,
      state: 'failed',
      finalKey: undefined,
      temporaryKey: undefined,
      policy: undefined,
      error: { kind: 'redirect-other-origin', message: `HTTP 451: the server moved this mailbox to ${location}`, httpStatus: 451, location },
    } as EasRunView;
    const sentBefore = connector.sent.length;
    await act(async () => connector.pushRuns([moved]));
    expect(q('.moved').textContent).toContain(`The server moved this mailbox to ${location}`);
    expect(q('.moved').textContent).toMatch(/password was not sent there/);
    expect(root.querySelector(`.run a`)).toBeNull();
    await act(async () => q<HTMLButtonElement>('#use-moved-server').click());
    expect(q<HTMLInputElement>('input[name=server]').value).toBe(location);
    // Nothing runs until the user does: then the browser asks for the new host in that click.
    expect(connector.sent.length).toBe(sentBefore);
    await type('input[name=easUser]', 'alice');
    await type('input[name=easPassword]', 'pw');
    await act(async () => void q<HTMLFormElement>('.provision-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    expect(connector.sent.at(-1)).toMatchObject({ type: 'ui-bg-eas-provision', server: location });
  });

  it('a remote wipe is an alarm', async () => {
    await provisionTab();
    await act(async () =>
      connector.pushRuns([{ ...provisionRun, state: 'remote-wipe', remoteWipe: 'device', finalKey: undefined, error: { kind: 'remote-wipe', message: 'x' } } as EasRunView]),
    );
    expect(q('.wipe-alarm[role=alert]').textContent).toMatch(/REMOTE WIPE of the whole device.*did NOT acknowledge/);
    expect(root.querySelector('.final-key')).toBeNull();
  });

  it('versions: what OPTIONS offered, the preferred one if there, else the highest common', () => {
    expect(versionChoices(undefined)).toEqual(['2.5', '12.0', '12.1', '14.0', '14.1', '16.0', '16.1']);
    const options = {
      ...provisionRun,
      kind: 'options' as const,
      options: { httpStatus: 200, versions: ['2.5', '12.1', '14.0', '2.0'], commands: [], highestCommonVersion: '14.0' as const },
    };
    expect(versionChoices(options)).toEqual(['2.5', '12.1', '14.0']);
    expect(defaultVersion(['2.5', '12.1', '14.0'], '14.1', '14.0')).toBe('14.0');
    expect(defaultVersion(['12.1', '14.1', '16.0'], '14.1', '16.0')).toBe('14.1');
  });
});
