/**
 * The popup's pictures for the README, light and dark, with two connections, over the real monitor. Always
 * rendered (so a broken theme fails here); written to docs/ only by `npm run screenshots`
 * (LINKWATCH_SCREENSHOTS=1), since the pictures are part of the repository and must change on purpose.
 *
 * Deterministic: the source owns the clock the monitor reads (one second per read, so the rates are exact)
 * and the page's clock is fixed, so the durations are too.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { ConnectionSource } from '../../electron/core/platforms/source';
import { sourceConnection as connection } from '../support/connections';
import { REPO_ROOT } from './build-renderer';
import { expect, openPopup, test, watchPageProblems } from './harness';

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const SHOWN_AT = T0 + 3_723_000;

/** Two connections whose counters grow at a steady rate; each read is one second later on its clock. */
function showcaseSource(): { source: ConnectionSource; now: () => number } {
  let reads = 0;
  const now = () => SHOWN_AT - 10_000 + reads * 1000;
  const source: ConnectionSource = {
    backend: 'showcase',
    async read({ counters }) {
      reads += 1;
      const bytes = (base: number, perSecond: number) => (counters ? base + reads * perSecond : null);
      return [
        connection({
          canDisconnect: true,
          id: 'office',
          name: 'Office VPN',
          owner: 'Windows (IKEv2)',
          addresses: ['10.20.0.14/32'],
          bytesIn: bytes(734_003_200, 1_258_291),
          bytesOut: bytes(91_226_112, 88_064),
          upSince: T0,
        }),
        connection({
          canDisconnect: true,
          id: 'dsl',
          name: 'Home DSL',
          kind: 'broadband',
          deviceType: 'PPPoE',
          deviceName: 'WAN Miniport (PPPOE)',
          addresses: ['84.17.203.66/32'],
          bytesIn: bytes(5_368_709_120, 24_576),
          bytesOut: bytes(402_653_184, 3_174),
          upSince: T0 - 2 * 86_400_000 - 5 * 3_600_000,
        }),
      ];
    },
    close() {},
  };
  return { source, now };
}

test.use({ deviceScaleFactor: 2, viewport: { width: 360, height: 400 } });

for (const colorScheme of ['light', 'dark'] as const) {
  test(`popup screenshot, ${colorScheme} theme`, async ({ page, popupServer }, testInfo) => {
    const problems = watchPageProblems(page);
    const { source, now } = showcaseSource();
    const monitor = new ConnectionMonitor(source, { now, pollIntervalMs: 200 });
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.clock.setFixedTime(SHOWN_AT);
    const popup = await openPopup(page, { monitor, server: popupServer });
    try {
      const rows = page.getByRole('listitem');
      await expect(rows).toHaveCount(2);
      // Rates need two readings with counters: wait for them, then for the first row's details.
      await expect(rows.first()).toContainText('/s');
      await expect(rows.nth(1)).toContainText('/s');
      await page.getByRole('button', { name: /^VPN Office VPN/ }).blur();
      const bottom = await page.getByRole('list').evaluate((list) => Math.ceil(list.getBoundingClientRect().bottom));
      await page.setViewportSize({ width: 360, height: bottom + 12 });
      // The theme follows prefers-color-scheme.
      await expect(page.locator('body')).toHaveCSS('background-color', colorScheme === 'dark' ? 'rgb(29, 29, 32)' : 'rgb(243, 243, 245)');
      const path = process.env.LINKWATCH_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs', `popup-${colorScheme}.png`) : testInfo.outputPath(`popup-${colorScheme}.png`);
      mkdirSync(join(path, '..'), { recursive: true });
      await page.screenshot({ path, animations: 'disabled' });
    } finally {
      popup.close();
      monitor.close();
    }
    expect(problems).toEqual([]);
  });
}
