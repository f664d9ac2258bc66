/**
 * Run under Windows Node by wine-ras-push.ts: a ConnectionMonitor over the fake DLL, nobody looking (the
 * hidden popup's cadence), as the app's core runs on Windows.
 *     events <push|poll|before>   one line per connection event: "<epoch ms> <type> <id> <updates>"
 *     idle <push|poll|before> <s> "idle <enumerations per minute> <RasEnumConnectionsW calls per minute>" over
 *                                 <s> seconds, then exits
 * push: RasConnectionNotificationW; poll: the same source without push, default intervals; before: polling
 * every 200 ms, the cadence before push (main as of issue 15).
 */
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { ConnectionSource } from '../../electron/core/platforms/source';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { loadFakeRas } from '../support/fake-ras';

const [command, mode = 'push', seconds = '30'] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const fake = loadFakeRas();
const ras = createRasSource(fake.path);
/** When each read (one enumeration: RasEnumConnectionsW's probe and fill, then a status per connection) began. */
const reads: number[] = [];
const source: ConnectionSource = {
  backend: ras.backend,
  read: (options) => {
    reads.push(now());
    return ras.read(options);
  },
  hangUp: ras.hangUp,
  close: () => ras.close(),
  ...(mode === 'push' ? { watch: ras.watch } : {}),
};
const monitor = new ConnectionMonitor(source, mode === 'before' ? { pollIntervalMs: 200 } : {});
let ready = false;
monitor.subscribe((update) => {
  if (!ready) {
    ready = true;
    console.log(`ready ${update.snapshot.updates}`);
  }
  if (command !== 'events') return;
  for (const event of update.events) {
    if (event.type !== 'error') console.log(`${now().toFixed(2)} ${event.type} ${event.connection.id} ${update.snapshot.updates}`);
  }
});

if (command === 'idle') {
  await new Promise((resolve) => setTimeout(resolve, 1500)); // past the first read
  const start = now();
  const calls = fake.calls('RasEnumConnectionsW');
  await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
  // The rate between the first and the last read of the window: a count alone is off by one at its edges.
  const window = reads.filter((at) => at >= start);
  const perMinute = window.length < 2 ? 0 : ((window.length - 1) * 60_000) / (window.at(-1)! - window[0]!);
  const callsPerMinute = ((fake.calls('RasEnumConnectionsW') - calls) * 60_000) / (now() - start);
  console.log(`idle ${perMinute.toFixed(1)} ${callsPerMinute.toFixed(1)}`);
  monitor.close();
  process.exit(0);
}
