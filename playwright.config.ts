import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH, CHROMIUM_MISSING } from './test/browser/chromium';

// Without Debian's Chromium the tier is skipped with its reason (npm's script passes --pass-with-no-tests);
// CI sets LINKWATCH_NO_SKIP=1, where a missing browser is a failure, not a skip.
if (CHROMIUM_MISSING) {
  if (process.env.LINKWATCH_NO_SKIP === '1') throw new Error(`required in CI but unavailable: ${CHROMIUM_MISSING}`);
  console.log(`# skipped: browser tier: ${CHROMIUM_MISSING}`);
}

/** Browser tier: the production popup build (built in globalSetup) in Debian's Chromium, never a downloaded one. */
export default defineConfig({
  testDir: 'test/browser',
  testIgnore: CHROMIUM_MISSING ? ['**/*'] : [],
  globalSetup: './test/browser/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  use: {
    headless: true,
    viewport: { width: 360, height: 480 },
    launchOptions: CHROMIUM_LAUNCH,
  },
});
