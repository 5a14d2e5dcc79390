// The `owa-inspector` command line: a small dispatcher. Each command lives in its own file and is
// listed here once (keep the list sorted).

import { UsageError, type Command } from './command.js';
import { decodeCommand } from './decode.js';
import { encodeCommand } from './encode.js';
import { inspectCommand } from './inspect.js';
import { optionsCommand } from './options.js';
import { provisionCommand } from './provision.js';
import { sendCommand } from './send.js';
import { VERSION } from '../shared/version.js';

const commands: Command[] = [decodeCommand, encodeCommand, inspectCommand, optionsCommand, provisionCommand, sendCommand];

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `usage: owa-inspector COMMAND [options]\n\ncommands:\n${lines.join('\n')}\n\nowa-inspector COMMAND --help shows the options of a command; owa-inspector --version its version.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  // VERSION is package.json's version: test/shared/version.test.ts keeps the two equal.
  if (name === '--version' || name === '-V') {
    process.stdout.write(`owa-inspector ${VERSION}\n`);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    process.stderr.write(`owa-inspector: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    // parseArgs reports unknown options with an ERR_PARSE_ARGS_* code.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`owa-inspector ${command.name}: ${(error as Error).message}\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`owa-inspector ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`owa-inspector: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
