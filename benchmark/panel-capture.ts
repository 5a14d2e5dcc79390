// npm run bench -- --panel: the panel page of the shipped build (dist/chrome) in Debian's
// Chromium opening the benchmark's 200 MB HAR (20,000 ActiveSync exchanges) through its file
// input, as a user would. Printed, never asserted: the time until the list shows its 20,000 rows
// (from the file input's change event to the first frame with them), the longest task the page
// ran meanwhile (PerformanceObserver 'longtask'), the JS heap after a garbage collection, and a
// search of every decoded body for a word none holds (the worst case: all 20,000 decoded).
// `--count N` for another size (200 MB × N/20,000).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type CDPSession } from 'puppeteer-core';
import { writeHar } from './big-har.js';

const MB = 1024 * 1024;
const root = resolve(import.meta.dirname, '..');
const extension = join(root, 'dist', 'chrome');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface PageProbe {
  changeAt: number;
  longTasks: number[];
  /** The capture worker's messages as the page handled them: type, arrival, time in the handler (ms). */
  messages: Array<[string, number, number]>;
}

declare global {
  interface Window {
    __bench?: PageProbe;
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The functions with the most self time, from the samples of a CDP CPU profile. */
function printProfile(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, title = 'self time while opening (top 15):'): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  console.log(title);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
}

/**
 * CPU time (user + system, ms) of a process and all its descendants, by kind of process (the
 * browser, the renderer, the GPU process…), from /proc: the browser's processes share the 2 cores
 * with other work, and their CPU time says what opening the file cost them whatever the load.
 * Undefined where there is no /proc.
 */
function treeCpuMs(root: number): Map<string, number> | undefined {
  try {
    const tick = 10; // USER_HZ is 100 on Linux
    const children = new Map<number, number[]>();
    const cpu = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue;
      }
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      const parent = Number(fields[1]);
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * tick);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    }
    const byKind = new Map<string, number>();
    const queue = [root];
    while (queue.length > 0) {
      const pid = queue.pop()!;
      let kind = 'browser';
      try {
        kind = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? (pid === root ? 'browser' : 'other');
      } catch {
        // Gone meanwhile.
      }
      byKind.set(kind, (byKind.get(kind) ?? 0) + (cpu.get(pid) ?? 0));
      // The renderers' threads by name (the page's main thread, a dedicated worker, V8's helpers).
      if (kind === 'renderer') {
        try {
          for (const tid of readdirSync(`/proc/${pid}/task`)) {
            const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
            const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            const key = `  thread ${name}`;
            byKind.set(key, (byKind.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) * tick);
          }
        } catch {
          // Gone meanwhile.
        }
      }
      queue.push(...(children.get(pid) ?? []));
    }
    return byKind;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(extension, 'manifest.json'))) throw new Error('dist/chrome is missing: run node build.mjs first');
  const countArg = process.argv.indexOf('--count');
  const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'owa-bench-panel-'));
  const file = join(dir, 'big.har');
  const profile = join(dir, 'profile');
  try {
    const bytes = await writeHar(file, count, (200 * MB * count) / 20_000);
    console.log(`panel: a ${(bytes / MB).toFixed(0)} MB HAR (${bytes} bytes, ${count} ActiveSync exchanges) opened in ${chromium}, Node ${process.version}`);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
    const browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      pipe: true,
      enableExtensions: [extension],
      userDataDir: profile,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      protocolTimeout: 600_000,
    });
    try {
      const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 15_000 });
      const id = new URL(worker.url()).host;
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 800 });
      // Before the page's own script: the long tasks from the start, and the moment the file is chosen.
      await page.evaluateOnNewDocument(() => {
        const probe: PageProbe = { changeAt: 0, longTasks: [], messages: [] };
        window.__bench = probe;
        // The capture worker's messages: when each came and how long the page took over it.
        const handler = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
        if (handler?.set) {
          Object.defineProperty(Worker.prototype, 'onmessage', {
            ...handler,
            set(this: Worker, fn: ((event: MessageEvent) => void) | null) {
              handler.set!.call(
                this,
                fn &&
                  ((event: MessageEvent) => {
                    const at = performance.now();
                    fn(event);
                    probe.messages.push([String((event.data as { type?: unknown })?.type), at, performance.now() - at]);
                  }),
              );
            },
          });
        }
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
        }).observe({ type: 'longtask', buffered: true });
        document.addEventListener('change', () => (probe.changeAt = performance.now()), true);
      });
      // `--profile`: the capture worker is left running once done, so that its profile can be read.
      if (process.argv.includes('--profile')) await page.evaluateOnNewDocument(() => (Worker.prototype.terminate = () => undefined));
      await page.goto(`chrome-extension://${id}/panel.html`);
      await page.waitForSelector('#capture-input');
      await page.evaluate(() => (window.__bench!.longTasks.length = 0));
      // `--profile`: a CPU profile of the page while it opens the file, its top functions printed.
      const profiling = process.argv.includes('--profile');
      const cdp = await page.createCDPSession();
      // The page's workers (the capture worker), profiled too from their start.
      const workerProfiles: Array<Promise<unknown>> = [];
      const workerSessions: Array<{ url: string; session: CDPSession }> = [];
      if (profiling) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
        page.on('workercreated', (worker) => {
          const session = worker.client;
          workerSessions.push({ url: worker.url(), session });
          workerProfiles.push(
            (async () => {
              await session.send('Profiler.enable');
              await session.send('Profiler.setSamplingInterval', { interval: 500 });
              await session.send('Profiler.start');
            })().catch(() => undefined),
          );
        });
      }
      const input = await page.$('input#capture-input');
      const browserPid = browser.process()?.pid;
      const cpuBefore = browserPid === undefined ? undefined : treeCpuMs(browserPid);
      await input!.uploadFile(file);
      const shownAt = await page.waitForFunction(
        (n: number) => {
          const list = document.querySelector<HTMLElement>('.list-body');
          return list?.dataset.rowCount === String(n) && document.querySelector('.list-row') !== null ? performance.now() : false;
        },
        { polling: 'raf', timeout: 600_000 },
        count,
      );
      const shown = (await shownAt.jsonValue()) as number;
      const cpuAfter = browserPid === undefined ? undefined : treeCpuMs(browserPid);
      const probe = (await page.evaluate(() => window.__bench!)) as PageProbe;
      const listMs = shown - probe.changeAt;
      const longest = Math.max(0, ...probe.longTasks);
      if (profiling) {
        printProfile((await cdp.send('Profiler.stop')).profile, 'self time while opening, the page (top 15):');
        await Promise.all(workerProfiles);
        for (const { url, session } of workerSessions) {
          try {
            printProfile((await session.send('Profiler.stop')).profile, `self time while opening, worker ${url.split('/').pop()} (top 15):`);
          } catch {
            console.log(`worker ${url.split('/').pop()}: ended before its profile could be read`);
          }
        }
      }
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      console.log(`time to the list (change event → first frame with ${count} rows)  ${(listMs / 1000).toFixed(2)} s`);
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        const spent = [...cpuAfter].map(([kind, ms]) => [kind, ms - (cpuBefore.get(kind) ?? 0)] as const).filter(([, ms]) => ms > 0);
        const total = spent.filter(([kind]) => !kind.startsWith(' ')).reduce((sum, [, ms]) => sum + ms, 0);
        const processes = spent.filter(([kind]) => !kind.startsWith(' '));
        const threads = spent.filter(([kind]) => kind.startsWith(' ') && kind !== '  thread ').sort((a, b) => b[1] - a[1]);
        console.log(`CPU time of Chromium meanwhile: ${(total / 1000).toFixed(2)} s (${processes.map(([kind, ms]) => `${kind} ${(ms / 1000).toFixed(2)}`).join(', ')})`);
        console.log(`  renderer threads: ${threads.map(([kind, ms]) => `${kind.trim().replace(/^thread /, '')} ${(ms / 1000).toFixed(2)}`).join(', ')}`);
      }
      if (probe.messages.length > 0) {
        const from = (at: number): string => `${((at - probe.changeAt) / 1000).toFixed(2)} s`;
        const batches = probe.messages.filter(([type]) => type === 'exchanges');
        const done = probe.messages.find(([type]) => type === 'done');
        const handled = batches.reduce((sum, [, , ms]) => sum + ms, 0);
        console.log(
          `capture worker: first batch at ${batches.length > 0 ? from(batches[0]![1]) : '-'}, ${batches.length} batches (the page's handlers ${handled.toFixed(0)} ms in all), done at ${done ? from(done[1]) : '-'}, the list at ${from(shown)}`,
        );
      }
      console.log(`long tasks meanwhile: ${probe.longTasks.length}, longest ${longest.toFixed(0)} ms, total ${probe.longTasks.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
      // ArrayBuffers (the bodies' bytes) live outside the V8 heap: backingStorageSize counts them.
      const backing = (heap as { backingStorageSize?: number }).backingStorageSize ?? 0;
      console.log(
        `JS heap after GC: ${(heap.usedSize / MB).toFixed(0)} MB objects + ${(backing / MB).toFixed(0)} MB array buffers = ${((heap.usedSize + backing) / bytes).toFixed(2)}x the file`,
      );

      if (process.argv.includes('--no-search')) return;
      // The search: a word no body holds, so every body is decoded and read.
      await page.evaluate(() => (window.__bench!.longTasks.length = 0));
      const started = await page.evaluate(() => performance.now());
      await page.type('input.search', 'nosuchwordanywhere');
      await page.waitForSelector('.search-progress', { timeout: 10_000 });
      const searched = (await (
        await page.waitForFunction(() => (document.querySelector('.search-progress') === null ? performance.now() : false), { polling: 'raf', timeout: 600_000 })
      ).jsonValue()) as number;
      const shownCount = await page.$eval('.toolbar .count', (el) => el.textContent ?? '');
      const searchTasks = (await page.evaluate(() => window.__bench!.longTasks)) as number[];
      console.log(
        `search of every body: ${((searched - started) / 1000).toFixed(2)} s from the first key (250 ms pause included) to the result "${shownCount}"; longest task ${Math.max(0, ...searchTasks).toFixed(0)} ms`,
      );
      await cdp.send('HeapProfiler.collectGarbage');
      const after = await cdp.send('Runtime.getHeapUsage');
      const afterBacking = (after as { backingStorageSize?: number }).backingStorageSize ?? 0;
      console.log(`JS heap after the search and GC: ${(after.usedSize / MB).toFixed(0)} MB objects + ${(afterBacking / MB).toFixed(0)} MB array buffers`);
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
