// Starts Debian's Horde ActiveSync server under `php -S 127.0.0.1:0` for one test file: a fresh
// sqlite state (the library's own migrations), forced provisioning and the given policy. The
// server runs in its own process group so that stop() ends its workers too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const DEBIAN_PACKAGES = 'php-cli php-sqlite3 php-xml php-mbstring php-horde-activesync php-horde-db php-horde-controller php-horde-autoloader php-horde-core';

/** Horde's policy keys (Horde_ActiveSync_Policies::POLICY_*) with the values it hands out. */
export type HordePolicy = Record<string, string | boolean>;

export interface HordeOptions {
  policy: HordePolicy;
  user?: string;
  password?: string;
  /** The highest version the server offers (setSupportedVersion); default 16.0. */
  maxVersion?: string;
  /** Device ids the server marks for remote wipe (from their second request on). */
  remoteWipe?: string[];
}

export interface HordeServer {
  /** http://127.0.0.1:PORT (the ActiveSync path is /Microsoft-Server-ActiveSync). */
  url: string;
  user: string;
  password: string;
  /** What the PHP server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Throws, with the apt-get command, when PHP or the Horde packages are missing: never skips. */
export function requireHorde(): void {
  const probe = spawnSync(
    'php',
    [
      '-r',
      'require_once "Horde/Autoloader/Default.php";' +
        'foreach (["Horde_ActiveSync", "Horde_ActiveSync_State_Sql", "Horde_Db_Adapter_Pdo_Sqlite", "Horde_Controller_Request_Http", "Horde_Db_Migration_Migrator"] as $c)' +
        '  if (!class_exists($c)) { fwrite(STDERR, "missing class $c\\n"); exit(1); }' +
        'if (!extension_loaded("pdo_sqlite")) { fwrite(STDERR, "missing PHP extension pdo_sqlite\\n"); exit(1); }',
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? `php cannot run (${probe.error.message})` : probe.stderr.trim() || `php exited with ${probe.status}`;
    throw new Error(`The Horde ActiveSync server is not installed: ${why}.\n` + `Install it with: sudo apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES}`);
  }
}

export async function startHorde(options: HordeOptions): Promise<HordeServer> {
  requireHorde();
  const dir = mkdtempSync(join(tmpdir(), 'owa-inspector-horde-'));
  const db = join(dir, 'state.sqlite');
  const migrate = spawnSync('php', [join(here, 'migrate.php'), db], { encoding: 'utf8', timeout: 30_000 });
  if (migrate.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Horde state migration failed: ${migrate.stderr || migrate.stdout || migrate.error?.message}`);
  }
  const user = options.user ?? 'alice';
  const password = options.password ?? 'correct horse';
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      db,
      user,
      password,
      policy: options.policy,
      maxVersion: options.maxVersion ?? '16.0',
      remoteWipe: options.remoteWipe ?? [],
    }),
  );

  const child = spawn('php', ['-d', 'display_errors=0', '-S', '127.0.0.1:0', join(here, 'front.php')], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OWA_HORDE_CONFIG: configFile, PHP_CLI_SERVER_WORKERS: '2' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async (): Promise<void> => {
    await killGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`php -S did not start within 10 s:\n${output}`)), 10_000);
      const check = (): void => {
        const match = /Development Server \(http:\/\/127\.0\.0\.1:(\d+)\) started/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stderr?.on('data', check);
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`php -S exited with ${code}:\n${output}`));
      });
    });
    return { url: `http://127.0.0.1:${port}`, user, password, log: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGTERM to the whole process group, SIGKILL if it lingers; resolves once the server is gone. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
