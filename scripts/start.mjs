#!/usr/bin/env node
// `npm start`: after the build, starts the demo Exchange (dist/demo-exchange.mjs: OWA 2010+ and
// 2003 on loopback, a test tool, not a real server) and opens Debian's Chromium (a window, not
// headless) with the extension loaded in a throw-away profile and the demo's logon pages open.
// Closing Chromium stops the demo.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}. Install it with: sudo apt-get install -y chromium`);
  process.exit(1);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error(
    'npm start opens a Chromium window, but there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n' +
      'On a machine without a screen, run it under a virtual one: xvfb-run -a npm start\n' +
      '(install it with: sudo apt-get install -y xvfb), or start only the demo Exchange: node dist/demo-exchange.mjs',
  );
  process.exit(1);
}

const { startDemoPair } = await import('../dist/demo-exchange.mjs');
const demo = await startDemoPair({ log: (line) => console.log(line) });
console.log(demo.banner());

const extension = resolve(import.meta.dirname, '../dist/chrome');
const profile = mkdtempSync(join(tmpdir(), 'owa-inspector-start-'));
const args = [
  `--user-data-dir=${profile}`,
  `--disable-extensions-except=${extension}`,
  `--load-extension=${extension}`,
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  // Each URL redirects to its logon page.
  demo.urls.owa2010,
  demo.urls.owa2003,
];
console.log(`opening Chromium with dist/chrome loaded (profile ${profile}); close it to stop the demo Exchange`);
const child = spawn(chromium, args, { stdio: 'inherit' });

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await demo.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}
child.on('exit', (code) => stop(code ?? 0));
child.on('error', (error) => {
  console.error(`could not start ${chromium}: ${error.message}`);
  stop(1);
});
// Ctrl-C usually reaches Chromium too (same process group); either way Chromium is asked to
// quit and the demo stops when it has exited.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill('SIGTERM'));
