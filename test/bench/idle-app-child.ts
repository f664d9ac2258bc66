/**
 * The app's shape without Electron, for test/bench/idle-cost.ts (bundled first, test/support/idle.ts): a
 * ConnectionMonitor in this process (the main process's part) over the core client, which forks the core
 * process (the bundled core-process.ts, path in argv[2]) serving the netlink backend. Nobody looks: the
 * closed popup. Appends "ready <core pid>" to the file argv[3] after the first list, and on SIGTERM the
 * times of every read this process asked the core for ({"reads": [ms…]}), then exits.
 * LINKWATCH_IDLE_CADENCE=before: the core's reader and, here, the safety read as before issue 23.
 */
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createCoreSource } from '../../electron/core/host/core-client';
import { forkCore } from '../../electron/core/host/fork-channel';
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { ConnectionSource } from '../../electron/core/platforms/source';

const [coreEntry, report] = process.argv.slice(2);
if (!coreEntry || !report) throw new Error('usage: idle-app-child <core-process.mjs> <report file>');
const before = process.env.LINKWATCH_IDLE_CADENCE === 'before';
const core = createCoreSource({ backend: 'netlink', spawn: forkCore({ entry: pathToFileURL(coreEntry) }), ...(before ? { safetyReadMs: 5000 } : {}) });
const reads: number[] = [];
const source: ConnectionSource = {
  ...core,
  read: (options) => {
    reads.push(Date.now());
    return core.read(options);
  },
};
const monitor = new ConnectionMonitor(source, { platform: 'linux' });
let ready = false;
monitor.subscribe(() => {
  if (ready || core.status.pid === null) return;
  ready = true;
  appendFileSync(report, `ready ${core.status.pid}\n`);
});
process.once('SIGTERM', () => {
  appendFileSync(report, `${JSON.stringify({ reads })}\n`);
  monitor.close();
  void core.shutdown().finally(() => process.exit(0));
});
