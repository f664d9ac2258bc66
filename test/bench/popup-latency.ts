/**
 * From a change in the fake rasapi32 to the updated row in the popup's DOM, over the whole real path: the
 * RAS backend's read, the monitor's diff (default settings, the popup open: push for connect and disconnect,
 * the 250 ms live poll for the rest: this flips Connected and ConnectDevice), the bridge push, the store and
 * React's commit. The page timestamps the row's change with a MutationObserver; both sides read
 * `performance.timeOrigin + performance.now()`, and the page's clock offset is measured by round trips and
 * subtracted. Also: the production renderer bundle, gzipped.
 *
 *     npx tsx test/bench/popup-latency.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { ConnectionMonitor, DEFAULT_LIVE_POLL_INTERVAL_MS } from '../../electron/core/monitor';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { buildRenderer, RENDERER_OUT } from '../browser/build-renderer';
import { CHROMIUM_LAUNCH } from '../browser/chromium';
import { openPopup, servePopup } from '../browser/harness';
import { loadFakeRas, RASCS } from '../support/fake-ras';
import type { BenchRow } from './bench-row';

const CHANGES = 60;
const TARGET_P95_MS = 250;

const nodeNow = (): number => performance.timeOrigin + performance.now();

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** page clock − Node clock, from the round trip with the smallest delay (its midpoint is the best guess). */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const before = nodeNow();
    const pageTime = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = nodeNow();
    if (after - before < best.rtt) best = { rtt: after - before, offset: pageTime - (before + after) / 2 };
  }
  return best.offset;
}

/**
 * Page side, as source text (DOM code, and no loader helpers to carry along): `__armRowWaiter(name, state)`
 * makes `__rowChanged` a promise of the page's time when the row named `name` first shows `state`.
 */
const ROW_WAITER_SCRIPT = `window.__armRowWaiter = (rowName, wanted) => {
  const shows = () => [...document.querySelectorAll('li[data-row-key]')].some(
    (li) => li.querySelector('.row-name')?.firstChild?.textContent === rowName && li.querySelector('.state')?.textContent === wanted);
  window.__rowChanged = new Promise((resolveChanged) => {
    const observer = new MutationObserver(() => {
      if (!shows()) return;
      observer.disconnect();
      resolveChanged(performance.timeOrigin + performance.now());
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
};`;

type WaiterGlobals = { __armRowWaiter(name: string, state: string): void; __rowChanged: Promise<number> };

function armWaiter(page: Page, name: string, state: string): Promise<void> {
  return page.evaluate(([rowName, wanted]) => (globalThis as unknown as WaiterGlobals).__armRowWaiter(rowName, wanted), [name, state] as const);
}

async function measureLatency(page: Page, flip: (connected: boolean) => void): Promise<number[]> {
  const offset = await clockOffset(page);
  const samples: number[] = [];
  let connected = true;
  for (let i = 0; i < CHANGES; i++) {
    connected = !connected;
    await armWaiter(page, 'Office', connected ? 'Connected' : 'Connecting');
    const changedAt = nodeNow();
    flip(connected);
    const shownAt = await page.evaluate(() => (globalThis as unknown as WaiterGlobals).__rowChanged);
    samples.push(shownAt - offset - changedAt);
    // Land the next change at a random point of the poll cycle, as a real change would.
    await new Promise((resolveWait) => setTimeout(resolveWait, Math.random() * DEFAULT_LIVE_POLL_INTERVAL_MS));
  }
  return samples;
}

function gzipSize(dir: string, extension: string): number {
  const assets = join(dir, 'assets');
  return readdirSync(assets)
    .filter((file) => file.endsWith(extension))
    .reduce((total, file) => total + gzipSync(readFileSync(join(assets, file)), { level: 9 }).length, 0);
}

/** The JavaScript the page loads before its first paint: index.html's module script and its modulepreloads. */
function firstPaintGzip(dir: string): number {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.\/([^"]+\.js)"/g)].map((match) => match[1]!);
  if (files.length === 0) throw new Error('index.html loads no script');
  return files.reduce((total, file) => total + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length, 0);
}

export async function runPopupBench(): Promise<BenchRow[]> {
  await buildRenderer();
  const jsGzip = gzipSize(RENDERER_OUT, '.js');
  const firstPaint = firstPaintGzip(RENDERER_OUT);
  const cssGzip = gzipSize(RENDERER_OUT, '.css');

  const fake = loadFakeRas();
  fake.reset();
  const office = fake.add({ name: 'Office' });
  fake.add({ name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
  const monitor = new ConnectionMonitor(createRasSource(fake.path));
  const server = await servePopup();
  const browser = await chromium.launch({ ...CHROMIUM_LAUNCH, headless: true });
  let samples: number[];
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 480 } });
    const popup = await openPopup(page, { monitor, server });
    await page.locator('.row-name', { hasText: /^Office,?$/ }).first().waitFor();
    await page.evaluate(ROW_WAITER_SCRIPT);
    samples = await measureLatency(page, (connected) => fake.setState(office, connected ? RASCS.Connected : RASCS.ConnectDevice));
    popup.close();
  } finally {
    await browser.close();
    await server.close();
    monitor.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
  const kb = (bytes: number): number => round(bytes / 1024, 1);
  return [
    {
      name: 'popup: fake RAS change → row updated, p50',
      value: round(p50),
      unit: 'ms',
      note: `${samples.length} state changes; connects pushed, the rest at the ${DEFAULT_LIVE_POLL_INTERVAL_MS} ms live poll; max ${round(sorted.at(-1)!)} ms`,
    },
    {
      name: 'popup: fake RAS change → row updated, p95',
      value: round(p95),
      unit: 'ms',
      baseline: TARGET_P95_MS,
      ratio: round(p95 / TARGET_P95_MS, 2),
      note: `target p95 < ${TARGET_P95_MS} ms${p95 < TARGET_P95_MS ? ' (met)' : ' (MISSED)'}`,
    },
    {
      name: 'popup: JS loaded before the first paint, gzip',
      value: kb(firstPaint),
      unit: 'KB',
      baseline: 75,
      ratio: round(firstPaint / 1024 / 75, 2),
      note: `target < 75 KB${firstPaint / 1024 < 75 ? ' (met)' : ' (MISSED)'}; React 19 + react-dom alone are about 67 KB of it`,
    },
    { name: 'popup: all renderer JS, gzip (lazy chunks included)', value: kb(jsGzip), unit: 'KB' },
    { name: 'popup: renderer CSS, gzip', value: kb(cssGzip), unit: 'KB' },
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await runPopupBench();
  for (const row of rows) {
    const against = row.baseline !== undefined ? `  (baseline ${row.baseline} ${row.unit}, ratio ${row.ratio})` : '';
    console.log(`${row.name}: ${row.value} ${row.unit}${against}${row.note ? `  — ${row.note}` : ''}`);
  }
}
