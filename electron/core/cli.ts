// Entry point of the `linkwatch` command (`npm run cli -- list --json`): wires the process to runCli.
import { setLocale } from '../../shared/i18n';
import { runCli } from './cli/cli-app';

// Figures follow the user's locale (Node takes it from LANG/LC_ALL); LINKWATCH_LOCALE overrides it, and
// `en-XA` is the catalogue's pseudo-locale (accented, longer words: what was not translated shows).
if (process.env.LINKWATCH_LOCALE) setLocale(process.env.LINKWATCH_LOCALE);

/**
 * The first Ctrl-C or SIGTERM ends the command (a dial is hung up first: saved-commands.ts) and the process
 * within INTERRUPT_EXIT_MS whatever is still running; a second one ends it at once. Exit status 130 (128 +
 * SIGINT) when the command had not finished by the deadline.
 */
const INTERRUPT_EXIT_MS = 1000;
let signals = 0;
const interrupted = new Promise<void>((resolve) => {
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    resolve();
    setTimeout(() => process.exit(130), INTERRUPT_EXIT_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
