// Runs Debian's mitmproxy (mitmdump) as a reverse proxy in front of a local server, so that tests
// get capture files written by the real tool: its flow file (-w) and, through the har_dump.py
// example Debian ships, a HAR. Fails (never skips) when mitmproxy is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const MITMPROXY_HINT = 'install with: apt-get install -y mitmproxy';
/** Debian 12's mitmproxy 8.1.1 ships the HAR exporter as an example script, not as an addon. */
export const HAR_DUMP = '/usr/share/doc/mitmproxy/examples/contrib/har_dump.py';

export function requireMitmproxy(): void {
  if (spawnSync('sh', ['-c', 'command -v mitmdump']).status !== 0) throw new Error(`mitmdump is missing: ${MITMPROXY_HINT}`);
  if (!existsSync(HAR_DUMP)) throw new Error(`${HAR_DUMP} is missing: ${MITMPROXY_HINT}`);
}

export function mitmproxyVersion(): string {
  return /Mitmproxy:\s*(\S+)/.exec(spawnSync('mitmdump', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Recording {
  /** The proxy's origin: send requests here instead of to the server. */
  origin: string;
  /** Stops mitmdump (SIGINT, as Ctrl-C: har_dump writes its file then) and waits for it. */
  stop(): Promise<void>;
}

/** Starts mitmdump in reverse-proxy mode to `target`, writing `flowFile` and `harFile`. */
export async function recordWithMitmproxy(target: string, flowFile: string, harFile: string): Promise<Recording> {
  requireMitmproxy();
  const port = await freePort();
  const child = spawn(
    'mitmdump',
    [
      '--mode',
      `reverse:${target}`,
      '--listen-host',
      '127.0.0.1',
      '--listen-port',
      String(port),
      '-w',
      flowFile,
      '-s',
      HAR_DUMP,
      '--set',
      `hardump=${harFile}`,
      '--set',
      'termlog_verbosity=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 30_000;
  while (!/listening at|Proxy server listening/i.test(output)) {
    if (child.exitCode !== null) throw new Error(`mitmdump exited (${child.exitCode}): ${output}`);
    if (Date.now() > deadline) throw new Error(`mitmdump did not start in 30 s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGINT');
      const code = await exited;
      if (code !== 0 && code !== null) throw new Error(`mitmdump exited ${code}: ${output}`);
    },
  };
}
