// The codec's documented example (docs/CODEC.md, "Example") runs and prints what its "// →"
// comments say.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from './helpers.js';

function docExample(): string {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'CODEC.md'), 'utf8');
  const start = doc.indexOf('\n## Example\n');
  const match = start < 0 ? null : /```ts\n([\s\S]*?)```/.exec(doc.slice(start));
  if (!match) throw new Error('docs/CODEC.md has no ```ts example under "## Example"');
  return match[1]!;
}

describe('docs/CODEC.md', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the codec example prints what it says', async () => {
    const code = docExample();
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
