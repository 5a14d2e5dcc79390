// @vitest-environment happy-dom
// The options page against the mock connector.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { MockConnector } from '../../src/ui/connect/mock';
import { Options } from '../../src/ui/options/Options';
import { sessionView, settle, useMountRoot } from './setup-dom';

let root: HTMLElement;
useMountRoot((el) => (root = el));
let connector: MockConnector;
const device = { deviceId: 'OWAI0001', deviceType: 'OWAInspector', model: 'M', friendlyName: 'F', os: 'O', userAgent: 'U', protocolVersion: '14.1' as const };

beforeEach(async () => {
  connector = new MockConnector();
  await act(async () => render(<Options connector={connector} />, root));
  await act(async () => {
    connector.pushSessions({ sessions: [sessionView({ generation: '2003', hostPermission: false })], vault: 'none' });
    connector.pushSettings({ device, prefs: { credentialStorage: 'memory' }, pending: ['https://pending.example.com'] });
  });
});

function q<T extends Element = HTMLElement>(selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`no ${selector}`);
  return el;
}

async function change(selector: string, value: string) {
  const input = q<HTMLInputElement | HTMLSelectElement>(selector);
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('options page', () => {
  it('timeouts: each kind on its own, empty for Exchange default (2003 private: 24 h)', async () => {
    expect(q<HTMLInputElement>('input[name=privateTimeoutMinutes]').placeholder).toBe('Exchange default: 1440');
    await change('input[name=publicTimeoutMinutes]', '20');
    expect(connector.sent.at(-1)).toEqual({ type: 'ui-bg-set-settings', origin: 'https://mail.example.com', settings: { publicTimeoutMinutes: 20 } });
    await change('input[name=publicTimeoutMinutes]', '');
    expect(connector.sent.at(-1)).toMatchObject({ settings: { publicTimeoutMinutes: null } });
    await change('select[name=bringBack]', 'tell-only');
    expect(connector.sent.at(-1)).toMatchObject({ settings: { bringBack: 'tell-only' } });
  });

  it('a site whose access was taken back offers to grant it again; pending imports offer to grant and watch', async () => {
    expect(q('.permission').dataset.granted).toBe('false');
    await act(async () => q<HTMLButtonElement>('button[name=grant]').click());
    await act(async () => q<HTMLButtonElement>('[data-pending="https://pending.example.com"] button').click());
    expect(connector.watched).toEqual(['https://mail.example.com', 'https://pending.example.com']);
  });

  it('storage mode and device identity go to the worker', async () => {
    await act(async () => q<HTMLInputElement>('input[name=credentialStorage][value=encrypted]').click());
    expect(connector.sent.at(-1)).toEqual({ type: 'ui-bg-set-prefs', prefs: { credentialStorage: 'encrypted' } });
    await change('#activesync input[name=model]', 'Pixel');
    await change('#activesync select[name=protocolVersion]', '16.0');
    await act(async () => void q<HTMLFormElement>('.device-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    expect(connector.sent.at(-1)).toEqual({ type: 'ui-bg-set-device', device: { ...device, model: 'Pixel', protocolVersion: '16.0' } });
  });

  it('import: the file goes to the worker, and its report is shown', async () => {
    connector.reply = (m) =>
      m.type === 'ui-bg-import-settings'
        ? { type: 'bg-ui-import', report: { applied: ['https://a.example.com: settings'], refused: ['credentials: credentials and keys are never imported'], needsPermission: [] } }
        : { type: 'bg-ui-ok' };
    const input = q<HTMLInputElement>('#import');
    const file = new File(['{"format":"owa-inspector-settings"}'], 'settings.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file] });
    await act(async () => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await act(settle);
    expect(connector.sent.at(-1)).toEqual({ type: 'ui-bg-import-settings', json: '{"format":"owa-inspector-settings"}' });
    expect(q('[data-report=refused]').textContent).toContain('credentials and keys are never imported');
  });
});
