// Runs Debian's mitmproxy (mitmdump) as a reverse proxy in front of a local server, so that tests
// get capture files written by the real tool: its flow file (-w) and, through the har_dump.py
// example Debian ships, a HAR. Fails (never skips) when mitmproxy is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { wbxml2xml, xml2wbxml } from '../libwbxml.js';

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

const DOCTYPE = '<?xml version="1.0"?><!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">';

/** One ActiveSync exchange as the client sent and received it. */
export interface SentExchange {
  command: string;
  status: number;
  request: Uint8Array;
  response: Uint8Array;
}

export interface ProvisioningCapture {
  flowFile: string;
  harFile: string;
  /** What went through the proxy, in order: FolderSync 449, Provision ×2, FolderSync 200. */
  sent: SentExchange[];
}

/**
 * A device's first contact recorded by mitmdump in front of the demo Exchange (`target`): a page
 * (other traffic), FolderSync answered 449, Provision in two phases, FolderSync again. Request
 * bodies are written by libwbxml's xml2wbxml, not by our codec. Files go to `dir`.
 */
export async function recordProvisioning(target: string, dir: string, authorization: string): Promise<ProvisioningCapture> {
  const flowFile = join(dir, 'eas.flow');
  const harFile = join(dir, 'eas.har');
  const sent: SentExchange[] = [];
  const proxy = await recordWithMitmproxy(target, flowFile, harFile);
  const url = (cmd: string): string => `${proxy.origin}/Microsoft-Server-ActiveSync?Cmd=${cmd}&User=alice&DeviceId=MITMDEVICE1&DeviceType=DemoPhone`;
  const post = async (command: string, xml: string, key?: string): Promise<string> => {
    // -a -n: the header clients send.
    const body = xml2wbxml(`${DOCTYPE}${xml}`, false);
    const answer = await fetch(url(command), {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/vnd.ms-sync.wbxml', 'ms-asprotocolversion': '14.1', ...(key !== undefined ? { 'x-ms-policykey': key } : {}) },
      body: Buffer.from(body),
    });
    const response = new Uint8Array(await answer.arrayBuffer());
    sent.push({ command, status: answer.status, request: body, response });
    return response.length > 0 ? wbxml2xml(response) : '';
  };
  try {
    await fetch(`${proxy.origin}/owa/`);
    await post('FolderSync', '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
    const policy = '<Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies>';
    const phase1 = await post('Provision', `<Provision xmlns="Provision:">${policy}</Provision>`, '0');
    const temporary = /<PolicyKey>(\d+)<\/PolicyKey>/.exec(phase1)?.[1] ?? '';
    const ack = `<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>${temporary}</PolicyKey><Status>1</Status></Policy></Policies></Provision>`;
    const phase2 = await post('Provision', ack, temporary);
    const final = /<PolicyKey>(\d+)<\/PolicyKey>/.exec(phase2)?.[1] ?? '';
    await post('FolderSync', '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>', final);
  } finally {
    await proxy.stop();
  }
  return { flowFile, harFile, sent };
}
