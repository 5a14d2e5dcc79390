// What every owa-inspector command shares: its shape, input and output, and how it fails.

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full usage text for `owa-inspector COMMAND --help`. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** A mistake in the command line: the usage is printed and the exit code is 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What every command that reads one file takes: the file, --hex or --base64, -o FILE. */
const FILE_OPTIONS = {
  hex: { type: 'boolean' },
  base64: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<T extends Options> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

/** Parses `COMMAND [options] FILE`, with the common options and the command's own. */
export function parseFileCommand<O extends Options>(command: string, args: string[], options: O): { file: string; values: Values<typeof FILE_OPTIONS & O> } {
  const parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { ...FILE_OPTIONS, ...options } });
  const values = parsed.values as Values<typeof FILE_OPTIONS & O>;
  const [file, ...rest] = parsed.positionals;
  if (file === undefined || rest.length > 0) throw new UsageError(`${command} takes one FILE (or - for standard input)`);
  if (values.hex && values.base64) throw new UsageError('--hex and --base64 exclude each other');
  return { file, values };
}

/**
 * A limit given on the command line: a whole number, optionally with a K, M or G suffix (powers
 * of 1024), e.g. `--max-output 2G`. Undefined when the option is absent.
 */
export function parseLimit(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)([KMG]?)$/i.exec(value.trim());
  const scale = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[(match?.[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G'];
  const limit = match ? Number(match[1]) * scale : NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError(`--${option} is a whole number above 0, optionally with K, M or G (got ${JSON.stringify(value)})`);
  return limit;
}

/** Reads a file, or standard input for "-". */
export async function readInput(file: string): Promise<Uint8Array> {
  if (file !== '-') {
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      throw readError(file, error);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Writes to a file, or to standard output when `file` is undefined or "-". */
export async function writeOutput(data: Uint8Array | string, file?: string): Promise<void> {
  if (file !== undefined && file !== '-') {
    await writeFile(file, data);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * A failure to read FILE, naming it: Node's EISDIR says only "illegal operation on a directory,
 * read", without the name (ENOENT and EACCES name it already).
 */
export function readError(file: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code === 'EISDIR') return new Error(`${file} is a directory, not a file`);
  return error;
}

export function printError(command: string, message: string): void {
  process.stderr.write(`owa-inspector ${command}: ${message}\n`);
}
