/**
 * Counts React's commits in the page, from outside the app: React DOM (production builds included) reports
 * every commit to `__REACT_DEVTOOLS_GLOBAL_HOOK__.onCommitFiberRoot` when such a hook exists before it loads
 * (react-reconciler's ReactFiberDevToolsHook: `injectInternals`, then `onCommitRoot` on each commit). So the
 * shipped bundle is measured as it is: no test build, no counter inside the app that could lie.
 *
 * Page-side state: `__renders.commits` (count), `__renders.times` (page clock of each commit).
 */
import type { Page } from '@playwright/test';

const HOOK_SCRIPT = `(() => {
  const renders = { commits: 0, times: [] };
  Object.defineProperty(window, '__renders', { value: renders });
  Object.defineProperty(window, '__REACT_DEVTOOLS_GLOBAL_HOOK__', {
    value: {
      supportsFiber: true,
      renderers: new Map(),
      inject(internals) { this.renderers.set(1, internals); return 1; },
      onCommitFiberRoot() { renders.commits += 1; renders.times.push(performance.timeOrigin + performance.now()); },
      onCommitFiberUnmount() {},
      onPostCommitFiberRoot() {},
      checkDCE() {},
    },
  });
})();`;

/** Install before the page's scripts run (call before `page.goto`). */
export async function countRenders(page: Page): Promise<void> {
  await page.addInitScript({ content: HOOK_SCRIPT });
}

/** React commits so far in this page. */
export function renderCount(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { __renders: { commits: number } }).__renders.commits);
}

/** Page-clock times (epoch ms) of the commits so far. */
export function renderTimes(page: Page): Promise<number[]> {
  return page.evaluate(() => (globalThis as unknown as { __renders: { times: number[] } }).__renders.times);
}
