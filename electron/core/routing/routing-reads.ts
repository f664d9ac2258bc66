/**
 * The monitor's routing part (issue 25), kept out of monitor.ts: reading a backend's routes into each
 * connection's `routing` and the machine's verdict, logging a failure once per new message (a backend stuck in
 * an error must not flood the log), and `diagnose`'s explanation. ENOTSUP is quiet: through the core process
 * every backend seems to have readRouting, and that is how one without it answers.
 */
import type { Connection, ConnectionRouting, RoutingVerdict } from '../../../shared/connection';
import type { RoutingDiagnosis } from '../../../shared/diagnostics';
import { toErrorInfo } from '../backend-error';
import type { ConnectionSource } from '../platforms/source';
import { explainVerdict } from './explain';
import { routingVerdict } from './verdict';

export type Routed = ReturnType<typeof routingVerdict>;

export class RoutingReads {
  private errorReported = '';

  constructor(
    private readonly source: Pick<ConnectionSource, 'readRouting'>,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  /** The routing of `ids` and the verdict; null where the backend reads no routes or the reading failed. */
  async read(ids: readonly string[]): Promise<Routed | null> {
    if (!this.source.readRouting) return null;
    try {
      const routed = routingVerdict(await this.source.readRouting(), ids);
      this.errorReported = '';
      return routed;
    } catch (caught) {
      const { code, message } = toErrorInfo(caught);
      if (code === 'ENOTSUP') return null;
      if (message !== this.errorReported) this.warn(`linkwatch: routes could not be read: ${message} (${code})`);
      this.errorReported = message;
      return null;
    }
  }

  /** Read afresh and explained (`linkwatch diagnose`); null where the backend reads no routes. Never throws. */
  async diagnose(connections: readonly Connection[]): Promise<RoutingDiagnosis | null> {
    if (!this.source.readRouting) return null;
    try {
      const reading = await this.source.readRouting();
      const { routing, verdict } = routingVerdict(reading, connections.map((c) => c.id));
      const routed = connections.map((c) => ({ ...c, routing: routing.get(c.id) ?? null }));
      return { verdict, explanation: explainVerdict(reading, verdict, routed), error: null };
    } catch (caught) {
      const error = toErrorInfo(caught);
      return error.code === 'ENOTSUP' ? null : { verdict: null, explanation: [], error };
    }
  }
}

/** The connection with this routing; the same object when it did not change (rows keep their identity). */
export function withRouting(connection: Connection, routing: ConnectionRouting | null): Connection {
  return JSON.stringify(connection.routing) === JSON.stringify(routing) ? connection : { ...connection, routing };
}

export function sameVerdict(a: RoutingVerdict | null, b: RoutingVerdict | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
