/**
 * The connection core runs in a process of its own (the "core process": an Electron utilityProcess in the app,
 * a `child_process.fork` under plain Node and in the tests), so a native call that crashes or hangs takes
 * down or stalls that process, never the tray. This file is the one definition of what the two sides say.
 *
 * The protocol is generic over `ConnectionSource` (platforms/source.ts): a request names a method and carries
 * its arguments as data; the answer is its result or its error as data (`{code, message}`, as across IPC).
 * Functions cannot cross a process boundary: each argument travels wrapped, `{ value }` for data and
 * `{ callback: n }` for a function (so no data can be mistaken for one), and each call of a function in the
 * core comes back as a `callback` message: that is how `watch` events (and progress callbacks of a longer
 * call) reach the app.
 *
 * ADDING A SOURCE METHOD costs one edit here: name it in SOURCE_METHODS with how it crosses.
 *   'call'       returns a Promise: one `result` or `error` message answers it.
 *   'subscribe'  returns its unsubscribe function at once (as `watch` does): the core keeps the subscription
 *                until an `unsubscribe` for the same id; its callbacks stream back as `callback` messages.
 * The table is checked against the interface: a method missing here, or named here and not there, does not
 * compile. Arguments and results must survive the structured clone (both transports use it).
 */
import type { ErrorInfo } from '../../../shared/connection';
import type { ConnectionSource } from '../platforms/source';

/** The members of ConnectionSource that are methods the core serves (`backend`, `pollWhileConnecting` and
 * `safetyReadMs` are data, known in the app without the core; `close` and `shutdown` end it all). */
export type SourceMethod = Exclude<keyof ConnectionSource, 'backend' | 'pollWhileConnecting' | 'safetyReadMs' | 'close' | 'shutdown'>;
export type MethodKind = 'call' | 'subscribe';

export const SOURCE_METHODS = {
  read: 'call',
  hangUp: 'call',
  diagnose: 'call',
  watch: 'subscribe',
  // Saved connections (issue 13): connect's progress callback streams back as `callback` messages.
  listEntries: 'call',
  connect: 'call',
  cancel: 'call',
  // Health (issue 26): one echo inside a tunnel.
  probe: 'call',
  // The administrator's policy (issue 27): read in the core, where the Windows registry is read natively.
  policy: 'call',
  watchPolicy: 'subscribe',
  // Routes and DNS (issue 25).
  readRouting: 'call',
} as const satisfies Record<SourceMethod, MethodKind>;

/**
 * Calls that last as long as something outside Linkwatch decides, and so have no call deadline: `connect`
 * lasts the whole dial (a modem, a slow IKEv2 negotiation) or the whole time the user spends in Windows'
 * connect dialog, and ends by the user's Cancel or by RAS's own timeouts. Killing the core at a deadline
 * would kill RAS's dial machine mid-dial (it runs on a thread of the core process) and close the dialog.
 * Whether the core itself is alive is judged by the calls that run beside it (every read keeps its deadline):
 * RasDialW and the dialog run off the core's JS thread, so a healthy core keeps answering them.
 */
export const UNBOUNDED_CALLS: ReadonlySet<SourceMethod> = new Set<SourceMethod>(['connect']);

/** One argument on the wire: data as is, or a function by its position among the call's callbacks. */
export type WireArg = { value: unknown } | { callback: number };

/** App → core. */
export type CoreRequest =
  | { type: 'call' | 'subscribe'; id: number; method: SourceMethod; args: WireArg[] }
  | { type: 'unsubscribe'; id: number }
  /** Close the source; the core process then exits by itself. */
  | { type: 'close' };

/** Core → app. */
export type CoreReply =
  /** First message of every core process: the backend it serves and the methods that backend has. */
  | { type: 'hello'; backend: string; methods: SourceMethod[]; pid: number }
  | { type: 'result'; id: number; value: unknown }
  /** A call failed, or a subscription could not be made (ENOTSUP: the backend has no such method). */
  | { type: 'error'; id: number; error: ErrorInfo }
  | { type: 'callback'; id: number; callback: number; args: unknown[] };

/** Arguments for the wire; `callbacks` keeps the functions by their number. */
export function encodeArgs(args: readonly unknown[]): { args: WireArg[]; callbacks: ((...values: unknown[]) => void)[] } {
  const callbacks: ((...values: unknown[]) => void)[] = [];
  const encoded = args.map((arg): WireArg => {
    if (typeof arg !== 'function') return { value: arg };
    callbacks.push(arg as (...values: unknown[]) => void);
    return { callback: callbacks.length - 1 };
  });
  return { args: encoded, callbacks };
}

/** Arguments from the wire: each callback becomes a function that sends its calls back (`emit`). */
export function decodeArgs(args: readonly WireArg[], emit: (callback: number, values: unknown[]) => void): unknown[] {
  return args.map((arg) => {
    if ('callback' in arg) {
      const callback = arg.callback;
      return (...values: unknown[]) => emit(callback, values);
    }
    return arg.value;
  });
}

function isWireArg(value: unknown): value is WireArg {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  return keys[0] === 'value' || (keys[0] === 'callback' && Number.isInteger((value as { callback: unknown }).callback));
}

/** A message from the other side, checked before use: a process boundary is outside input. */
export function isCoreReply(value: unknown): value is CoreReply {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'hello':
      return typeof message.backend === 'string' && Array.isArray(message.methods) && typeof message.pid === 'number';
    case 'result':
      return typeof message.id === 'number';
    case 'error':
      return typeof message.id === 'number' && typeof message.error === 'object' && message.error !== null;
    case 'callback':
      return typeof message.id === 'number' && typeof message.callback === 'number' && Array.isArray(message.args);
    default:
      return false;
  }
}

export function isCoreRequest(value: unknown): value is CoreRequest {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'call':
    case 'subscribe':
      return (
        typeof message.id === 'number' &&
        typeof message.method === 'string' &&
        Object.hasOwn(SOURCE_METHODS, message.method) &&
        Array.isArray(message.args) &&
        message.args.every(isWireArg)
      );
    case 'unsubscribe':
      return typeof message.id === 'number';
    case 'close':
      return true;
    default:
      return false;
  }
}
