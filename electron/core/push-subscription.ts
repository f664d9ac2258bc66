/**
 * The monitor's hold on a source's push notifications (ConnectionSource.watch): made with the first
 * listener, dropped with the last. It tells the monitor two things only: "something changed" (read again;
 * only the routes where the source says so) and "push is gone" (refused at once, or failed later: poll instead).
 */
import { toErrorInfo } from './backend-error';
import type { ConnectionSource } from './platforms/source';

export interface PushHandlers {
  /** `scope` is what the source says changed: 'routing' when only routes or rules did (issue 25), else nothing. */
  onChange(scope?: unknown): void;
  /** Push could not start, or stopped working; `reason` is the source's message. */
  onUnavailable(reason: string): void;
}

export class PushSubscription {
  private unwatch: (() => void) | null = null;

  constructor(
    private readonly source: ConnectionSource,
    private readonly handlers: PushHandlers,
  ) {}

  /** Push works now: changes come as signals. */
  get active(): boolean {
    return this.unwatch !== null;
  }

  /** Subscribe, where the source has push; returns whether push works. */
  start(): boolean {
    if (!this.source.watch || this.unwatch) return this.active;
    try {
      let started = false;
      let refusedAtOnce: string | null = null;
      const unwatch: () => void = this.source.watch(
        (scope?: unknown) => this.handlers.onChange(scope),
        (error) => {
          if (!started) {
            refusedAtOnce = error.message; // within watch() itself: handled once it has returned
            return;
          }
          if (this.unwatch !== unwatch) return;
          this.unwatch = null;
          this.handlers.onUnavailable(error.message);
        },
      );
      started = true;
      if (refusedAtOnce === null) this.unwatch = unwatch;
      else {
        unwatch();
        this.handlers.onUnavailable(refusedAtOnce);
      }
    } catch (caught) {
      this.handlers.onUnavailable(toErrorInfo(caught).message);
    }
    return this.active;
  }

  stop(): void {
    const unwatch = this.unwatch;
    this.unwatch = null;
    unwatch?.();
  }
}
