/**
 * The app's side of the core process (protocol.ts): a `ConnectionSource` whose every method runs in another
 * process. It starts that process at once, restarts it with back-off when it dies (a segfault in native code,
 * a kill), kills it when a call stays unanswered too long (a native call that never returns), and kills it on
 * close after a short grace, so quitting never waits on a hung backend. Meanwhile calls fail at once with an
 * `ECORE` error, which the monitor shows like any backend error (the last good list kept).
 *
 * The transport is given (`SpawnCore`): Electron's utilityProcess in the app (electron/core-host.ts),
 * `child_process.fork` under plain Node (fork-channel.ts). Nothing here imports 'electron' or anything native.
 */
import { BackendError } from '../backend-error';
import type { ConnectionSource } from '../platforms/source';
import { WINDOWS_BACKENDS, WINDOWS_SAFETY_READ_MS } from '../platforms/win32/read-cadence';
import { encodeArgs, isCoreReply, SOURCE_METHODS, UNBOUNDED_CALLS, type CoreReply, type CoreRequest, type SourceMethod } from './protocol';

/** One running core process, as the transport gives it. */
export interface CoreChannel {
  send(message: CoreRequest): void;
  /** End it now, whatever it is doing (SIGKILL / TerminateProcess, or the transport's equivalent). */
  kill(): void;
}

export interface CoreChannelEvents {
  onMessage(message: unknown): void;
  /** The process is gone; `reason` reads after "The core process …" ("exited with code 1", "was killed by SIGSEGV"). */
  onExit(reason: string): void;
}

/** Start a core process. May throw (the transport cannot start one): that counts as a failed start. */
export type SpawnCore = (events: CoreChannelEvents) => CoreChannel;

export type CoreState = 'starting' | 'running' | 'restarting' | 'closed';

export interface CoreStatus {
  state: CoreState;
  /** The running process's pid, once it said hello. */
  pid: number | null;
  /** How many times a core process died and was (or will be) replaced. */
  restarts: number;
  /** Why the last core process ended, while it is being replaced. */
  lastExit: string | null;
}

export interface CoreSourceOptions {
  spawn: SpawnCore;
  /** The backend's name, known before the core answers (platforms/pick.ts): the monitor reads it at once. */
  backend: string;
  /** ConnectionSource.pollWhileConnecting; default: true for rasapi32, whose dialling steps raise no event. */
  pollWhileConnecting?: boolean;
  /** ConnectionSource.safetyReadMs; default: WINDOWS_SAFETY_READ_MS for the Windows backends, else the monitor's. */
  safetyReadMs?: number;
  /** Waits before each restart; the last repeats. A core that lived `stableAfterMs` starts the list over. */
  restartDelaysMs?: readonly number[];
  stableAfterMs?: number;
  /** A call unanswered this long means the core is stuck: it is killed (and restarted). Not for UNBOUNDED_CALLS (a dial). */
  callTimeoutMs?: number;
  /**
   * close(): how long the core may take to close its source before it is killed: long enough for it to hang
   * up each dial in progress and wait for the handles to go (ras-source.ts HANGUP_WAIT_MS, 3 s, as RasHangUp's
   * documentation asks), short enough for quit to end within 5 s (launch.ts QUIT_DEADLINE_MS).
   */
  closeGraceMs?: number;
  /** A subscription with one callback that the core cannot serve is emulated by calling it this often. */
  unsupportedPollMs?: number;
  log?: (message: string) => void;
}

export interface CoreSource extends ConnectionSource {
  readonly status: CoreStatus;
  /** Whether the core's backend has `method`; null until the first core process has said hello. */
  supports(method: SourceMethod): boolean | null;
  /** Status changes (started, died, restarting): the app re-reads at once instead of at the next poll. */
  onStatusChange(listener: (status: CoreStatus) => void): () => void;
  /** close(), resolving once the core process is gone (within `closeGraceMs` plus the kill). */
  shutdown(): Promise<void>;
}

export const DEFAULT_RESTART_DELAYS_MS = [250, 1000, 5000, 15_000, 30_000] as const;
export const DEFAULT_STABLE_AFTER_MS = 60_000;
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_CLOSE_GRACE_MS = 4000;
const DEFAULT_UNSUPPORTED_POLL_MS = 200;

/** The wait before restart number `attempt` (0-based) of a core that keeps dying. */
export function restartDelay(attempt: number, delays: readonly number[] = DEFAULT_RESTART_DELAYS_MS): number {
  return delays[Math.min(Math.max(attempt, 0), delays.length - 1)] ?? 0;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.ceil(ms / 1000)} s`;
}

interface PendingCall {
  method: SourceMethod;
  resolve(value: unknown): void;
  reject(error: BackendError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

interface Subscription {
  method: SourceMethod;
  args: unknown[];
  callbacks: ((...values: unknown[]) => void)[];
  poll: ReturnType<typeof setInterval> | null;
}

/** One core process's life: messages of a replaced process must not touch its successor. */
interface Run {
  channel: CoreChannel | null;
  startedAt: number;
  helloed: boolean;
  dead: boolean;
  exited: Promise<void>;
  markExited(): void;
  /** Requests written before the process said hello (it may not be listening yet). */
  queue: CoreRequest[];
}

export function createCoreSource(options: CoreSourceOptions): CoreSource {
  const delays = options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
  const stableAfterMs = options.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS;
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const unsupportedPollMs = options.unsupportedPollMs ?? DEFAULT_UNSUPPORTED_POLL_MS;
  const log = options.log ?? ((message: string) => console.error(`linkwatch: ${message}`));
  const pending = new Map<number, PendingCall>();
  const subscriptions = new Map<number, Subscription>();
  /** Callbacks passed to calls (progress), by call id, while the call is pending. */
  const callbacksOf = new Map<number, ((...values: unknown[]) => void)[]>();
  const statusListeners = new Set<(status: CoreStatus) => void>();
  let nextId = 1;
  let run: Run | null = null;
  let attempt = 0;
  let restartTimer: ReturnType<typeof setTimeout> | null = null;
  let restartAt = 0;
  let methods: Set<string> | null = null;
  let status: CoreStatus = { state: 'starting', pid: null, restarts: 0, lastExit: null };

  function setStatus(patch: Partial<CoreStatus>): void {
    const next = { ...status, ...patch };
    if ((Object.keys(next) as (keyof CoreStatus)[]).every((key) => next[key] === status[key])) return;
    status = next;
    for (const listener of [...statusListeners]) {
      try {
        listener(status);
      } catch (error) {
        log(`core status listener failed: ${(error as Error).message}`);
      }
    }
  }

  function write(target: Run, message: CoreRequest): void {
    if (target.dead || !target.channel) return;
    if (!target.helloed) {
      target.queue.push(message);
      return;
    }
    try {
      target.channel.send(message);
    } catch (error) {
      // A channel that closed under us: its exit event follows and fails what is pending.
      log(`cannot write to the core process: ${(error as Error).message}`);
    }
  }

  function start(): void {
    restartTimer = null;
    let markExited = (): void => {};
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const current: Run = { channel: null, startedAt: Date.now(), helloed: false, dead: false, exited, markExited, queue: [] };
    run = current;
    setStatus({ state: status.restarts === 0 ? 'starting' : 'restarting', pid: null });
    try {
      current.channel = options.spawn({
        onMessage: (message) => onMessage(current, message),
        onExit: (reason) => onExit(current, reason),
      });
    } catch (error) {
      onExit(current, `could not be started: ${(error as Error).message}`);
    }
  }

  function onMessage(from: Run, message: unknown): void {
    if (from !== run || from.dead) return;
    try {
      if (!isCoreReply(message)) {
        log(`ignoring a malformed message from the core process: ${String(JSON.stringify(message)).slice(0, 200)}`);
        return;
      }
      handleReply(from, message);
    } catch (error) {
      // Another process's message is outside input: whatever it holds, it must not throw into the transport.
      log(`ignoring a message from the core process that cannot be handled: ${String((error as Error)?.message ?? error)}`);
    }
  }

  function handleReply(from: Run, message: CoreReply): void {
    switch (message.type) {
      case 'hello': {
        from.helloed = true;
        methods = new Set(message.methods);
        if (message.backend !== options.backend) log(`the core process serves ${message.backend}, expected ${options.backend}`);
        // Subscriptions live across core processes: each new one gets them all again.
        for (const [id, subscription] of subscriptions) from.queue.unshift({ type: 'subscribe', id, method: subscription.method, args: encodeArgs(subscription.args).args });
        const queued = from.queue.splice(0);
        for (const request of queued) write(from, request);
        setStatus({ state: 'running', pid: message.pid, lastExit: null });
        return;
      }
      case 'result': {
        const call = pending.get(message.id);
        if (call) settle(message.id, call, () => call.resolve(message.value));
        return;
      }
      case 'error': {
        const call = pending.get(message.id);
        if (call) {
          settle(message.id, call, () => call.reject(new BackendError(message.error.code, message.error.message)));
          return;
        }
        const subscription = subscriptions.get(message.id);
        if (!subscription || subscription.poll) return;
        // The core could not make the subscription (no such method in this backend, or it failed there).
        // A subscriber with a second callback takes the failure itself (watch's onUnavailable: the monitor
        // polls then); one with a single callback gets it called on a timer, as polling would.
        if (message.error.code !== 'ENOTSUP') log(`${subscription.method} unavailable: ${message.error.message}`);
        const [first, onFailure] = subscription.callbacks;
        if (onFailure) onFailure(message.error);
        else if (first) subscription.poll = setInterval(() => first(), unsupportedPollMs);
        return;
      }
      case 'callback': {
        const subscription = subscriptions.get(message.id);
        const callback = (subscription?.callbacks ?? callbacksOf.get(message.id))?.[message.callback];
        try {
          callback?.(...message.args);
        } catch (error) {
          log(`a ${subscription?.method ?? 'call'} callback failed: ${(error as Error).message}`);
        }
        return;
      }
    }
  }

  function settle(id: number, call: PendingCall, how: () => void): void {
    pending.delete(id);
    callbacksOf.delete(id);
    if (call.timer) clearTimeout(call.timer);
    how();
  }

  function onExit(from: Run, reason: string): void {
    if (from.dead) return;
    from.dead = true;
    from.markExited();
    if (from !== run) return;
    run = null;
    if (status.state === 'closed') return;
    const lived = Date.now() - from.startedAt;
    if (lived >= stableAfterMs) attempt = 0;
    const delay = restartDelay(attempt, delays);
    attempt += 1;
    const message = `The ${options.backend} backend's core process ${reason}`;
    log(`${message}; restarting it in ${seconds(delay)}`);
    const error = new BackendError('ECORE', message);
    for (const [id, call] of [...pending]) settle(id, call, () => call.reject(error));
    for (const subscription of subscriptions.values()) stopPoll(subscription);
    restartAt = Date.now() + delay;
    restartTimer = setTimeout(start, delay);
    setStatus({ state: 'restarting', pid: null, restarts: status.restarts + 1, lastExit: message });
  }

  function stopPoll(subscription: Subscription): void {
    if (subscription.poll) clearInterval(subscription.poll);
    subscription.poll = null;
  }

  function unavailable(): BackendError {
    if (status.state === 'closed') return new BackendError('ECORE', `The ${options.backend} backend was closed`);
    const wait = Math.max(0, restartAt - Date.now());
    return new BackendError('ECORE', `${status.lastExit ?? `The ${options.backend} backend's core process is not running`} (restarting it in ${seconds(wait)})`);
  }

  function call(method: SourceMethod, args: unknown[]): Promise<unknown> {
    const target = run;
    if (!target || target.dead) return Promise.reject(unavailable());
    const id = nextId++;
    const encoded = encodeArgs(args);
    return new Promise((resolve, reject) => {
      const entry: PendingCall = { method, resolve, reject, timer: null };
      if (!UNBOUNDED_CALLS.has(method)) {
        entry.timer = setTimeout(() => {
          entry.timer = null;
          log(`the core process has not answered ${method} for ${seconds(callTimeoutMs)}: killing it`);
          target.channel?.kill();
        }, callTimeoutMs);
      }
      pending.set(id, entry);
      if (encoded.callbacks.length > 0) callbacksOf.set(id, encoded.callbacks);
      write(target, { type: 'call', id, method, args: encoded.args });
    });
  }

  function subscribe(method: SourceMethod, args: unknown[]): () => void {
    const id = nextId++;
    const subscription: Subscription = { method, args, callbacks: encodeArgs(args).callbacks, poll: null };
    subscriptions.set(id, subscription);
    // Before its hello a core gets every subscription from the hello handler: sent here too, it would be made twice.
    if (run && !run.dead && run.helloed) write(run, { type: 'subscribe', id, method, args: encodeArgs(args).args });
    return () => {
      if (!subscriptions.delete(id)) return;
      stopPoll(subscription);
      if (run && !run.dead) write(run, { type: 'unsubscribe', id });
    };
  }

  function close(): Promise<void> {
    if (status.state === 'closed') return run?.exited ?? Promise.resolve();
    if (restartTimer) clearTimeout(restartTimer);
    restartTimer = null;
    const closing = run;
    setStatus({ state: 'closed', pid: null });
    const error = new BackendError('ECORE', `The ${options.backend} backend was closed`);
    for (const [id, call] of [...pending]) settle(id, call, () => call.reject(error));
    for (const subscription of subscriptions.values()) stopPoll(subscription);
    subscriptions.clear();
    if (!closing || closing.dead || !closing.channel) return Promise.resolve();
    // Asked politely first; a core stuck in a native call cannot answer, and is killed after the grace.
    if (closing.helloed) write(closing, { type: 'close' });
    else closing.channel.kill();
    const killer = setTimeout(() => closing.channel?.kill(), closeGraceMs);
    return closing.exited.finally(() => clearTimeout(killer));
  }

  const source = {
    backend: options.backend,
    // RAS notifies no RASCS_* progress: the RAS backends read often while a connection is connecting.
    pollWhileConnecting: options.pollWhileConnecting ?? (options.backend === 'rasapi32' || options.backend === 'rasapi32+iphlpapi'),
    safetyReadMs: options.safetyReadMs ?? (WINDOWS_BACKENDS.has(options.backend) ? WINDOWS_SAFETY_READ_MS : undefined),
    get status(): CoreStatus {
      return status;
    },
    supports: (method: SourceMethod) => (methods ? methods.has(method) : null),
    onStatusChange(listener: (next: CoreStatus) => void): () => void {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close(): void {
      void close();
    },
    shutdown: close,
  } as Record<string, unknown>;
  // Every method of SOURCE_METHODS, generically: a new source method needs no edit here.
  for (const [method, kind] of Object.entries(SOURCE_METHODS) as [SourceMethod, 'call' | 'subscribe'][]) {
    source[method] = kind === 'call' ? (...args: unknown[]) => call(method, args) : (...args: unknown[]) => subscribe(method, args);
  }
  start();
  return source as unknown as CoreSource;
}
