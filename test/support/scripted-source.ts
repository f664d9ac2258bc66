import { BackendError } from '../../electron/core/backend-error';
import type { ErrorInfo } from '../../shared/connection';
import type { ConnectionSource, ReadOptions, SourceConnection } from '../../electron/core/platforms/source';
import type { RoutingReading } from '../../electron/core/routing/routing-reading';

export { sourceConnection } from './connections';

/**
 * An in-memory ConnectionSource for the monitor's own contract (ConnectionSource is ours, not the OS's):
 * tests set what the next read returns or throws, and can fire push notifications.
 */
export class ScriptedSource implements ConnectionSource {
  readonly backend = 'scripted';
  /** As RAS: progress while connecting comes by no notification (set false to be netlink-like). */
  pollWhileConnecting = true;
  /** ConnectionSource.safetyReadMs: absent (the monitor's), or null for push that reports its own losses (netlink). */
  safetyReadMs?: number | null;
  connections: SourceConnection[] = [];
  failWith: BackendError | null = null;
  reads: ReadOptions[] = [];
  closed = false;
  private watchers = new Map<(scope?: 'routing') => void, (error: ErrorInfo) => void>();
  /** While set, watch() throws it, as a source whose registration is refused (Wine's rasapi32). */
  watchFails: BackendError | null = null;

  /** Present only when constructed with push notifications, as a real source without them would be. */
  watch?: (onChange: (scope?: 'routing') => void, onUnavailable?: (error: ErrorInfo) => void) => () => void;

  /** Routes and resolvers (issue 25): present once `useRouting` gave a reading (or an error to throw). */
  readRouting?: () => Promise<RoutingReading>;
  routing: RoutingReading | Error | null = null;
  routingReads = 0;

  useRouting(reading: RoutingReading | Error): void {
    this.routing = reading;
    this.readRouting ??= async () => {
      this.routingReads += 1;
      if (this.routing instanceof Error) throw this.routing;
      return structuredClone(this.routing as RoutingReading);
    };
  }

  constructor(withWatch = false) {
    if (withWatch) {
      this.watch = (onChange, onUnavailable = () => {}) => {
        if (this.watchFails) throw this.watchFails;
        this.watchers.set(onChange, onUnavailable);
        return () => this.watchers.delete(onChange);
      };
    }
  }

  /** Push stops working after watch() returned: every watcher hears `error` and is dropped. */
  pushFails(error: ErrorInfo): void {
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    for (const onUnavailable of watchers) onUnavailable(error);
  }

  /** While set, reads wait for this promise first, as a call into a stuck OS service does. */
  stall: Promise<void> | null = null;

  async read(options: ReadOptions): Promise<SourceConnection[]> {
    this.reads.push(options);
    if (this.stall) await this.stall;
    if (this.failWith) throw this.failWith;
    return this.connections.map((connection) => ({ ...connection, addresses: [...connection.addresses] }));
  }

  get watching(): number {
    return this.watchers.size;
  }

  notify(scope?: 'routing'): void {
    for (const watcher of this.watchers.keys()) watcher(scope);
  }

  close(): void {
    this.closed = true;
  }
}

export function fail(code: number | string, message: string): BackendError {
  return new BackendError(code, message);
}

