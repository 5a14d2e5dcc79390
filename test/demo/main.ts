// The demo Exchange for people: both OWA generations at once, for `npm start` and by hand
// (`node dist/demo-exchange.mjs`). Cookies ignore ports and both generations use a cookie
// named cadata, so each generation gets its own host name: 2010+ on 127.0.0.1, 2003 on
// 127.0.0.2 (all of 127/8 is loopback on Linux), or on 'localhost' where 127.0.0.2 is not
// configured (macOS).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_USERS, DEMO_DOMAIN, DEMO_MAIL_DOMAIN } from './accounts';
import { startDemoExchange } from './server';
import type { DemoExchange } from './types';

export interface DemoPair {
  owa2010: DemoExchange;
  owa2003: DemoExchange;
  /** The URL to open first for each generation (it redirects to the logon page). */
  urls: { owa2010: string; owa2003: string; activesync: string; activesyncClient: string };
  banner(): string;
  close(): Promise<void>;
}

export interface DemoPairOptions {
  port2010?: number;
  port2003?: number;
  log?: (line: string) => void;
}

const PUBLIC_TIMEOUT_SECONDS = 60;
const PRIVATE_TIMEOUT_SECONDS = 180;

export async function startDemoPair(options: DemoPairOptions = {}): Promise<DemoPair> {
  const common = { publicTimeoutSeconds: PUBLIC_TIMEOUT_SECONDS, privateTimeoutSeconds: PRIVATE_TIMEOUT_SECONDS };
  const owa2010 = await startDemoExchange({
    ...common,
    generation: '2010',
    host: '127.0.0.1',
    port: options.port2010 ?? 0,
    activesync: true,
    ...(options.log ? { log: (line: string) => options.log?.(`[2010] ${line}`) } : {}),
  });
  let owa2003: DemoExchange;
  const log2003 = options.log ? { log: (line: string) => options.log?.(`[2003] ${line}`) } : {};
  try {
    owa2003 = await startDemoExchange({ ...common, generation: '2003', host: '127.0.0.2', port: options.port2003 ?? 0, ...log2003 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') {
      await owa2010.close();
      throw error;
    }
    // Same address as 2010, but a different host name keeps the cookies apart.
    const server = await startDemoExchange({ ...common, generation: '2003', host: '127.0.0.1', port: options.port2003 ?? 0, ...log2003 });
    owa2003 = { ...server, origin: server.origin.replace('127.0.0.1', 'localhost') };
  }
  const urls = {
    owa2010: `${owa2010.origin}/owa/`,
    owa2003: `${owa2003.origin}/exchange/`,
    activesync: `${owa2010.origin}/Microsoft-Server-ActiveSync`,
    activesyncClient: `${owa2010.origin}/owa/activesync-client.aspx`,
  };
  return {
    owa2010,
    owa2003,
    urls,
    banner: () => banner(urls),
    close: async () => {
      await Promise.all([owa2010.close(), owa2003.close()]);
    },
  };
}

function banner(urls: DemoPair['urls']): string {
  const users = Object.entries(DEFAULT_USERS)
    .map(([user, password]) => `${user} / ${password}`)
    .join(', ');
  const [firstUser = 'alice'] = Object.keys(DEFAULT_USERS);
  return [
    'Demo Exchange: an imitation of Exchange for trying OWA Inspector (a test tool, not a real server)',
    `  Exchange 2010+ OWA  ${urls.owa2010}`,
    `  Exchange 2003 OWA   ${urls.owa2003}`,
    `  ActiveSync          ${urls.activesync}`,
    `  users               ${users}  (also ${DEMO_DOMAIN}\\${firstUser}, ${firstUser}@${DEMO_MAIL_DOMAIN})`,
    `  time-outs           public ${PUBLIC_TIMEOUT_SECONDS} s, private ${PRIVATE_TIMEOUT_SECONDS} s (an idle session ends between T and 1.5 T)`,
    `  ActiveSync client   ${urls.activesyncClient}  (a page that makes ActiveSync requests, for the DevTools panel)`,
    '',
    `  OWA Inspector assumes Exchange's defaults (public 15 min, private 8 h; 24 h on 2003). For a true countdown, open its`,
    `  options and set each demo site's time-outs to public ${PUBLIC_TIMEOUT_SECONDS / 60} min, private ${PRIVATE_TIMEOUT_SECONDS / 60} min (the logon pages say so too).`,
  ].join('\n');
}

function numberArg(name: string): number | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return undefined;
  const value = Number(arg.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--${name} needs a port number`);
  return value;
}

async function main(): Promise<void> {
  const port2010 = numberArg('port-2010');
  const port2003 = numberArg('port-2003');
  const demo = await startDemoPair({
    ...(port2010 !== undefined ? { port2010 } : {}),
    ...(port2003 !== undefined ? { port2003 } : {}),
    log: (line) => console.log(line),
  });
  console.log(`${demo.banner()}\nCtrl-C stops it.`);
  const stop = () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
