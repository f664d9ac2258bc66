/**
 * The core process under plain Node: `child_process.fork` of core-process.ts/.js, with the structured-clone
 * serialization Electron's utilityProcess also uses, so the tests run the very protocol the app does.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CoreChannel, CoreChannelEvents, SpawnCore } from './core-client';

export interface ForkCoreOptions {
  /** core-process.js next to the built main.js, or core-process.ts under tsx. */
  entry: URL;
  env?: NodeJS.ProcessEnv;
  /** Node options for the child (tests: `--import tsx`). */
  execArgv?: string[];
  /** Where the child's stdout/stderr go. Default: this process's. */
  stdio?: 'inherit' | 'ignore';
  /** Called with each process started (tests kill it by pid, as a crash would). */
  onSpawn?(pid: number): void;
}

export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code ?? 'unknown'}`;
}

export function forkCore(options: ForkCoreOptions): SpawnCore {
  return (events: CoreChannelEvents): CoreChannel => {
    const child = fork(fileURLToPath(options.entry), [], {
      env: options.env ?? process.env,
      execArgv: options.execArgv ?? [],
      serialization: 'advanced',
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit', 'ipc'],
    });
    let exited = false;
    child.on('message', (message) => events.onMessage(message));
    child.on('error', (error) => {
      // A spawn failure emits 'error' and no 'exit'; a failed kill or send also lands here.
      if (child.pid === undefined && !exited) {
        exited = true;
        events.onExit(`could not be started: ${error.message}`);
      }
    });
    child.on('exit', (code, signal) => {
      if (exited) return;
      exited = true;
      events.onExit(exitReason(code, signal));
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
    };
  };
}
