/**
 * The worker-thread side of threaded-source.ts: the ordinary in-thread source, driven by messages. Built as
 * its own entry (out/main/source-worker.js); no 'electron' import, it runs under plain Node too.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorInfo } from '../backend-error';
import { createSource } from './index';
import type { WorkerReply, WorkerRequest } from './threaded-source';

const port = parentPort;
if (!port) throw new Error('source-worker.ts runs as a worker thread (createThreadedSource), not on its own');

// The main thread picked the backend from the same environment (the Worker's `env` option).
const source = createSource(process.env);
let unwatch: (() => void) | null = null;

const reply = (message: WorkerReply): void => port.postMessage(message);

function stopWatching(): void {
  unwatch?.();
  unwatch = null;
}

port.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'read':
      source.read(request.options).then(
        (connections) => reply({ type: 'read-done', id: request.id, connections }),
        (error: unknown) => reply({ type: 'failed', id: request.id, error: toErrorInfo(error) }),
      );
      break;
    case 'hang-up':
      if (!source.hangUp) {
        reply({ type: 'failed', id: request.id, error: { code: 'ENOTSUP', message: `the ${source.backend} backend cannot hang up connections` } });
        break;
      }
      source.hangUp(request.connectionId).then(
        () => reply({ type: 'hang-up-done', id: request.id }),
        (error: unknown) => reply({ type: 'failed', id: request.id, error: toErrorInfo(error) }),
      );
      break;
    case 'list-entries':
      (source.listEntries ? source.listEntries() : Promise.resolve(null)).then(
        (entries) => reply({ type: 'entries-done', id: request.id, entries }),
        (error: unknown) => reply({ type: 'failed', id: request.id, error: toErrorInfo(error) }),
      );
      break;
    case 'connect':
      if (!source.connect) {
        reply({ type: 'failed', id: request.id, error: { code: 'ENOTSUP', message: `the ${source.backend} backend cannot connect saved connections` } });
        break;
      }
      source.connect(request.name, (progress) => reply({ type: 'dial-progress', id: request.id, progress })).then(
        (progress) => reply({ type: 'connect-done', id: request.id, progress }),
        (error: unknown) => reply({ type: 'failed', id: request.id, error: toErrorInfo(error) }),
      );
      break;
    case 'cancel':
      (source.cancel ? source.cancel(request.connectionId) : Promise.reject(new Error(`the ${source.backend} backend cannot cancel a dial`))).then(
        () => reply({ type: 'cancel-done', id: request.id }),
        (error: unknown) => reply({ type: 'failed', id: request.id, error: toErrorInfo(error) }),
      );
      break;
    case 'watch':
      if (unwatch || !source.watch) break;
      try {
        unwatch = source.watch(
          () => reply({ type: 'changed' }),
          (error) => {
            unwatch = null;
            reply({ type: 'watch-failed', error });
          },
        );
      } catch (error) {
        reply({ type: 'watch-failed', error: toErrorInfo(error) });
      }
      break;
    case 'unwatch':
      stopWatching();
      break;
    case 'close':
      stopWatching();
      source.close();
      port.close(); // nothing else holds the thread: it ends
      break;
    case 'crash':
      throw new Error('crash requested by the main thread (test hook)');
  }
});
