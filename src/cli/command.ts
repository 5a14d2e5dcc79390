// What every owa-inspector command shares: its shape, input and output, and how it fails.

import { readFile, writeFile } from 'node:fs/promises';

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

/** Reads a file, or standard input for "-". */
export async function readInput(file: string): Promise<Uint8Array> {
  if (file !== '-') return new Uint8Array(await readFile(file));
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

export function printError(command: string, message: string): void {
  process.stderr.write(`owa-inspector ${command}: ${message}\n`);
}
