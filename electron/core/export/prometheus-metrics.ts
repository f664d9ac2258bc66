/**
 * Linkwatch's state as Prometheus metrics, for the textfile collector of node_exporter (Linux, macOS) and
 * windows_exporter: the exposition text comes from prom-client (the ecosystem's client library), never
 * written by hand.
 *
 * Named after Prometheus's naming guide (a `linkwatch_` prefix, base units, `_total` for counters) with a small,
 * stable label set: `name`, `kind`, `interface`, `backend`. Never an address, a user name or a phone number
 * in a label (FIELD-NOTES: fleets): a label's every value is a new series in the fleet's database, and the
 * labels end up in dashboards many people read.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { CONNECTION_KINDS, CONNECTION_STATES, type Connection, type ConnectionKind, type Snapshot } from '../../../shared/connection';
import { HEALTH_STATUSES } from '../../../shared/health';

export const CONNECTION_LABELS = ['name', 'kind', 'interface', 'backend'] as const;
type ConnectionLabels = Record<(typeof CONNECTION_LABELS)[number], string>;

/** The name in a label for a connection dialled without an entry: RAS names it after the number dialled. */
export const AD_HOC_NAME = '(dialled without an entry)';

/** A saved entry the exporter shows as "listed but not connected" (`up` 0) while it is down. */
export interface ExportEntry {
  name: string;
  kind: ConnectionKind;
}

/** Sessions that ended "dropped" in the history, per entry name and kind. */
export interface DropCount {
  name: string;
  kind: ConnectionKind;
  drops: number;
}

/** The history's rows as drop counts: a kind the model does not know (a newer file) is left out, not guessed. */
export function dropCountsFromHistory(rows: readonly { name: string; kind: string; drops: number }[]): DropCount[] {
  return rows.flatMap((row) => ((CONNECTION_KINDS as readonly string[]).includes(row.kind) ? [{ name: row.name, kind: row.kind as ConnectionKind, drops: row.drops }] : []));
}

export interface MetricsInput {
  snapshot: Snapshot;
  /** Saved entries (phone book, NetworkManager, macOS services): each not connected is `up` 0. */
  entries?: readonly ExportEntry[];
  /** From the history, where it can be read. */
  drops?: readonly DropCount[];
}

export function connectionLabels(connection: Connection, backend: string): ConnectionLabels {
  return {
    name: connection.adHoc ? AD_HOC_NAME : connection.name,
    kind: connection.kind,
    // The interface as the OS names it: Linux/macOS's ifname, a VPN adapter's description, RAS's device.
    interface: connection.deviceName,
    backend,
  };
}

/** At most this many connections that went are still reported as `up` 0: the fleet's series stay bounded. */
export const MAX_REMEMBERED = 64;

/**
 * Builds the metrics text from each new state. Remembers the connections it has reported, so that one that
 * drops reads `up 0` (an alert on `linkwatch_connection_up == 0` fires) instead of vanishing from the file,
 * which only `absent()` would notice.
 */
export class MetricsExporter {
  /** Label sets reported before, by their JSON, oldest first (a Map keeps insertion order). */
  private readonly remembered = new Map<string, ConnectionLabels>();

  async render(input: MetricsInput): Promise<string> {
    const { snapshot } = input;
    const registry = new Registry();
    const labelNames = [...CONNECTION_LABELS];
    const up = new Gauge({ name: 'linkwatch_connection_up', help: 'Whether the connection is connected (1) or listed but not connected (0).', labelNames, registers: [registry] });
    const state = new Gauge({
      name: 'linkwatch_connection_state',
      help: 'The connection state: 1 for the current one of connecting, connected, paused, disconnected.',
      labelNames: [...labelNames, 'state'],
      registers: [registry],
    });
    const info = new Gauge({
      name: 'linkwatch_connection_info',
      help: 'Always 1: what kind of device carries the connection, and which program owns it.',
      labelNames: [...labelNames, 'device_type', 'owner'],
      registers: [registry],
    });
    const since = new Gauge({
      name: 'linkwatch_connection_connected_since_seconds',
      help: 'When the connection came up, in seconds since the Unix epoch.',
      labelNames,
      registers: [registry],
    });
    const health = new Gauge({
      name: 'linkwatch_connection_health',
      help: 'Whether traffic flows: 1 for the current one of verifying, healthy, quiet, stalled (connected tunnels whose counters are read).',
      labelNames: [...labelNames, 'health'],
      registers: [registry],
    });
    const probeRtt = new Gauge({
      name: 'linkwatch_connection_probe_rtt_seconds',
      help: 'Round-trip time of the last echo inside the tunnel, where the user turned probing on and a reply came.',
      labelNames,
      registers: [registry],
    });
    const received = new Counter({ name: 'linkwatch_connection_receive_bytes_total', help: 'Bytes received since the connection came up (where read).', labelNames, registers: [registry] });
    const sent = new Counter({ name: 'linkwatch_connection_transmit_bytes_total', help: 'Bytes sent since the connection came up (where read).', labelNames, registers: [registry] });
    const drops = new Counter({
      name: 'linkwatch_connection_drops_total',
      help: 'Sessions of this connection that ended without the user hanging up, within the history kept.',
      labelNames: ['name', 'kind'],
      registers: [registry],
    });
    const backendUp = new Gauge({ name: 'linkwatch_backend_up', help: 'Whether the last read of the connections succeeded.', labelNames: ['backend'], registers: [registry] });
    const backendPush = new Gauge({
      name: 'linkwatch_backend_updates_push',
      help: 'Whether the OS pushes changes (1) or the list is polled (0).',
      labelNames: ['backend'],
      registers: [registry],
    });

    backendUp.set({ backend: snapshot.backend }, snapshot.error ? 0 : 1);
    backendPush.set({ backend: snapshot.backend }, snapshot.updates === 'push' ? 1 : 0);

    const present = new Set<string>();
    for (const connection of snapshot.connections) {
      const labels = connectionLabels(connection, snapshot.backend);
      const key = JSON.stringify(labels);
      present.add(key);
      this.remember(key, labels);
      up.set(labels, connection.state === 'connected' ? 1 : 0);
      for (const each of CONNECTION_STATES) state.set({ ...labels, state: each }, each === connection.state ? 1 : 0);
      info.set({ ...labels, device_type: connection.deviceType, owner: connection.owner ?? '' }, 1);
      if (connection.connectedSince !== null) since.set(labels, Math.floor(connection.connectedSince / 1000));
      if (connection.health) for (const each of HEALTH_STATUSES) health.set({ ...labels, health: each }, each === connection.health.status ? 1 : 0);
      const rttMs = connection.health?.probe?.rttMs;
      if (typeof rttMs === 'number') probeRtt.set(labels, rttMs / 1000);
      if (connection.bytesIn !== null) received.inc(labels, connection.bytesIn);
      if (connection.bytesOut !== null) sent.inc(labels, connection.bytesOut);
    }
    // Saved entries that are not up: listed, not connected.
    const connectedNames = new Set(snapshot.connections.map((connection) => connection.name));
    for (const entry of input.entries ?? []) {
      if (connectedNames.has(entry.name)) continue;
      const labels: ConnectionLabels = { name: entry.name, kind: entry.kind, interface: '', backend: snapshot.backend };
      const key = JSON.stringify(labels);
      if (present.has(key)) continue;
      present.add(key);
      up.set(labels, 0);
    }
    // Connections reported before that are gone now: down, without figures that would be stale.
    for (const [key, labels] of this.remembered) {
      if (!present.has(key)) up.set(labels, 0);
    }
    for (const count of input.drops ?? []) drops.inc({ name: count.name, kind: count.kind }, count.drops);

    const text = await registry.metrics();
    // The textfile collector wants a newline at the end of the file.
    return text.endsWith('\n') ? text : `${text}\n`;
  }

  private remember(key: string, labels: ConnectionLabels): void {
    this.remembered.delete(key);
    this.remembered.set(key, labels);
    while (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.keys().next().value;
      if (oldest === undefined) break;
      this.remembered.delete(oldest);
    }
  }
}
