// The README's codec example runs and prints what its "// →" comments say.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from './helpers.js';

function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### WBXML codec'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no ```ts example under "### WBXML codec"');
  return match[1]!;
}

describe('README', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the codec example prints what it says', async () => {
    const code = readmeExample();
    const expected = [...code.matchAll(/^\/\/ → (.*)$/gm)].map((m) => m[1]);
    expect(expected.length).toBeGreaterThan(2);
    const file = join(REPO_ROOT, '.tmp', 'readme-example.ts');
    mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
    writeFileSync(file, code.replace("'./src/wbxml/index.js'", JSON.stringify(join(REPO_ROOT, 'src/wbxml/index.ts'))));
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
    expect(printed).toEqual(expected);
  });
});
