// web-ext lint is Mozilla's add-on validator (the same checks as addons.mozilla.org).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import webExt from 'web-ext';

const firefoxDir = resolve(import.meta.dirname, '../../dist/firefox');

describe('dist/firefox', () => {
  it('passes web-ext lint with no errors', async () => {
    if (!existsSync(resolve(firefoxDir, 'manifest.json'))) {
      throw new Error('dist/firefox is missing: run node build.mjs first');
    }
    const result = await webExt.cmd.lint(
      { sourceDir: firefoxDir, output: 'json', selfHosted: false, boring: true, warningsAsErrors: false },
      { shouldExitProgram: false },
    );
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.summary.errors).toBe(0);
  }, 60_000);
});
