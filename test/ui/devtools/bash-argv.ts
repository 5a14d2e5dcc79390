// Runs a copied curl command in a real bash, with `curl` replaced by a function that prints
// what it was given: the argument count and every argument NUL-terminated (NUL is the one
// byte an argument cannot hold), then its standard input. Runs in an empty temporary directory
// with HOME there too, so that any command the text smuggles in leaves a file to find.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BashRun {
  /** Whether curl was called at all. */
  called: boolean;
  argv: string[];
  /** What curl read from its standard input (the body piped in). */
  stdin: Uint8Array;
  /** What is in the directory afterwards: should stay empty. */
  files: string[];
  stderr: string;
  status: number | null;
}

/** bash must be there (Debian has it always): a machine without it fails these tests, loudly. */
export function requireBash(): void {
  if (spawnSync('bash', ['-c', 'true']).status !== 0) throw new Error('bash not found: install it with: apt-get install -y bash');
}

const CURL_STUB = `curl() { printf '%s\\0' "$#" "$@"; cat; }`;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function readArgv(out: Uint8Array): { argv: string[]; rest: Uint8Array } {
  let at = 0;
  const next = (): string => {
    const end = out.indexOf(0, at);
    if (end < 0) throw new Error(`curl's output ends inside an argument: ${JSON.stringify(Buffer.from(out).toString('latin1'))}`);
    const text = strictUtf8.decode(out.subarray(at, end));
    at = end + 1;
    return text;
  };
  const count = Number(next());
  const argv = Array.from({ length: count }, next);
  return { argv, rest: out.subarray(at) };
}

export function runInBash(command: string): BashRun {
  const dir = mkdtempSync(join(tmpdir(), 'curl-argv-'));
  try {
    const result = spawnSync('bash', ['--noprofile', '--norc', '-c', `${CURL_STUB}\n${command}\nwait\n`], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LC_ALL: 'C' },
      input: '',
      timeout: 10_000,
    });
    // (`wait` above: a command smuggled in with `&` has finished before the directory is read.)
    const files = readdirSync(dir);
    const out = new Uint8Array(result.stdout);
    const called = out.length > 0;
    const { argv, rest } = called ? readArgv(out) : { argv: [], rest: new Uint8Array() };
    return { called, argv, stdin: rest, files, stderr: result.stderr.toString('utf8'), status: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
