#!/usr/bin/env node
// Builds the extension for Chrome and Firefox from one source tree and one manifest,
// and the command line (dist/cli.mjs). `--zip` also writes store-ready archives.
//   node build.mjs [--zip] [--dev]
import { build } from 'esbuild';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const args = new Set(process.argv.slice(2));
const dev = args.has('--dev');

// Extension pages: [entry module, output name, html page or null].
const pages = [
  ['src/background/index.ts', 'background', null],
  ['src/ui/popup/index.tsx', 'popup', 'src/ui/popup/popup.html'],
  ['src/ui/devtools/devtools.ts', 'devtools', 'src/ui/devtools/devtools.html'],
  ['src/ui/devtools/panel.tsx', 'panel', 'src/ui/devtools/panel.html'],
  // The panel reads capture files in this dedicated worker (src/ui/devtools/capture-read.ts).
  ['src/ui/devtools/capture-worker.ts', 'capture-worker', null],
  ['src/ui/options/index.tsx', 'options', 'src/ui/options/options.html'],
  // Registered at run time for watched OWA origins only (scripting.registerContentScripts).
  ['src/content/draft-guard.ts', 'draft-guard', null],
];

const common = {
  bundle: true,
  sourcemap: dev ? 'inline' : false,
  minify: !dev,
  legalComments: 'none',
  logLevel: 'warning',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  target: ['chrome120', 'firefox142'],
};

async function buildExtension(outdir) {
  await build({
    ...common,
    entryPoints: Object.fromEntries(pages.map(([entry, name]) => [name, join(root, entry)])),
    outdir,
    format: 'iife',
    platform: 'browser',
    // Service workers and extension pages must not evaluate strings as code (MV3 CSP).
    supported: { 'dynamic-import': false },
  });
  for (const [, , html] of pages) {
    if (html) await cp(join(root, html), join(outdir, html.split('/').pop()));
  }
  await mkdir(join(outdir, 'icons'), { recursive: true });
  for (const file of await readdir(join(root, 'icons'))) {
    if (file.endsWith('.png')) await cp(join(root, 'icons', file), join(outdir, 'icons', file));
  }
  await cp(join(root, '_locales'), join(outdir, '_locales'), { recursive: true });
}

/** One manifest source; each browser gets only the keys it understands. */
export function manifestFor(browser, source) {
  const manifest = structuredClone(source);
  if (browser === 'chrome') {
    delete manifest.background.scripts;
    delete manifest.browser_specific_settings;
  } else {
    delete manifest.background.service_worker;
  }
  return manifest;
}

async function buildCli() {
  await build({
    ...common,
    minify: false,
    entryPoints: [join(root, 'src/cli/index.ts')],
    outfile: join(dist, 'cli.mjs'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  });
}

// The demo Exchange behind `npm start` (test/demo): bundled because Node 20 cannot run TypeScript;
// its pages are read at run time from dist/demo-pages.
async function buildDemoExchange() {
  await build({
    ...common,
    minify: false,
    entryPoints: [join(root, 'test/demo/main.ts')],
    outfile: join(dist, 'demo-exchange.mjs'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
  });
  await cp(join(root, 'test/demo/pages'), join(dist, 'demo-pages'), { recursive: true });
  // The web ActiveSync client page's script uses the project's WBXML codec: bundled for browsers.
  await build({
    ...common,
    minify: false,
    entryPoints: [join(root, 'test/demo/client/activesync-client.ts')],
    outfile: join(dist, 'demo-pages', 'activesync-client.js'),
    format: 'iife',
    platform: 'browser',
  });
}

async function zipDir(dir, outfile) {
  const files = {};
  async function walk(d) {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files[relative(dir, full)] = new Uint8Array(await readFile(full));
    }
  }
  await walk(dir);
  await writeFile(outfile, zipSync(files, { level: 9 }));
}

async function main() {
  const source = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
  await rm(dist, { recursive: true, force: true });
  const chrome = join(dist, 'chrome');
  const firefox = join(dist, 'firefox');
  await buildExtension(chrome);
  await cp(chrome, firefox, { recursive: true });
  await writeFile(join(chrome, 'manifest.json'), JSON.stringify(manifestFor('chrome', source), null, 2));
  await writeFile(join(firefox, 'manifest.json'), JSON.stringify(manifestFor('firefox', source), null, 2));
  await buildCli();
  await buildDemoExchange();
  if (args.has('--zip')) {
    await zipDir(chrome, join(dist, `owa-inspector-chrome-${source.version}.zip`));
    await zipDir(firefox, join(dist, `owa-inspector-firefox-${source.version}.zip`));
  }
  if (!existsSync(join(chrome, 'background.js'))) throw new Error('build produced no background.js');
  console.log(`built dist/chrome, dist/firefox, dist/cli.mjs, dist/demo-exchange.mjs${args.has('--zip') ? ' and zips' : ''}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
