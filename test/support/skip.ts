import type { TestContext } from 'node:test';

/**
 * Skip a test whose tool is missing here, with the reason printed. CI sets LINKWATCH_NO_SKIP=1, which turns
 * every such skip into a failure: a missing install step must not pass as green.
 */
export function skipUnless(t: TestContext, available: boolean, reason: string): boolean {
  if (available) return true;
  if (process.env.LINKWATCH_NO_SKIP === '1') {
    throw new Error(`required in CI but unavailable: ${reason}`);
  }
  console.log(`# skipped: ${reason}`);
  t.skip(reason);
  return false;
}
