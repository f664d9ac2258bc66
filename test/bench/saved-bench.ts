/**
 * Saved connections, measured: the cost of listing the phone book (RasEnumEntriesW with the size probe,
 * decoded into entries) through koffi and the backend against C making the same calls on the same fake in
 * the same run (test/bench/ras-entries-baseline.c, which decodes no strings); and, in the production popup in
 * Chromium over the real core, a Connect click → the first dialling step shown in the row.
 *
 *     npx tsx test/bench/saved-bench.ts
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { SavedConnections } from '../../electron/core/saved';
import { buildRenderer } from '../browser/build-renderer';
import { CHROMIUM_LAUNCH } from '../browser/chromium';
import { openPopup, servePopup } from '../browser/harness';
import { BUILD_DIR, FIXTURES_DIR, buildC, loadFakeRas } from '../support/fake-ras';
import type { BenchRow } from './bench-row';

export const ENTRY_COUNTS = [1, 100] as const;
const SAMPLES = 41;
const CLICKS = 40;
const CLICK_TARGET_P95_MS = 100;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

function baselinePath(): string {
  const source = join(import.meta.dirname, 'ras-entries-baseline.c');
  return buildC(join(BUILD_DIR, 'ras-entries-baseline'), [source], ['-ldl'], [source, join(import.meta.dirname, 'baseline-timing.h'), join(import.meta.dirname, 'baseline-dl.h'), join(FIXTURES_DIR, 'fake-rasapi32.h'), join(FIXTURES_DIR, 'fake-rasapi32-dial.h')]);
}

function runBaseline(library: string): Map<number, number> {
  const out = execFileSync(baselinePath(), [library, ...ENTRY_COUNTS.map(String)], { encoding: 'utf8' });
  return new Map(
    out
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number) as [number, number])
      .map(([n, ns]) => [n, ns / 1000]),
  );
}

/** Median µs per listEntries() of the RAS backend over the fake, `n` entries (half in each book). */
async function measureListing(n: number): Promise<number> {
  const fake = loadFakeRas();
  fake.reset();
  for (let i = 0; i < n; i++) fake.addEntry({ name: `Office VPN ${i + 1}`, allUsers: (i & 1) === 1 });
  const source = createRasSource(fake.path);
  try {
    const batch = n >= 64 ? 200 : 5000;
    for (let i = 0; i < 5 * batch; i++) await source.listEntries!();
    const samples: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const t0 = process.hrtime.bigint();
      for (let b = 0; b < batch; b++) if ((await source.listEntries!())!.length !== n) throw new Error('wrong count');
      samples.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
    return median(samples);
  } finally {
    source.close();
    fake.reset();
  }
}

/** Page side (source text): click Connect and resolve with the ms until the row shows a dialling step. */
const CLICK_SCRIPT = `window.__clickToFirstStep = () => new Promise((resolveStep) => {
  const button = [...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Connect Bench');
  const step = () => button.closest('li').querySelector('.row-step')?.textContent ?? '';
  const started = performance.now();
  const observer = new MutationObserver(() => {
    const text = step();
    if (text !== '' && text !== 'Starting…') {
      observer.disconnect();
      resolveStep(performance.now() - started);
    }
  });
  observer.observe(button.closest('li'), { subtree: true, childList: true, characterData: true });
  button.click();
});`;

async function measureClicks(page: Page): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < CLICKS; i++) {
    await page.getByRole('button', { name: 'Connect Bench', exact: true }).waitFor();
    samples.push(await page.evaluate(() => (globalThis as unknown as { __clickToFirstStep(): Promise<number> }).__clickToFirstStep()));
    // The entry's dial hangs: cancel it (RasHangUpW) and wait for the row to offer Connect again.
    await page.getByRole('button', { name: 'Cancel connecting Bench' }).click();
  }
  return samples;
}

export async function runSavedBench(): Promise<BenchRow[]> {
  const library = loadFakeRas().path;
  const listed = new Map<number, number>();
  for (const n of ENTRY_COUNTS) listed.set(n, await measureListing(n));
  const baseline = runBaseline(library);
  const rows: BenchRow[] = ENTRY_COUNTS.map((n) => ({
    name: `RasEnumEntriesW → entries, ${n} entr${n === 1 ? 'y' : 'ies'} (koffi + decode vs C calls)`,
    value: round(listed.get(n)!),
    unit: 'µs',
    baseline: round(baseline.get(n)!),
    ratio: round(listed.get(n)! / baseline.get(n)!),
  }));

  await buildRenderer();
  const fake = loadFakeRas();
  fake.reset();
  fake.addEntry({ name: 'Bench', outcome: 'hang', states: 3, stepMs: 1 });
  const source = createRasSource(fake.path);
  const monitor = new ConnectionMonitor(source);
  const saved = new SavedConnections(source, monitor);
  const server = await servePopup();
  const browser = await chromium.launch({ ...CHROMIUM_LAUNCH, headless: true });
  let samples: number[];
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 480 } });
    const popup = await openPopup(page, { monitor, saved, server });
    await page.evaluate(CLICK_SCRIPT);
    samples = await measureClicks(page);
    popup.close();
  } finally {
    await browser.close();
    await server.close();
    monitor.close();
    fake.reset();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
  rows.push({
    name: 'popup: Connect click → first dialling step in the row, p95',
    value: round(p95, 1),
    unit: 'ms',
    baseline: CLICK_TARGET_P95_MS,
    ratio: round(p95 / CLICK_TARGET_P95_MS),
    note: `${samples.length} clicks over the fake's RasDialW; p50 ${round(sorted[sorted.length >> 1]!, 1)} ms; aim < ${CLICK_TARGET_P95_MS} ms${p95 < CLICK_TARGET_P95_MS ? ' (met)' : ' (MISSED)'}`,
  });
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await runSavedBench()) {
    const against = row.baseline !== undefined ? `  (baseline ${row.baseline} ${row.unit}, ratio ${row.ratio})` : '';
    console.log(`${row.name}: ${row.value} ${row.unit}${against}${row.note ? `  — ${row.note}` : ''}`);
  }
}
