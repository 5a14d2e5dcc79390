// The codec is pure: it bundles for the browser with no Node module, and uses neither Node's
// globals (Buffer, process) nor the DOM (window, document), so the panel, the background and the
// command line run the same code.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const dir = join(REPO_ROOT, 'src/wbxml');

describe('src/wbxml', () => {
  it('bundles for the browser without Node modules', async () => {
    const result = await build({
      entryPoints: [join(dir, 'index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from ["']node:/);
  });

  it('uses no Node or DOM globals (nor does src/shared, which it imports)', () => {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const shared = readdirSync(join(REPO_ROOT, 'src/shared'), { encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join('../shared', file));
    expect(shared.length).toBeGreaterThan(0);
    for (const file of [...files, ...shared]) {
      const code = readFileSync(join(dir, file), 'utf8')
        .replace(/\/\/.*$/gm, '')
        .replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code, file).not.toMatch(/\b(Buffer|process|window|document|require)\s*[.(]/);
      expect(code, file).not.toMatch(/from ['"]node:/);
    }
  });
});
