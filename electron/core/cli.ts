// Entry point of the `linkwatch` command (`npm run cli -- list --json`): wires the process to runCli.
import { runCli } from './cli/cli-app';
import { letV8MemoryReducerFinish } from './v8-idle';

// `watch` may run for days doing nothing: no V8 timer left ticking either (v8-idle.ts).
letV8MemoryReducerFinish();

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
  // A closed pipe (`linkwatch watch | head`) ends the watch instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') resolve();
  });
});

const status = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interrupted,
});
process.exitCode = status;
// Nothing else should keep the process alive; exit explicitly so a native handle cannot hold it open.
process.stdout.write('', () => process.exit(status));
