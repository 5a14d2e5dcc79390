// The README's command-line examples are real: each "$ command" runs (owa-inspector being
// node dist/cli.mjs) and prints exactly the lines shown under it, standard error included.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../wbxml/helpers.js';

interface Example {
  command: string;
  output: string;
}

function examples(): Example[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Command line'));
  const found: Example[] = [];
  for (const block of section.matchAll(/```console\n([\s\S]*?)```/g)) {
    for (const part of block[1]!.split(/^\$ /m).slice(1)) {
      const [command, ...output] = part.split('\n');
      found.push({ command: command!, output: output.join('\n') });
    }
  }
  return found;
}

describe('README command line', () => {
  const all = examples();

  it('has examples', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  it.each(all.map((example) => [example.command, example] as const))('$ %s', (_, example) => {
    const cli = join(REPO_ROOT, 'dist', 'cli.mjs');
    if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run node build.mjs first');
    const command = example.command.replaceAll('owa-inspector', `node ${cli}`);
    const output = execFileSync('sh', ['-c', `(${command}) 2>&1`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(output).toBe(example.output);
  });
});
