/**
 * The core process's entry (built as out/main/core-process.js): the ordinary source of this OS, served over
 * protocol.ts. It runs as an Electron utilityProcess in the app (messages through `process.parentPort`) and
 * as a `child_process.fork` child under plain Node (messages through `process.send`), the same code for both.
 * Everything native (koffi, the OS libraries) is loaded here and only here, never in the app's main process.
 */
import { toErrorInfo } from '../backend-error';
import { createSource } from '../platforms/index';
import { decodeArgs, isCoreRequest, SOURCE_METHODS, type CoreReply, type CoreRequest, type SourceMethod } from './protocol';

/** Electron's `process.parentPort` in a utility process (typed here: this file does not import 'electron'). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort && !process.send) throw new Error('core-process.ts runs as a core process (core-client.ts starts it), not on its own');

function send(message: CoreReply): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.connected) process.send?.(message);
}

const source = createSource(process.env);
const subscriptions = new Map<number, () => void>();
const methods = (Object.keys(SOURCE_METHODS) as SourceMethod[]).filter((method) => typeof source[method] === 'function');

function fail(id: number, error: unknown): void {
  send({ type: 'error', id, error: toErrorInfo(error) });
}

function handle(request: CoreRequest): void {
  switch (request.type) {
    case 'call':
    case 'subscribe': {
      const { id, method } = request;
      const fn = source[method] as ((...args: unknown[]) => unknown) | undefined;
      if (typeof fn !== 'function' || SOURCE_METHODS[method] !== request.type) {
        send({ type: 'error', id, error: { code: 'ENOTSUP', message: `the ${source.backend} backend has no ${request.type} ${method}` } });
        return;
      }
      const args = decodeArgs(request.args, (callback, values) => send({ type: 'callback', id, callback, args: values }));
      try {
        const value = fn.apply(source, args);
        if (request.type === 'subscribe') {
          if (typeof value === 'function') subscriptions.set(id, value as () => void);
          send({ type: 'result', id, value: null });
          return;
        }
        Promise.resolve(value).then(
          (result) => {
            try {
              send({ type: 'result', id, value: result ?? null });
            } catch (error) {
              // A result that cannot be cloned (a function where data belongs) is a bug to report as data,
              // not a reason for this process to die.
              fail(id, error);
            }
          },
          (error: unknown) => fail(id, error),
        );
      } catch (error) {
        fail(id, error);
      }
      return;
    }
    case 'unsubscribe':
      subscriptions.get(request.id)?.();
      subscriptions.delete(request.id);
      return;
    case 'close':
      void shutDownGracefully();
      return;
  }
}

/**
 * The app asked us to close: hang up the dials in progress and wait for their handles (source.shutdown, bounded
 * by the RAS hang-up wait) before exiting, since a dial's state machine dies with this process. The app kills
 * this process after its grace whatever happens here.
 */
async function shutDownGracefully(): Promise<void> {
  for (const unsubscribe of subscriptions.values()) unsubscribe();
  subscriptions.clear();
  try {
    await source.shutdown?.();
  } catch (error) {
    console.error('linkwatch core: closing the source:', toErrorInfo(error).message);
  }
  shutDown(0);
}

function shutDown(code: number): never {
  for (const unsubscribe of subscriptions.values()) unsubscribe();
  subscriptions.clear();
  source.close();
  process.exit(code);
}

function onMessage(message: unknown): void {
  // Only our own app talks to this process; anything else is a bug to report, not to act on.
  try {
    if (isCoreRequest(message)) handle(message);
    else console.error('linkwatch core: ignoring a malformed request');
  } catch (error) {
    console.error('linkwatch core: cannot handle a request:', toErrorInfo(error).message);
  }
}

if (parentPort) parentPort.on('message', (event) => onMessage(event.data));
else {
  process.on('message', onMessage);
  // The app went away (quit, or killed): a core without it has nobody to answer; its dials are hung up.
  process.on('disconnect', () => void shutDownGracefully());
}

send({ type: 'hello', backend: source.backend, methods, pid: process.pid });
