/**
 * Keeps the settings store's policy in step with the machine's: read once from the core (where the Windows
 * registry is read natively), then again whenever the core says it changed. Each problem in it (an unknown
 * key, a wrong type, an unreadable file) is logged once, not at every read.
 */
import type { Policy } from '../../shared/policy';
import { toErrorInfo } from '../core/backend-error';

export interface PolicyReader {
  policy?(): Promise<Policy>;
  watchPolicy?(onChange: () => void): () => void;
}

export function watchPolicy(reader: PolicyReader, settings: { setPolicy(policy: Policy): void }, log: (problem: string) => void): () => void {
  const reported = new Set<string>();
  let stopped = false;
  let reading: Promise<void> | null = null;
  let again = false;
  const read = (): void => {
    if (!reader.policy || stopped) return;
    if (reading) {
      again = true; // a change during a read: one more read after it
      return;
    }
    reading = reader
      .policy()
      .then(
        (policy) => {
          if (stopped) return;
          for (const problem of policy.problems) {
            if (reported.has(problem)) continue;
            reported.add(problem);
            log(problem);
          }
          settings.setPolicy(policy);
        },
        (caught: unknown) => {
          // No policy method in this core (an older one), or the core is restarting: the last policy stays.
          const message = `cannot read the policy: ${toErrorInfo(caught).message}`;
          if (!reported.has(message)) {
            reported.add(message);
            log(message);
          }
        },
      )
      .finally(() => {
        reading = null;
        if (again) {
          again = false;
          read();
        }
      });
  };
  let unwatch: () => void = () => {};
  try {
    unwatch = reader.watchPolicy?.(read) ?? (() => {});
  } catch (caught) {
    log(`cannot watch the policy for changes: ${toErrorInfo(caught).message}`);
  }
  read();
  return () => {
    stopped = true;
    unwatch();
  };
}
