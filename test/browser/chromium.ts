import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium with the flags DEVELOPERS.md lists; shared by playwright.config.ts and the benchmark. */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};
