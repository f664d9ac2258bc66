import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser tier cannot run here, or null when it can. */
export const CHROMIUM_MISSING: string | null = existsSync(CHROMIUM_PATH) ? null : `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`;

/** Debian's Chromium with the flags DEVELOPERS.md lists; shared by playwright.config.ts and the benchmark. */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};
