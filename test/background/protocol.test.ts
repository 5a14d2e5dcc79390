import { describe, expect, it } from 'vitest';
import { parseCsMessage } from '../../src/messages/protocol';
import { parseUiMessage } from '../../src/background/message-table';

describe('message protocol validation', () => {
  it('accepts well-formed messages and drops unknown fields', () => {
    expect(parseUiMessage({ type: 'ui-bg-watch-origin', origin: 'https://m.example.com', extra: 1 })).toEqual({ type: 'ui-bg-watch-origin', origin: 'https://m.example.com' });
    expect(parseUiMessage({ type: 'ui-bg-set-credentials', origin: 'o', username: 'u', password: 'p', remember: true, passphrase: 'x' })).toMatchObject({ remember: true, passphrase: 'x' });
  });

  it('ActiveSync runs carry the password to the worker; the new messages are validated', () => {
    const run = { server: 'https://m.example.com', user: 'u', password: 'p', protocolVersion: '14.1' };
    expect(parseUiMessage({ type: 'ui-bg-eas-provision', acknowledge: true, ...run, junk: 1 })).toEqual({ type: 'ui-bg-eas-provision', acknowledge: true, ...run });
    expect(parseUiMessage({ type: 'ui-bg-eas-send', command: 'FolderSync', ...run })).toMatchObject({ command: 'FolderSync' });
    expect(parseUiMessage({ type: 'ui-bg-eas-options', server: 'm.example.com' })).toEqual({ type: 'ui-bg-eas-options', server: 'm.example.com' });
    expect(parseUiMessage({ type: 'ui-bg-eas-send', command: 'FolderSync', ...run, keepHost: true })).toMatchObject({ keepHost: true });
    expect(parseUiMessage({ type: 'ui-bg-eas-options', server: 'm.example.com', keepHost: false })).toEqual({ type: 'ui-bg-eas-options', server: 'm.example.com', keepHost: false });
    expect(parseUiMessage({ type: 'ui-bg-get-timeline', origin: 'https://m.example.com' })).toEqual({ type: 'ui-bg-get-timeline', origin: 'https://m.example.com' });
    expect(parseUiMessage({ type: 'ui-bg-import-settings', json: '{}' })).toEqual({ type: 'ui-bg-import-settings', json: '{}' });
    expect(parseUiMessage({ type: 'ui-bg-eas-bodies', runId: 'x' })).toEqual({ type: 'ui-bg-eas-bodies' });
  });

  it.each([
    null,
    { type: 'ui-bg-eas-provision', server: 's', user: 'u', password: 'p', protocolVersion: '14.1' },
    { type: 'ui-bg-eas-send', server: 's', user: 'u', password: 'p', protocolVersion: '14.1' },
    { type: 'ui-bg-eas-options', server: 's', device: 'x' },
    { type: 'ui-bg-eas-options', server: 's', keepHost: 'yes' },
    { type: 'ui-bg-eas-provision', acknowledge: true, server: 's', user: 'u', password: 'p', protocolVersion: '14.1', keepHost: 1 },
    { type: 'ui-bg-set-device', device: null },
    { type: 'ui-bg-get-timeline' },
    'ui-bg-ping',
    { type: 'ui-bg-nope' },
    { type: 'ui-bg-watch-origin' },
    { type: 'ui-bg-set-credentials', origin: 'o', username: 'u', password: 1, remember: false },
    { type: 'ui-bg-set-credentials', origin: 'o', username: 'u', password: 'p', remember: 'yes' },
    { type: 'ui-bg-set-settings', origin: 'o', settings: [] },
    { type: 'ui-bg-unlock', passphrase: 'x'.repeat(2000) },
  ])('refuses %j', (message) => {
    expect(parseUiMessage(message)).toBeNull();
  });

  it('content-script messages have no room for credentials', () => {
    expect(parseCsMessage({ type: 'bg-cs-show-banner', text: 'hi', password: 'p' })).toEqual({ type: 'bg-cs-show-banner', text: 'hi' });
    expect(parseCsMessage({ type: 'ui-bg-set-credentials' })).toBeNull();
  });
});
