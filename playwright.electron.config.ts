import { defineConfig } from '@playwright/test';

/** Electron tier (`npm run test:electron`, test/electron/run.ts): the real app under Playwright's _electron. */
export default defineConfig({
  testDir: 'test/electron',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
});
