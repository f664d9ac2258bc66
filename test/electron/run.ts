/**
 * `npm run test:electron`: the app in real Electron, under Playwright (test/electron/app.spec.ts). Not part of
 * `npm test`: it needs Electron's binary, which Electron 45 downloads on first use (scripts/electron-runtime.ts).
 * Where none can be had it prints why it did not run and exits 0, or 1 under LINKWATCH_NO_SKIP=1 (the release
 * workflow sets it: there the tier must run).
 *
 * Two ways to run:
 *   npm run test:electron                       builds (electron-vite build) and runs the built app (`electron .`)
 *   LINKWATCH_ELECTRON_PACKAGED=<executable> npm run test:electron
 *                                               runs a packaged app (dist/linux-unpacked/linkwatch,
 *                                               dist/win-unpacked/Linkwatch.exe), its core inside app.asar
 * On Linux, run it under a display and a session bus: `dbus-run-session -- xvfb-run -a npm run test:electron`.
 */
import { spawnSync } from 'node:child_process';
import { electronPackageDir, ensureElectron, missingElectronMessage } from '../../scripts/electron-runtime';

const packaged = process.env.LINKWATCH_ELECTRON_PACKAGED;
let executable = packaged;
if (!executable) {
  const runtime = ensureElectron({ electronDir: electronPackageDir(), env: process.env, platform: process.platform });
  if (runtime.kind === 'missing') {
    console.log(`test:electron: not run: ${missingElectronMessage(runtime, 'npm run test:electron').replace(/^linkwatch: cannot start: /, '')}`);
    process.exit(process.env.LINKWATCH_NO_SKIP === '1' ? 1 : 0);
  }
  executable = runtime.executable;
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const playwright = spawnSync('npx', ['playwright', 'test', '--config', 'playwright.electron.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, LINKWATCH_ELECTRON_EXEC: executable },
});
process.exit(playwright.status ?? 1);
