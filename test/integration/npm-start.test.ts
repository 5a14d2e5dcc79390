// `npm start` (scripts/start.mjs) with a stand-in for Chromium that records its arguments and
// loads the URLs it was given: the demo Exchange must be up while "Chromium" runs, the
// extension must be loaded, and everything must stop when "Chromium" exits.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let dir: string;
let fakeChromium: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist/demo-exchange.mjs'))) throw new Error('dist/demo-exchange.mjs is missing. Build it with: node build.mjs');
  dir = mkdtempSync(join(tmpdir(), 'owa-inspector-start-test-'));
  fakeChromium = join(dir, 'chromium');
  writeFileSync(
    fakeChromium,
    `#!${process.execPath}
const urls = process.argv.slice(2).filter((a) => a.startsWith('http'));
console.log('FAKE-CHROMIUM args ' + JSON.stringify(process.argv.slice(2)));
for (const url of urls) {
  const response = await fetch(url, { redirect: 'manual' });
  console.log('FAKE-CHROMIUM ' + url + ' ' + response.status + ' ' + response.headers.get('location'));
}
`,
  );
  chmodSync(fakeChromium, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`start.mjs did not exit; output:\n${out}\n${err}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out, err });
    });
  });
}

function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}

describe('npm start', () => {
  it('starts the demo Exchange, opens Chromium on both logon pages with the extension, and stops when Chromium exits', async () => {
    const { code, out, err } = await runStart({ ...envWithout('WAYLAND_DISPLAY'), DISPLAY: ':99', CHROMIUM_PATH: fakeChromium });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('a test tool, not a real server');
    // What the user sees must be true: the demo's 1-minute time-out is not the extension's default.
    expect(out).toContain("set each demo site's time-outs to public 1 min, private 3 min");
    expect(out).toMatch(/ActiveSync client {3}http:\/\/127\.0\.0\.1:\d+\/owa\/activesync-client\.aspx/);
    const args = JSON.parse(/FAKE-CHROMIUM args (.*)/.exec(out)?.[1] ?? '[]') as string[];
    expect(args).toContain(`--load-extension=${join(root, 'dist/chrome')}`);
    expect(out).toMatch(/FAKE-CHROMIUM http:\/\/127\.0\.0\.1:\d+\/owa\/ 302 http:\/\/127\.0\.0\.1:\d+\/owa\/auth\/logon\.aspx\?url=/);
    expect(out).toMatch(/FAKE-CHROMIUM http:\/\/(127\.0\.0\.2|localhost):\d+\/exchange\/ 302 http:\/\/\S+\/exchweb\/bin\/auth\/owalogon\.asp\?url=/);
    // The demo's own log shows the requests arrived while "Chromium" ran, without bodies.
    expect(out).toMatch(/\[2010\] GET \/owa\/ 302/);
  });

  it('explains what to do when there is no display', async () => {
    const { code, err } = await runStart({ ...envWithout('DISPLAY', 'WAYLAND_DISPLAY'), CHROMIUM_PATH: fakeChromium });
    expect(code).toBe(1);
    expect(err).toContain('xvfb-run -a npm start');
  });
});
