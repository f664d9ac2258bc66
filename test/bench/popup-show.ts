/**
 * The popup's cost as a tray app pays it, over the production renderer in Chromium and a real monitor:
 * - shown after the tray click: from the main process's `popup:visibility` push (what main.ts sends once it
 *   has shown the window) to the first frame after React's commit for it (two animation frames after the
 *   commit: the frame that carries it has been presented). Electron's own window show is not in it (no
 *   Electron binary here); the same list of 50 live rows before and after.
 * - the renderer's memory with 50 rows: JS heap after a forced GC and DOM nodes (CDP), against the same
 *   page with no rows.
 * - React commits per minute while the popup is hidden and connections keep changing, against the same
 *   page shown (counted by the devtools hook, test/browser/render-counter.ts).
 *
 *     npx tsx test/bench/popup-show.ts
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { ConnectionSource, SourceConnection } from '../../electron/core/platforms/source';
import { buildRenderer } from '../browser/build-renderer';
import { CHROMIUM_LAUNCH } from '../browser/chromium';
import { attachBridge, servePopup, type PopupBridge } from '../browser/harness';
import { countRenders, renderCount } from '../browser/render-counter';
import { sourceConnection } from '../support/connections';
import type { BenchRow } from './bench-row';

const ROWS = 50;
const SHOWS = 30;
const HIDDEN_MS = 20_000;

/** `count` connections with growing counters; every `flipEvery` reads one of them changes state. */
function manyConnections(count: number, flipEvery = 8): ConnectionSource {
  let reads = 0;
  return {
    backend: 'bench',
    async read({ counters }) {
      reads += 1;
      const flipped = Math.floor(reads / flipEvery) % count;
      return Array.from({ length: count }, (_, index): SourceConnection =>
        sourceConnection({
          id: `c${index}`,
          name: `Connection ${String(index).padStart(2, '0')} with a longer name`,
          kind: index % 3 === 0 ? 'broadband' : 'vpn',
          state: index === flipped && reads % 2 === 0 ? 'connecting' : 'connected',
          canDisconnect: true,
          addresses: [`10.${index}.0.2/32`, `fd00:${index}::2/64`],
          bytesIn: counters ? reads * (1000 + index * 37) : null,
          bytesOut: counters ? reads * (300 + index * 11) : null,
          upSince: Date.now() - index * 60_000,
        }),
      );
    },
    close() {},
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Page side: resolves (page clock) two frames after the first commit that follows the next visibility push. */
const ARM_SHOWN = `window.__armShown = () => {
  window.__shown = new Promise((done) => {
    const off = window.linkwatch.on('popup:visibility', (visible) => {
      if (!visible) return;
      off();
      const arrivedAt = performance.timeOrigin + performance.now();
      const commits = window.__renders.commits;
      const waitCommit = () => {
        if (window.__renders.commits === commits) return requestAnimationFrame(waitCommit);
        requestAnimationFrame(() => requestAnimationFrame(() => done({ arrivedAt, paintedAt: performance.timeOrigin + performance.now() })));
      };
      waitCommit();
    });
  });
};`;

type ShownGlobals = { __armShown(): void; __shown: Promise<{ arrivedAt: number; paintedAt: number }> };

async function measureShows(page: Page, popup: PopupBridge): Promise<number[]> {
  await page.evaluate(ARM_SHOWN);
  const samples: number[] = [];
  for (let i = 0; i < SHOWS; i++) {
    await popup.setVisible(false);
    await new Promise((wait) => setTimeout(wait, 300 + Math.random() * 700));
    await page.evaluate(() => (globalThis as unknown as ShownGlobals).__armShown());
    const sentAt = await page.evaluate(() => performance.timeOrigin + performance.now());
    await popup.setVisible(true);
    const { paintedAt } = await page.evaluate(() => (globalThis as unknown as ShownGlobals).__shown);
    samples.push(paintedAt - sentAt);
  }
  return samples;
}

async function heap(page: Page): Promise<{ heapMb: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { nodes } = await cdp.send('Memory.getDOMCounters');
  await cdp.detach();
  return { heapMb: usedSize / 1024 / 1024, nodes };
}

async function openWith(count: number, server: { url: string }, browser: Awaited<ReturnType<typeof chromium.launch>>) {
  const monitor = new ConnectionMonitor(manyConnections(count));
  const page = await browser.newPage({ viewport: { width: 360, height: 480 } });
  await countRenders(page);
  const popup = await attachBridge(page, { monitor });
  await page.goto(server.url);
  await popup.setVisible(true);
  if (count > 0) await page.locator('.row-name', { hasText: 'Connection 00 with a longer name' }).first().waitFor();
  else await page.waitForTimeout(1500);
  // Let rates arrive (two counter readings) and the list settle.
  await page.waitForTimeout(1500);
  return { monitor, page, popup };
}

async function rendersPerMinute(page: Page, ms: number): Promise<number> {
  const before = await renderCount(page);
  await page.waitForTimeout(ms);
  return ((await renderCount(page)) - before) * (60_000 / ms);
}

export async function runPopupShowBench(): Promise<BenchRow[]> {
  await buildRenderer();
  const server = await servePopup();
  const browser = await chromium.launch({ ...CHROMIUM_LAUNCH, headless: true });
  try {
    const empty = await openWith(0, server, browser);
    const emptyHeap = await heap(empty.page);
    empty.popup.close();
    empty.monitor.close();
    await empty.page.close();

    const full = await openWith(ROWS, server, browser);
    const fullHeap = await heap(full.page);
    const visibleRate = await rendersPerMinute(full.page, HIDDEN_MS);
    await full.popup.setVisible(false);
    await full.page.waitForTimeout(500);
    const hiddenRate = await rendersPerMinute(full.page, HIDDEN_MS);
    await full.popup.setVisible(true);
    const shows = (await measureShows(full.page, full.popup)).sort((a, b) => a - b);
    full.popup.close();
    full.monitor.close();
    const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
    return [
      { name: `popup shown after the tray click (${ROWS} rows), p50`, value: round(percentile(shows, 50)), unit: 'ms', note: `${SHOWS} shows: visibility push → 2 frames after React's commit; max ${round(shows.at(-1)!)} ms` },
      { name: `popup shown after the tray click (${ROWS} rows), p95`, value: round(percentile(shows, 95)), unit: 'ms' },
      { name: `renderer JS heap with ${ROWS} rows (after GC)`, value: round(fullHeap.heapMb, 2), unit: 'MB', baseline: round(emptyHeap.heapMb, 2), ratio: round(fullHeap.heapMb / emptyHeap.heapMb, 2), note: 'baseline: the same popup with no rows' },
      { name: `renderer DOM nodes with ${ROWS} rows`, value: fullHeap.nodes, unit: 'nodes', baseline: emptyHeap.nodes, ratio: round(fullHeap.nodes / emptyHeap.nodes, 2) },
      { name: 'React commits per minute, popup hidden', value: round(hiddenRate), unit: '/min', baseline: round(visibleRate), ratio: round(hiddenRate / Math.max(visibleRate, 1), 3), note: `${ROWS} rows, one changing state every 8 reads; baseline: the same popup shown; aim 0` },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await runPopupShowBench()) {
    const against = row.baseline !== undefined ? `  (baseline ${row.baseline} ${row.unit}, ratio ${row.ratio})` : '';
    console.log(`${row.name}: ${row.value} ${row.unit}${against}${row.note ? `  — ${row.note}` : ''}`);
  }
}
