#!/usr/bin/env node
// `npm start`: after the build, opens Debian's Chromium (a window, not headless) with the
// extension loaded in a throw-away profile.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}. Install it with: sudo apt-get install -y chromium`);
  process.exit(1);
}
const extension = resolve(import.meta.dirname, '../dist/chrome');
const profile = mkdtempSync(join(tmpdir(), 'owa-inspector-start-'));
const args = [
  `--user-data-dir=${profile}`,
  `--disable-extensions-except=${extension}`,
  `--load-extension=${extension}`,
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  'chrome://extensions/',
];
console.log(`opening Chromium with dist/chrome loaded (profile ${profile})`);
const child = spawn(chromium, args, { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
