/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run, printed as one table.
 * Speed goals live here, never in timed unit tests. A benchmark whose tools are missing prints why it did
 * not run (and fails under LINKWATCH_NO_SKIP=1, as in CI).
 */
import { adapterEventNeeds, runAdapterEventBench } from './adapter-event';
import { runAdapterBench } from './adapter-snapshot';
import type { BenchRow } from './bench-row';
import { runCoreProcessBench } from './core-process';
import { runDarwinBench } from './darwin-snapshot';
import { runExportBench } from './export';
import { runHistoryBench } from './history';
import { linuxIdleNeeds, runDarwinIdleBench, runLinuxIdleBench, runWin32IdleBench, win32IdleNeeds } from './idle-cost';
import { runHealthHiddenBench } from './health-hidden';
import { runLinuxPopupBench } from './linux-popup-latency';
import { runLinuxBench } from './linux-snapshot';
import { nmLatencyNeeds, runNmLatencyBench } from './nm-latency';
import { runPopupBench } from './popup-latency';
import { runPopupShowBench } from './popup-show';
import { runRasBench } from './ras-snapshot';
import { runRoutingBench } from './routing-verdict';
import { runSavedBench } from './saved-bench';
import { runWineRasBench, wineBenchUnavailable } from './wine-ras-push';

const suites: { title: string; run: () => Promise<BenchRow[]>; needs?: () => string | null }[] = [
  { title: 'Windows RAS backend over the contract fake', run: runRasBench },
  { title: 'Windows adapter backend over the contract fake', run: runAdapterBench },
  { title: 'Windows adapters under Wine: adapter up to event', run: runAdapterEventBench, needs: adapterEventNeeds },
  { title: 'The core in its own process (RAS fake, 1 connection) against the same reads in-process', run: runCoreProcessBench, needs: () => (process.platform !== 'linux' ? 'reads RSS from /proc: Linux only' : null) },
  {
    title: 'macOS backend (the real walker) over the fake libSystem',
    run: runDarwinBench,
    needs: () => (process.platform !== 'linux' ? 'the fake libSystem builds on Linux only' : null),
  },
  {
    title: 'Linux backend on real tun interfaces',
    run: runLinuxBench,
    needs: () => (process.platform !== 'linux' ? 'Linux only' : process.getuid?.() !== 0 ? 'needs root for network namespaces' : null),
  },
  {
    title: 'Linux: address-up to popup row on real tunnels',
    run: runLinuxPopupBench,
    needs: () => (process.platform !== 'linux' ? 'Linux only' : process.getuid?.() !== 0 ? 'needs root for network namespaces' : null),
  },
  {
    title: 'Linux routing verdict (issue 25): cost after a route change, push latency, idle route churn',
    run: runRoutingBench,
    needs: () => (process.platform !== 'linux' ? 'Linux only' : process.getuid?.() !== 0 ? 'needs root for network namespaces' : null),
  },
  { title: 'Linux on a real NetworkManager: Connect click to connected, Disconnect click to gone', run: runNmLatencyBench, needs: nmLatencyNeeds },
  { title: 'Windows RAS under Wine (Windows Node over the fake DLL): push vs polling, idle cost', run: runWineRasBench, needs: wineBenchUnavailable },
  { title: 'Popup: fake change to updated row, and bundle size', run: runPopupBench },
  { title: 'Popup: shown after the tray click, memory with 50 rows, React commits while hidden', run: runPopupShowBench },
  { title: 'Saved connections: phone-book listing against C, Connect click to first step', run: runSavedBench },
  { title: 'History: change to committed row, history --json over 100 000 sessions, store size', run: runHistoryBench },
  { title: 'Health while hidden (RAS fake): reads per minute and CPU, 1 and 10 tunnels, against health off', run: runHealthHiddenBench },
  { title: 'Prometheus export: change to both files written, and their size', run: runExportBench },
  { title: 'Idle cost on Linux: wake-ups and reads per minute, now against the cadence before issue 23 (same run)', run: runLinuxIdleBench, needs: linuxIdleNeeds },
  { title: 'Idle cost on Windows under Wine: reads per minute over the RAS and iphlpapi fakes', run: runWin32IdleBench, needs: win32IdleNeeds },
  {
    title: 'Idle cost on macOS over the fake libSystem: reads per minute',
    run: runDarwinIdleBench,
    needs: () => (process.platform !== 'linux' ? 'the fake libSystem builds on Linux only' : null),
  },
];

function cell(value: number | undefined): string {
  if (value === undefined) return '';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function printTable(title: string, rows: BenchRow[]): void {
  const table = rows.map((row) => [row.name, `${cell(row.value)} ${row.unit}`, row.baseline === undefined ? '' : `${cell(row.baseline)} ${row.unit}`, row.ratio === undefined ? '' : `${cell(row.ratio)}×`, row.note ?? '']);
  const header = ['measure', 'value', 'baseline', 'ratio', 'note'];
  const widths = header.map((title, index) => Math.max(title.length, ...table.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((text, index) => (index === 1 || index === 2 || index === 3 ? text.padStart(widths[index]!) : text.padEnd(widths[index]!))).join('  ').trimEnd();
  console.log(`\n## ${title}\n`);
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of table) console.log(line(row));
}

let failed = false;
for (const suite of suites) {
  const missing = suite.needs?.() ?? null;
  if (missing) {
    console.log(`\n## ${suite.title}\n\nnot run: ${missing}`);
    if (process.env.LINKWATCH_NO_SKIP === '1') failed = true;
    continue;
  }
  try {
    printTable(suite.title, await suite.run());
  } catch (error) {
    failed = true;
    console.log(`\n## ${suite.title}\n\nfailed: ${(error as Error).stack ?? String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
