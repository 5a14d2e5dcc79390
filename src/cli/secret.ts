// Reading a secret (the ActiveSync password, a SAZ's password) the one way every command does:
// from an environment variable, or with --password-stdin from standard input, where a terminal
// gets a prompt without echo. The secret is returned to the caller only: never printed, logged
// or stored. `--password x` on the command line is refused before parsing, saying why.
import { readInput, UsageError } from './command';

export interface SecretSource {
  /** Whether --password-stdin was given. */
  stdin: boolean;
  /** The environment variable that may hold the secret. */
  env: string;
  /** The prompt a terminal shows, e.g. "Password: ". */
  prompt: string;
}

/** Refuses `--password` and `--password=…` (before `--`), naming what to use instead; never repeats the value. */
export function refusePasswordOption(args: readonly string[], env: string): void {
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError(
      `--password is not taken: a password on the command line is visible to other users of this machine (ps, /proc) and stays in the shell's history. ` +
        `Pipe it to --password-stdin (a terminal gets a prompt without echo), or set ${env}`,
    );
  }
}

/** The secret from standard input (with --password-stdin) or the environment; undefined when neither gives one. */
export async function readSecret(source: SecretSource): Promise<string | undefined> {
  if (!source.stdin) {
    const fromEnv = process.env[source.env];
    return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
  }
  if (process.stdin.isTTY) return promptHidden(source.prompt);
  const secret = new TextDecoder().decode(await readInput('-')).split(/\r?\n/)[0] ?? '';
  if (secret === '') throw new UsageError('--password-stdin: standard input held no password');
  return secret;
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let password = '';
    const done = (error?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(password);
    };
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new UsageError('cancelled'));
        if (char === '\u007f' || char === '\b') password = password.slice(0, -1);
        else password += char;
      }
    };
    stdin.on('data', onData);
  });
}
