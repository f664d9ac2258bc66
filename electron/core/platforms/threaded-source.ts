/**
 * A ConnectionSource whose backend runs on a worker thread (source-worker.ts), so that a native call that
 * blocks (RasMan answering an RPC late, or never) stalls that thread and not the caller's: in the app, the
 * Electron main thread that also runs the tray, the menu and IPC. The monitor's read watchdog still reports a
 * stuck read as ETIMEDOUT; what changes is that everything else keeps running meanwhile.
 *
 * The two sides talk in `WorkerRequest` / `WorkerReply` below, the one definition of the protocol.
 */
import { Worker } from 'node:worker_threads';
import type { ErrorInfo } from '../../../shared/connection';
import { BackendError } from '../backend-error';
import { createSource, pickBackend } from './index';
import type { ConnectionSource, DialProgress, ReadOptions, SourceConnection, SourceEntry } from './source';

/** Main thread → worker. Requests with an `id` get exactly one reply carrying it. */
export type WorkerRequest =
  | { type: 'read'; id: number; options: ReadOptions }
  | { type: 'hang-up'; id: number; connectionId: string }
  | { type: 'list-entries'; id: number }
  /** Dial a saved entry: `dial-progress` replies carry its steps, then one `connect-done`. */
  | { type: 'connect'; id: number; name: string }
  | { type: 'cancel'; id: number; connectionId: string }
  | { type: 'watch' }
  | { type: 'unwatch' }
  /** Close the source and let the thread end. */
  | { type: 'close' }
  /** Test hook: throw an uncaught exception in the worker, as a bug in a backend would. */
  | { type: 'crash' };

/** Worker → main thread. Errors travel as data (`{code, message}`), as across IPC. */
export type WorkerReply =
  | { type: 'read-done'; id: number; connections: SourceConnection[] }
  | { type: 'hang-up-done'; id: number }
  | { type: 'entries-done'; id: number; entries: SourceEntry[] | null }
  | { type: 'dial-progress'; id: number; progress: DialProgress }
  | { type: 'connect-done'; id: number; progress: DialProgress }
  | { type: 'cancel-done'; id: number }
  | { type: 'failed'; id: number; error: ErrorInfo }
  | { type: 'changed' }
  | { type: 'watch-failed'; error: ErrorInfo };

export interface ThreadedSourceOptions {
  /** The worker entry: source-worker.js next to the built main.js, or source-worker.ts under tsx. */
  workerUrl: URL;
  /** The environment the backend is picked from and the worker runs with. Default: process.env, as now. */
  env?: NodeJS.ProcessEnv;
  /** Node options for the worker (tests: a tsx loader). Default: none. */
  execArgv?: string[];
  /** A worker that died is replaced at most this often: a worker that dies at start is not a restart loop. */
  minRestartIntervalMs?: number;
}

export interface ThreadedSource extends ConnectionSource {
  /** Test hook: make the worker throw an uncaught exception (no-op without a worker). */
  crashWorker(): void;
}

export const DEFAULT_MIN_RESTART_INTERVAL_MS = 5000;
/** How long close() lets the worker close its source before terminating it. */
const CLOSE_GRACE_MS = 1000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: BackendError): void;
  /** A dial's steps, as they come. */
  progress?: (progress: DialProgress) => void;
}

/** One worker's life: events of a replaced worker must not touch its successor. */
interface Running {
  worker: Worker;
  startedAt: number;
  closing: boolean;
  dead: boolean;
}

export function createThreadedSource(options: ThreadedSourceOptions): ThreadedSource {
  const env = { ...(options.env ?? process.env) };
  const minRestartIntervalMs = options.minRestartIntervalMs ?? DEFAULT_MIN_RESTART_INTERVAL_MS;
  // Known here without loading anything native: the monitor reads `backend`, `watch` and `hangUp` at once.
  const pick = pickBackend(env);
  const pending = new Map<number, Pending>();
  /** Each watcher's onChange, and its onUnavailable (told when push fails in the worker: it polls then). */
  const watchers = new Map<() => void, (error: ErrorInfo) => void>();
  let nextId = 1;
  let running: Running | null = null;
  /** The last worker that died, while it bars a restart: why, and when it had started. */
  let death: { message: string; startedAt: number } | null = null;

  /** Keep the process alive only while someone waits on the worker (a request, a subscription). */
  function updateRef(): void {
    if (!running) return;
    if (pending.size > 0 || watchers.size > 0) running.worker.ref();
    else running.worker.unref();
  }

  function fail(run: Running, message: string): void {
    if (run.dead) return;
    run.dead = true;
    if (running === run) running = null;
    if (run.closing) return;
    death = { message, startedAt: run.startedAt };
    const error = new BackendError('EWORKER', message);
    const waiting = [...pending.values()];
    pending.clear();
    for (const request of waiting) request.reject(error);
    // Watchers lost their subscription: let the monitor read now (and learn of the error); the next read
    // starts a fresh worker, which subscribes again.
    for (const onChange of [...watchers.keys()]) onChange();
  }

  function start(): Running {
    if (running) return running;
    const now = Date.now();
    if (death && now - death.startedAt < minRestartIntervalMs) {
      throw new BackendError('EWORKER', `${death.message} (restarting it in at most ${Math.ceil(minRestartIntervalMs / 1000)} s)`);
    }
    death = null;
    let worker: Worker;
    try {
      worker = new Worker(options.workerUrl, { env, execArgv: options.execArgv ?? [] });
    } catch (error) {
      throw new BackendError('EWORKER', `Cannot start the ${pick.kind} backend's worker thread: ${(error as Error).message}`, { cause: error });
    }
    const run: Running = { worker, startedAt: now, closing: false, dead: false };
    worker.on('message', (reply: WorkerReply) => onReply(run, reply));
    worker.on('error', (error: Error) => fail(run, `The ${pick.kind} backend's worker thread failed: ${error.message}`));
    worker.on('exit', (code: number) => fail(run, `The ${pick.kind} backend's worker thread exited (code ${code})`));
    running = run;
    if (watchers.size > 0) worker.postMessage({ type: 'watch' } satisfies WorkerRequest);
    updateRef();
    return run;
  }

  function onReply(run: Running, reply: WorkerReply): void {
    if (run !== running) return;
    switch (reply.type) {
      case 'read-done':
        settle(reply.id, (p) => p.resolve(reply.connections));
        break;
      case 'hang-up-done':
      case 'cancel-done':
        settle(reply.id, (p) => p.resolve(undefined));
        break;
      case 'entries-done':
        settle(reply.id, (p) => p.resolve(reply.entries));
        break;
      case 'dial-progress':
        pending.get(reply.id)?.progress?.(reply.progress);
        break;
      case 'connect-done':
        settle(reply.id, (p) => p.resolve(reply.progress));
        break;
      case 'failed':
        settle(reply.id, (p) => p.reject(new BackendError(reply.error.code, reply.error.message)));
        break;
      case 'changed':
        for (const onChange of [...watchers.keys()]) onChange();
        break;
      case 'watch-failed':
        // It arrives after watch() returned: tell the watchers, which poll from then on.
        for (const onUnavailable of [...watchers.values()]) onUnavailable(reply.error);
        break;
    }
  }

  function settle(id: number, how: (p: Pending) => void): void {
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    how(request);
    updateRef();
  }

  function request<T>(make: (id: number) => WorkerRequest, progress?: (progress: DialProgress) => void): Promise<T> {
    let run: Running;
    try {
      run = start();
    } catch (error) {
      return Promise.reject(error as BackendError);
    }
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, ...(progress ? { progress } : {}) });
      updateRef();
      run.worker.postMessage(make(id));
    });
  }

  const source: ThreadedSource = {
    backend: pick.kind,
    pollWhileConnecting: pick.kind === 'rasapi32',
    read: (readOptions) => request<SourceConnection[]>((id) => ({ type: 'read', id, options: readOptions })),
    close(): void {
      watchers.clear();
      const run = running;
      running = null;
      death = null;
      const closed = new BackendError('EWORKER', `The ${pick.kind} backend was closed`);
      const waiting = [...pending.values()];
      pending.clear();
      for (const p of waiting) p.reject(closed);
      if (!run || run.dead) return;
      run.closing = true;
      // The worker stays referenced until it has closed its source and ended: torn down mid-subscription,
      // its parked poll would outlive it. A worker stuck in a native call cannot close its source;
      // terminate it after the grace (it ends once the call returns).
      run.worker.ref();
      run.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
      setTimeout(() => void run.worker.terminate(), CLOSE_GRACE_MS).unref();
    },
    crashWorker(): void {
      running?.worker.postMessage({ type: 'crash' } satisfies WorkerRequest);
    },
  };

  // Only where the backend has them in-thread (platforms/index.ts): netlink, getifaddrs and rasapi32 push
  // (RAS where RasConnectionNotificationW works: else the worker says watch-failed and the monitor polls),
  // rasapi32 hangs up. The monitor polls a source without `watch`, and says "cannot hang up" for one without `hangUp`.
  if (pick.kind === 'netlink' || pick.kind === 'getifaddrs' || pick.kind === 'rasapi32') {
    source.watch = (onChange, onUnavailable = () => {}) => {
      watchers.set(onChange, onUnavailable);
      if (watchers.size === 1) {
        if (running) running.worker.postMessage({ type: 'watch' } satisfies WorkerRequest);
        else {
          try {
            start(); // subscribes as it starts
          } catch {
            // A worker that just died: the next read starts its successor, which subscribes.
          }
        }
      }
      updateRef();
      return () => {
        if (!watchers.delete(onChange) || watchers.size > 0) return;
        running?.worker.postMessage({ type: 'unwatch' } satisfies WorkerRequest);
        updateRef();
      };
    };
  }
  if (pick.kind === 'rasapi32') {
    source.hangUp = (id) => request<void>((requestId) => ({ type: 'hang-up', id: requestId, connectionId: id }));
  }
  // Saved connections: the phone book (rasapi32) and NetworkManager's profiles (netlink).
  if (pick.kind === 'rasapi32' || pick.kind === 'netlink') {
    source.listEntries = () => request<SourceEntry[] | null>((id) => ({ type: 'list-entries', id }));
    source.connect = (name, onProgress) => request<DialProgress>((id) => ({ type: 'connect', id, name }), onProgress);
    source.cancel = (connectionId) => request<void>((id) => ({ type: 'cancel', id, connectionId }));
  }
  return source;
}

/**
 * The app's source: the backend on a worker thread, unless a worker cannot run here at all (a packaged app
 * whose runtime cannot load the worker script, say). One read at start tells: a worker that fails before it
 * answers anything gives way, for good, to the same backend on this thread, as before threads were used. A
 * backend error (ELOAD, a RAS code) is not the worker's fault: the threaded source stays and reports it.
 */
export async function startThreadedSource(
  options: ThreadedSourceOptions,
  inThread: () => ConnectionSource = () => createSource(options.env),
  log: (message: string) => void = (message) => console.error(`linkwatch: ${message}`),
): Promise<ConnectionSource> {
  const threaded = createThreadedSource(options);
  try {
    await threaded.read({ counters: false });
    return threaded;
  } catch (error) {
    if (!(error instanceof BackendError) || error.code !== 'EWORKER') return threaded;
    threaded.close();
    log(`${error.message}; reading connections on the main thread instead`);
    return inThread();
  }
}

