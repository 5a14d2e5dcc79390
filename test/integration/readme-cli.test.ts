// The documented command-line examples are real: each "$ command" in the README's "Command line"
// tour and in docs/CODEC.md's "Command line" section runs (owa-inspector being node dist/cli.mjs)
// and prints exactly the lines shown under it, standard error included.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../wbxml/helpers.js';

interface Example {
  command: string;
  output: string;
}

/** Where the examples are: a file and the heading of the section holding them. */
const SECTIONS: ReadonlyArray<readonly [file: string, heading: string]> = [
  ['README.md', '### Command line'],
  ['docs/CODEC.md', '## Command line'],
];

/** The text under `heading`, up to the next heading of the same or a higher level. */
function section(file: string, heading: string): string {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${file} has no "${heading}" section`);
  const rest = text.slice(start + heading.length + 2);
  const level = heading.indexOf(' ');
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

function examples(file: string, heading: string): Example[] {
  const found: Example[] = [];
  for (const block of section(file, heading).matchAll(/```console\n([\s\S]*?)```/g)) {
    for (const part of block[1]!.split(/^\$ /m).slice(1)) {
      const [command, ...output] = part.split('\n');
      found.push({ command: command!, output: output.join('\n') });
    }
  }
  return found;
}

describe.each(SECTIONS)('%s, "%s"', (file, heading) => {
  const all = examples(file, heading);

  it('has examples', () => {
    expect(all.length).toBeGreaterThanOrEqual(file === 'README.md' ? 1 : 6);
  });

  it.each(all.map((example) => [example.command, example] as const))('$ %s', (_, example) => {
    const cli = join(REPO_ROOT, 'dist', 'cli.mjs');
    if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run node build.mjs first');
    const command = example.command.replaceAll('owa-inspector', `node ${cli}`);
    const output = execFileSync('sh', ['-c', `(${command}) 2>&1`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(output).toBe(example.output);
  });
});
