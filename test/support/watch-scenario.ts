/**
 * The `linkwatch watch --json` scenario the CLI tests play on every runner (Linux Node over the .so, Windows
 * Node under Wine over the DLL): the fake's states written in turn from this process, each after the line the
 * previous one caused, and the events a watcher must have printed.
 */
import { RASCS, writeFakeRasState, type FakeRasStateConnection } from './fake-ras';

const office = { handle: 0x3001, name: 'Office VPN' };
const branch = { handle: 0x3002, name: 'Branch', state: RASCS.Connected };

/** The states, in order: the first before the watch starts. */
export const WATCH_SCENARIO_STATES: readonly (readonly FakeRasStateConnection[])[] = [
  [{ ...office, state: RASCS.ConnectDevice }],
  [{ ...office, state: RASCS.Connected }],
  [{ ...office, state: RASCS.Connected }, branch],
  [branch],
];

/** [type, connection id, state] of each line, in order. */
export const WATCH_SCENARIO_EVENTS = [
  ['added', 'ras:3001', 'connecting'],
  ['changed', 'ras:3001', 'connected'],
  ['added', 'ras:3002', 'connected'],
  ['removed', 'ras:3001', 'connected'],
];

/** Fields a health read may change by itself: see jsonLines. */
const HEALTH_READ_FIELDS = new Set(['health', 'connectedSince']);

/**
 * The printed lines, parsed (blank lines skipped). A line that changes only what a health read brings (issue
 * 26: `watch` reads counters for health once a tunnel is connected; the first turns it `verifying`, and RAS
 * reports its own connect duration with them, correcting `connectedSince` to the system's figure) is left
 * out: this scenario is about the list and its states; health's own lines are tested in test/native/health/.
 */
export function jsonLines(text: string): { type: string; time: string; fields?: string[]; connection: { id: string; state: string } }[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { type: string; time: string; fields?: string[]; connection: { id: string; state: string } })
    .filter((event) => !(event.type === 'changed' && event.fields !== undefined && event.fields.every((field) => HEALTH_READ_FIELDS.has(field))));
}

/**
 * Once the watch runs (the first state already written): wait for each line, write the next state. `output`
 * reads what the watcher has printed so far; `describe` says what it printed, for a timeout's message.
 */
export async function playWatchScenario(stateFile: string, output: () => string, describe: () => string = output): Promise<void> {
  for (let step = 1; step <= WATCH_SCENARIO_STATES.length; step++) {
    const deadline = Date.now() + 30_000;
    while (jsonLines(output()).length < step) {
      if (Date.now() > deadline) throw new Error(`waited for ${step} lines, got:\n${describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (step < WATCH_SCENARIO_STATES.length) writeFakeRasState(stateFile, WATCH_SCENARIO_STATES[step]!);
  }
}
