/**
 * Lets V8's memory reducer finish, so that an idle process is really idle.
 *
 * In V8 13.x (Node 24, and Electron 45's Node) the reducer cannot tell an idle process from a busy one.
 * Once in its waiting state (entered at the first growth of the old generation), its timer
 * (deps/v8/src/heap/memory-reducer.cc: kLongDelayMs 8000 + 100 ms slack) asks every 8.1 s whether the
 * allocation rate is low. Part of that test is the rate of the embedder heap (cppgc), now a decaying average
 * (V8 CL 5935313, "Use exponential decay for allocation speed") that is exactly 0 in a process that never
 * allocated there, and 0 reads as the highest rate (Heap::ComputeMutatorUtilizationImpl). Its watchdog needs
 * an earlier full GC, which a small idle process never had. So without help it wakes the main thread every
 * 8 s forever: measured here, 7–8 wake-ups a minute of `linkwatch watch --json` with nothing to do.
 * (Reported upstream as nodejs/node issue 66564.)
 *
 * The help: one allocation on the embedder heap at start. Node allocates there for `vm` scripts
 * (src/node_contextify.cc), so compiling a one-character script makes the rate small but not 0: the
 * reducer's next check sees "low allocation", runs its few collections, and stops for good (measured: no
 * wake-up after the first seconds). A command-line `--no-memory-reducer` would do too, but neither the
 * `linkwatch` command's shebang nor every host of the core process can pass V8 flags, and the flag cannot
 * be changed once V8 runs (MemoryReducer::Step only DCHECKs it).
 */
import vm from 'node:vm';

export function letV8MemoryReducerFinish(): void {
  new vm.Script('0');
}
