/**
 * The optional probe, scheduled: every PROBE_INTERVAL_MS, one echo to the gateway inside each connected
 * tunnel the user chose (by name), through the source's `probe` (which runs where the native code runs: the
 * core process in the app). Its result goes to the monitor, which folds it into the connection's health.
 * Nothing is sent for a tunnel that is not chosen, not connected, or has no gateway inside it; one probe per
 * tunnel at a time.
 */
import type { Connection } from '../../../shared/connection';
import type { ProbeResult } from '../../../shared/health';
import { PROBE_INTERVAL_MS, probeRequestFor, type ProbeRequest } from './probe-target';

export interface ProbedMonitor {
  readonly snapshot: { connections: Connection[] };
  noteProbe(id: string, result: ProbeResult): void;
}

export class HealthProber {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly monitor: ProbedMonitor,
    private readonly probe: (request: ProbeRequest) => Promise<ProbeResult>,
    /** Which connections to probe: true for a connection the user turned probing on for. */
    private readonly wanted: (connection: Connection) => boolean,
    private readonly intervalMs = PROBE_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref?.();
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round: a probe for every wanted, connected tunnel not already being probed. */
  tick(): void {
    for (const connection of this.monitor.snapshot.connections) {
      if (connection.state !== 'connected' || !this.wanted(connection) || this.inFlight.has(connection.id)) continue;
      const request = probeRequestFor(connection);
      if (!request) {
        this.monitor.noteProbe(connection.id, { target: '', rttMs: null, at: this.now(), error: { code: 'ENOGATEWAY', message: 'No gateway inside this tunnel to probe (its address has no subnet)' } });
        continue;
      }
      this.inFlight.add(connection.id);
      this.probe(request)
        .catch((caught: unknown): ProbeResult => ({ target: request.target, rttMs: null, at: this.now(), error: { code: 'EPROBE', message: caught instanceof Error ? caught.message : String(caught) } }))
        .then((result) => this.monitor.noteProbe(connection.id, result))
        .finally(() => this.inFlight.delete(connection.id));
    }
  }
}
