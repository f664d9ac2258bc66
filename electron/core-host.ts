/**
 * The connection core as an Electron utilityProcess: a real child process (Chromium's service launcher, with
 * Node inside) that the app can kill and restart, and that the OS shows as "Linkwatch core". Its script is
 * out/main/core-process.js, inside app.asar in the packaged app. The protocol, restarts and timeouts live in
 * core/host/ (tested under plain Node through child_process.fork); this file only adapts the transport.
 */
import { utilityProcess } from 'electron';
import type { CoreChannel, CoreChannelEvents, SpawnCore } from './core/host/core-client';

export function utilityCore(modulePath: string, env: NodeJS.ProcessEnv = process.env): SpawnCore {
  return (events: CoreChannelEvents): CoreChannel => {
    // utilityProcess.fork is allowed only after app 'ready' (main.ts calls this after whenReady).
    const child = utilityProcess.fork(modulePath, [], { serviceName: 'Linkwatch core', stdio: 'inherit', env: { ...env } });
    let exited = false;
    child.on('message', (message: unknown) => events.onMessage(message));
    // 'error' (a fatal V8 error) is always followed by 'exit'.
    child.on('error', (type, location) => console.error(`linkwatch: core process ${type} at ${location}`));
    child.on('exit', (code) => {
      exited = true;
      events.onExit(`exited with code ${code}`);
    });
    return {
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      // SIGTERM on POSIX, TerminateProcess on Windows: a process stuck in a native call ends either way.
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}
