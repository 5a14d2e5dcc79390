// The owa-inspector command line (the built dist/cli.mjs, in a child process) against Debian's
// Horde ActiveSync server: what users run, with what they see and the exit status they get.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHorde, type HordeServer } from './horde/server';
import { startDemoExchange, type DemoExchange } from '../demo';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.mjs');

let horde: HordeServer;
let dir: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`node build.mjs\` first (npm test does)`);
  dir = mkdtempSync(join(tmpdir(), 'owa-inspector-cli-'));
  horde = await startHorde({
    policy: { DevicePasswordEnabled: true, MinDevicePasswordLength: '6', AllowCamera: '0', MaxAttachmentSize: '1048576' },
    remoteWipe: ['CLI-WIPE'],
  });
});

afterAll(async () => {
  await horde?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input?: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, XDG_STATE_HOME: join(dir, 'xdg'), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

const account = (deviceId: string, state: string) => ['--user', 'alice', '--device-id', deviceId, '--state', join(dir, state)];

describe('owa-inspector against Horde', () => {
  it('options: versions, commands and the highest common version, without credentials', async () => {
    const result = await run(['options', horde.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Protocol versions       2.5, 12.0, 12.1, 14.0, 14.1, 16.0');
    expect(result.stdout).toContain('Highest common version  16.0');
    expect(result.stdout).toContain('HTTP status             401 (credentials required for commands)');
    expect(result.stdout).toMatch(/Commands \(23\)\n {2}Sync, SendMail/);
  });

  it('provision then send: the final key is stored, shown, and works; the password never appears', async () => {
    const provision = await run(['provision', horde.url, ...account('CLI-MAIN', 'main.json'), '--password-stdin'], `${horde.password}\n`);
    expect(provision.stderr).toBe('');
    expect(provision.code).toBe(0);
    expect(provision.stdout).toContain('── 1. OPTIONS');
    expect(provision.stdout).toContain('── 2. Provision: policy request (phase 1)');
    expect(provision.stdout).toContain('> X-MS-PolicyKey: 0');
    expect(provision.stdout).toContain('> Authorization: Basic [redacted]');
    expect(provision.stdout).toContain('Device    CLI-MAIN (OWAInspector), protocol 16.0');
    expect(provision.stdout).toMatch(/MinDevicePasswordLength +6 +The device password must be at least 6 characters long\./);
    expect(provision.stdout).toMatch(/AllowCamera +0 +The camera must be disabled\./);
    const finalKey = /Final key +(\d+)/.exec(provision.stdout)?.[1];
    expect(finalKey).toBeDefined();
    const state = JSON.parse(readFileSync(join(dir, 'main.json'), 'utf8')) as { keys: Record<string, { policyKey: string; protocolVersion: string }> };
    expect(Object.values(state.keys)).toEqual([expect.objectContaining({ policyKey: finalKey, protocolVersion: '16.0', deviceId: 'CLI-MAIN' })]);

    const send = await run(['send', horde.url, 'FolderSync', ...account('CLI-MAIN', 'main.json'), '--password-stdin'], horde.password);
    expect(send.code).toBe(0);
    expect(send.stdout).toContain(`> X-MS-PolicyKey: ${finalKey}`);
    expect(send.stdout).toContain('FolderSync: HTTP 200, Status 1 Success');
    // OPTIONS (is the stored key's version still offered?), then FolderSync, and no Provision.
    expect(send.stdout).toMatch(/── 1\. OPTIONS[^]*── 2\. FolderSync/);
    expect(send.stdout).not.toMatch(/── \d+\. Provision/);

    for (const output of [provision, send]) {
      expect(output.stdout + output.stderr).not.toContain(horde.password);
      expect(output.stdout + output.stderr).not.toContain(btoa(`alice:${horde.password}`));
      expect(readFileSync(join(dir, 'main.json'), 'utf8')).not.toContain(horde.password);
    }
  });

  it('send takes its body from an XML file, and says where a bad one is wrong', async () => {
    const good = join(dir, 'foldersync.xml');
    writeFileSync(good, '<FolderSync xmlns="FolderHierarchy:">\n  <SyncKey>0</SyncKey>\n</FolderSync>\n');
    const env = { OWA_INSPECTOR_PASSWORD: horde.password };
    const ok = await run(['send', horde.url, 'FolderSync', good, ...account('CLI-FILE', 'file.json'), '--as', '16.0'], undefined, env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('FolderSync: HTTP 200, Status 1 Success');
    const bad = join(dir, 'bad.xml');
    writeFileSync(bad, '<FolderSync xmlns="FolderHierarchy:">\n  <SyncKey>0</Synckey>\n</FolderSync>\n');
    const refused = await run(['send', horde.url, 'FolderSync', bad, ...account('CLI-FILE', 'file.json'), '--as', '16.0'], undefined, env);
    expect(refused.code).toBe(2);
    // Line and column once (they were printed twice: "bad.xml (line 2, column 14): … at line 2, column 14").
    expect(refused.stderr).toMatch(/^owa-inspector send: .*bad\.xml: cannot encode as WBXML: XML error at line 2, column \d+: [^\n]*\[byte \d+\]\n$/);
    expect(refused.stderr.match(/line 2/g)).toHaveLength(1);
  });

  it('send re-provisions once when the stored key is stale, with the password from the environment', async () => {
    const env = { OWA_INSPECTOR_PASSWORD: horde.password };
    expect((await run(['provision', horde.url, ...account('CLI-STALE', 'a.json'), '--as', '14.1'], undefined, env)).code).toBe(0);
    expect((await run(['provision', horde.url, ...account('CLI-STALE', 'b.json'), '--as', '14.1'], undefined, env)).code).toBe(0);
    const send = await run(['send', horde.url, 'FolderSync', ...account('CLI-STALE', 'a.json')], undefined, env);
    expect(send.code).toBe(0);
    // Horde answers a stale key with Status 142, like a missing one (never 144).
    expect(send.stdout).toContain('• HTTP 449 with Status 142: provisioning, then retrying once');
    expect(send.stdout).toContain('── 5. FolderSync (retry after provisioning)');
    expect(send.stdout).toContain('(provisioned again on the way)');
  });

  it('send --no-reprovision reports the refusal: exit 5', async () => {
    const result = await run(['send', horde.url, 'FolderSync', ...account('CLI-FRESH', 'fresh.json'), '--as', '14.1', '--no-reprovision', '--password-stdin'], horde.password);
    expect(result.code).toBe(5);
    expect(result.stderr).toBe('owa-inspector send: FolderSync: HTTP 449 with Status 142: the server requires provisioning first [HTTP 449, Status 142]\n');
  });

  it('a wrong password is a clear 401 error: exit 4', async () => {
    const result = await run(['provision', horde.url, ...account('CLI-BADPW', 'bad.json'), '--as', '12.1', '--password-stdin'], 'not the password\n');
    expect(result.code).toBe(4);
    expect(result.stderr).toBe('owa-inspector provision: Provision: policy request (phase 1): HTTP 401: the server refused the credentials of alice (it asks for: Basic) [HTTP 401]\n');
    expect(result.stdout).toContain('< HTTP 401 Unauthorized');
    expect(result.stdout + result.stderr).not.toContain('not the password');
  });

  it('a remote wipe directive is shown prominently and never acknowledged: exit 6', async () => {
    const args = ['--as', '14.1', '--password-stdin'];
    await run(['send', horde.url, 'FolderSync', ...account('CLI-WIPE', 'wipe.json'), ...args, '--no-reprovision'], horde.password);
    const result = await run(['provision', horde.url, ...account('CLI-WIPE', 'wipe.json'), ...args], horde.password);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain('!! THE SERVER REQUESTS A REMOTE WIPE OF THE WHOLE DEVICE');
    expect(result.stdout).toContain('!! owa-inspector stopped and did NOT acknowledge it;');
    expect(result.stdout).not.toContain('Provision: acknowledgement');
    expect(existsSync(join(dir, 'wipe.json'))).toBe(false);
  });

  it('--as a version the server does not offer: a warning before sending, saying how to list what it offers', async () => {
    // Horde offers 2.5 to 16.0 (issue 12: "a version the server did not offer is a warning before sending").
    const warning = (command: string) =>
      `owa-inspector ${command}: warning: the server does not offer protocol 16.1 (its OPTIONS answer lists 2.5, 12.0, 12.1, 14.0, 14.1, 16.0; \`owa-inspector options URL\` shows what it offers); sending with 16.1 anyway\n`;
    const env = { OWA_INSPECTOR_PASSWORD: horde.password };
    const provision = await run(['provision', horde.url, ...account('CLI-AS161', 'as.json'), '--as', '16.1'], undefined, env);
    expect(provision.stderr.startsWith(warning('provision'))).toBe(true);
    expect(provision.stdout).toContain('── 1. OPTIONS');
    expect(provision.stdout).toContain('> MS-ASProtocolVersion: 16.1');
    const send = await run(['send', horde.url, 'FolderSync', ...account('CLI-AS161', 'as.json'), '--as', '16.1'], undefined, env);
    expect(send.stderr.startsWith(warning('send'))).toBe(true);
    // Without --as, send uses the version the key was stored with (16.1): checked the same way.
    const keys = (JSON.parse(readFileSync(join(dir, 'as.json'), 'utf8')) as { keys: Record<string, unknown> }).keys;
    expect(Object.values(keys)).toEqual([expect.objectContaining({ protocolVersion: '16.1', deviceId: 'CLI-AS161' })]);
    const stored = await run(['send', horde.url, 'FolderSync', ...account('CLI-AS161', 'as.json')], undefined, env);
    expect(stored.stderr.startsWith(warning('send').replace('protocol 16.1', 'protocol 16.1, the version its policy key was stored with'))).toBe(true);
    expect(stored.stdout).toMatch(/── 1\. OPTIONS[^]*── 2\. FolderSync[^]*> MS-ASProtocolVersion: 16\.1/);
    const options = await run(['options', horde.url, '--as', '16.1']);
    expect(options.code).toBe(0);
    expect(options.stderr).toBe(warning('options'));
    // A version it offers: no warning, and the command runs as before.
    const offered = await run(['provision', horde.url, ...account('CLI-AS160', 'as.json'), '--as', '16.0'], undefined, env);
    expect(offered.stderr).toBe('');
    expect(offered.code).toBe(0);
  });

  it('--state a directory, or a file inside a file: exit 2 naming the path and what it takes, before anything is sent', async () => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(503).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const file = join(dir, 'plain-file');
      writeFileSync(file, 'not a directory');
      const env = { OWA_INSPECTOR_PASSWORD: 'pw' };
      for (const command of [['provision'], ['send', 'FolderSync']]) {
        const directory = await run([command[0] as string, url, ...command.slice(1), '--user', 'alice', '--as', '14.1', '--state', dir], undefined, env);
        expect(directory.code).toBe(2);
        expect(directory.stderr).toMatch(
          new RegExp(
            `^owa-inspector ${command[0]}: --state ${dir} is a directory; expected a file to keep policy keys in \\(it is created if missing\\), e\\.g\\. ${dir}/policy-keys\\.json\n`,
          ),
        );
        expect(directory.stderr).not.toContain('EISDIR');
        const inside = await run([command[0] as string, url, ...command.slice(1), '--user', 'alice', '--state', join(file, 'keys.json')], undefined, env);
        expect(inside.code).toBe(2);
        expect(inside.stderr).toContain(`owa-inspector ${command[0]}: --state ${join(file, 'keys.json')}: ${file} is a file, not a directory; expected a file to keep policy keys in`);
      }
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('--as: the warning is out before the request with that version is sent', async () => {
    let stderr = '';
    let seenWhenPosted: string | undefined;
    const server = createServer((request, response) => {
      if (request.method === 'OPTIONS') {
        response.writeHead(200, { 'MS-ASProtocolVersions': '12.1,14.0,14.1', 'MS-ASProtocolCommands': 'Provision,FolderSync' }).end();
        return;
      }
      // Held until the command's standard error is read: it holds the warning already.
      const started = Date.now();
      const check = () => {
        if (stderr.includes('warning') || Date.now() - started > 3000) {
          seenWhenPosted = stderr;
          response.writeHead(503).end();
        } else setTimeout(check, 20);
      };
      check();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const child = spawn(process.execPath, [cli, 'provision', url, '--user', 'alice', '--as', '16.0', '--password-stdin'], { env: { ...process.env, XDG_STATE_HOME: join(dir, 'xdg') } });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdin.end('pw\n');
      const [code] = (await once(child, 'close')) as [number];
      expect(code).toBe(8);
      expect(seenWhenPosted).toMatch(/^owa-inspector provision: warning: the server does not offer protocol 16\.0 \(its OPTIONS answer lists 12\.1, 14\.0, 14\.1;/);
    } finally {
      server.close();
    }
  });

  it('--json gives the policy, keys and trace to scripts', async () => {
    const result = await run(['provision', horde.url, ...account('CLI-JSON', 'json.json'), '--as', '12.1', '--json', '--password-stdin'], horde.password);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { finalKey: string; policy: { settings: Record<string, unknown> }; trace: unknown[] };
    expect(output.finalKey).toMatch(/^\d+$/);
    expect(output.policy.settings).toMatchObject({ DevicePasswordEnabled: true, MinDevicePasswordLength: 6, AllowCamera: false, MaxAttachmentSize: 1048576 });
    // OPTIONS (is 12.1 offered?), then the two Provision phases.
    expect(output.trace).toHaveLength(3);
  });

  it('a 451 to another server is not followed: exit 8, the new URL and the command to run against it', async () => {
    const listen = async (server: Server) => {
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    // Another port of the same host is another origin, and so another server.
    const seenThere: IncomingHttpHeaders[] = [];
    const there = createServer((request, response) => {
      seenThere.push(request.headers);
      response.writeHead(500).end();
    });
    const location = `${await listen(there)}/Microsoft-Server-ActiveSync`;
    const home = createServer((_request, response) => void response.writeHead(451, { 'X-MS-Location': location }).end());
    const homeUrl = await listen(home);
    try {
      const send = await run(['send', homeUrl, 'FolderSync', '--user', 'LAB\\alice', '--as', '14.1', '--password-stdin'], 'pw\n');
      expect(send.code).toBe(8);
      expect(send.stderr).toContain(`owa-inspector send: FolderSync: HTTP 451: the server moved this mailbox to ${location}, outside ${homeUrl}.`);
      expect(send.stderr).toContain(`To run against it, if you trust that server:\n  owa-inspector send ${location} FolderSync --user 'LAB\\alice' --as 14.1 --password-stdin\n`);
      // Without --as, the OPTIONS that picks the version meets the 451 first.
      const provision = await run(['provision', '--user', 'alice', homeUrl, '--json', '--password-stdin'], 'pw\n');
      expect(provision.code).toBe(8);
      expect((JSON.parse(provision.stdout) as { error: { kind: string; location: string } }).error).toMatchObject({ kind: 'redirect-other-origin', location });
      expect(provision.stderr).toContain(`  owa-inspector provision --user alice ${location} --json --password-stdin\n`);
      expect(seenThere).toEqual([]);
    } finally {
      home.close();
      there.close();
    }
  });

  it('refuses to send a password over plain HTTP to a remote host, and says how to proceed: exit 2', async () => {
    const result = await run(['provision', 'http://mail.example.invalid', '--user', 'alice', '--as', '14.1', '--password-stdin'], 'pw');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to send the password to mail\.example\.invalid over plain HTTP.*--insecure/);
  });

  it('usage errors: exit 2 with the usage', async () => {
    const noPassword = await run(['provision', horde.url, '--user', 'alice'], undefined, { OWA_INSPECTOR_PASSWORD: '' });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/^owa-inspector provision: give the password with --password-stdin .*\nusage: owa-inspector provision URL/);
    const unknown = await run(['send', horde.url, 'Ping', '--frobnicate']);
    expect(unknown.code).toBe(2);
    const help = await run(['send', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: owa-inspector send URL COMMAND [FILE.xml]');
    const overview = await run(['--help']);
    expect(overview.stdout).toMatch(/ {2}provision +fetch and acknowledge an ActiveSync policy/);
  });
});

describe('owa-inspector against the demo Exchange', () => {
  let demo: DemoExchange;
  beforeAll(async () => {
    demo = await startDemoExchange({ generation: '2010', activesync: true });
  });
  afterAll(() => demo?.close());

  it('options answered 401 without ActiveSync headers suggests --user: exit 4', async () => {
    // Exchange (and the demo) answer an anonymous OPTIONS with a bare 401. It said "is this an ActiveSync endpoint?", exit 7.
    const anonymous = await run(['options', demo.origin]);
    expect(anonymous.code).toBe(4);
    expect(anonymous.stderr).toBe(
      'owa-inspector options: OPTIONS: HTTP 401 without MS-ASProtocolVersions: this server lists what it offers only to a signed-in user; run again with --user USER --password-stdin\n',
    );
    const signedIn = await run(['options', demo.origin, '--user', 'CONTOSO\\alice', '--password-stdin'], 'Demo-Passw0rd\n');
    expect(signedIn.stderr).toBe('');
    expect(signedIn.code).toBe(0);
    expect(signedIn.stdout).toContain('Protocol versions       2.5, 12.0, 12.1, 14.0, 14.1, 16.0, 16.1');
  });
});
