import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './test/browser/chromium';

/** Browser tier: the production popup build (built in globalSetup) in Debian's Chromium, never a downloaded one. */
export default defineConfig({
  testDir: 'test/browser',
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
