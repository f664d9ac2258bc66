/**
 * A wait parked on a libuv pool thread with no timeout (poll(2) through koffi's async call) must be woken
 * before the process exits: libuv joins its pool threads in a destructor that runs inside exit(3)
 * (`cleanup()` in libuv's src/threadpool.c, compiled for every OS but Windows), so a thread still blocked in
 * poll(2) holds `process.exit()` until the next event on its descriptors, possibly forever. Measured here
 * (Node 24, 2026-12): without the wake an exit hangs; with it, it takes its usual milliseconds.
 *
 * Node's 'exit' event runs synchronously before exit(3), for `process.exit()`, an uncaught exception and an
 * unhandled rejection alike, and a write(2) to an eventfd or pipe from it is a plain synchronous call. A
 * fatal signal (SIGKILL, or SIGTERM without a handler) runs no destructor, so nothing is joined there.
 *
 * This is what lets the readers block until data or their stop handle, instead of waking every second to
 * check whether they were stopped.
 */
export function wakeAtExit(wake: () => void): () => void {
  const listener = (): void => {
    try {
      wake();
    } catch {
      // Exiting anyway: a wake that fails leaves the old behaviour (the exit waits for the next event).
    }
  };
  process.on('exit', listener);
  return () => {
    process.off('exit', listener);
  };
}
