import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, defaultTimeoutMinutes, readSettings, type OriginSettings } from '../../src/owa/settings';
import type { Generation } from '../../src/owa/generation';
import { timeoutInEffect } from '../../src/owa/timeout-learning';

/** The timeout in effect with nothing learned: yours, else Exchange's default. */
const effectiveTimeoutMinutes = (settings: OriginSettings, generation: Generation) => timeoutInEffect(settings, generation, null).minutes;

describe('settings', () => {
  it('defaults to Exchange timeouts: public 15, private 480 (2003: 24 h)', () => {
    expect(defaultTimeoutMinutes('public', '2010+')).toBe(15);
    expect(defaultTimeoutMinutes('private', '2010+')).toBe(480);
    expect(defaultTimeoutMinutes('private', '2003')).toBe(1440);
    expect(effectiveTimeoutMinutes({ ...DEFAULT_SETTINGS, publicTimeoutMinutes: 30 }, '2007')).toBe(30);
    expect(effectiveTimeoutMinutes({ ...DEFAULT_SETTINGS, publicTimeoutMinutes: 30, computer: 'private' }, '2007')).toBe(480);
    expect(effectiveTimeoutMinutes({ ...DEFAULT_SETTINGS, privateTimeoutMinutes: 600, computer: 'private' }, '2007')).toBe(600);
    expect(DEFAULT_SETTINGS.autoRelogin).toBe(false);
  });

  it('applies a valid patch and refuses a patch with any bad field whole', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, { computer: 'private', autoRelogin: true })).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, computer: 'private', autoRelogin: true } });
    const bad = applySettingsPatch(DEFAULT_SETTINGS, { autoRelogin: true, timeoutMinutes: 0, password: 'x' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toHaveLength(2);
  });

  it('keeps public and private timeouts apart; the old timeoutMinutes sets the one in use', () => {
    const patched = applySettingsPatch(DEFAULT_SETTINGS, { timeoutMinutes: 20, computer: 'private' });
    expect(patched).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, computer: 'private', privateTimeoutMinutes: 20 } });
    expect(applySettingsPatch(DEFAULT_SETTINGS, { publicTimeoutMinutes: 5, privateTimeoutMinutes: null })).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, publicTimeoutMinutes: 5 } });
    expect(readSettings({ timeoutMinutes: 30, computer: 'private' })).toEqual({ ...DEFAULT_SETTINGS, computer: 'private', privateTimeoutMinutes: 30 });
    expect(applySettingsPatch(DEFAULT_SETTINGS, { privateTimeoutMinutes: 43_201 }).ok).toBe(false);
  });

  it('reads stored settings field by field, keeping defaults for junk', () => {
    expect(readSettings({ computer: 'private', timeoutMinutes: -5, notify: true })).toEqual({ ...DEFAULT_SETTINGS, computer: 'private', notify: true });
    expect(readSettings('junk')).toEqual(DEFAULT_SETTINGS);
  });
});
