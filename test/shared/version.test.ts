import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT } from '../../src/activesync/request';
import { PRODUCT_USER_AGENT, VERSION } from '../../src/shared/version';

const versionIn = (file: string): unknown => (JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as { version?: unknown }).version;

describe('the product version', () => {
  it('is the one package.json and manifest.json give', () => {
    expect(VERSION).toBe(versionIn('package.json'));
    expect(VERSION).toBe(versionIn('manifest.json'));
  });

  it('names the default User-Agent', () => {
    expect(PRODUCT_USER_AGENT).toBe(`OWA-Inspector/${VERSION}`);
    expect(DEFAULT_USER_AGENT).toBe(PRODUCT_USER_AGENT);
  });
});
