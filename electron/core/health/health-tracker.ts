/**
 * The stall rule (health-rule.ts) kept per connection across the monitor's reads: every connected connection
 * whose counters were read gets a sample; the others keep what they had. A connection that is no longer
 * connected (or gone) is forgotten: a redial starts at `verifying` again.
 */
import type { Connection } from '../../../shared/connection';
import type { ConnectionHealth, ProbeResult } from '../../../shared/health';
import { healthOf, nextTrack, startTrack, type HealthTrack, type RuleOptions } from './health-rule';

export class HealthTracker {
  private readonly tracks = new Map<string, HealthTrack>();
  private readonly probes = new Map<string, ProbeResult>();

  constructor(private readonly options: RuleOptions = {}) {}

  /**
   * Feed one read's connections (with counters where they were read) and get them back with `health` set:
   * for a connected connection once its counters have been read at least once, else absent.
   */
  apply(connections: readonly Connection[], now: number): Connection[] {
    const seen = new Set<string>();
    const result = connections.map((connection) => {
      if (connection.state !== 'connected') return withoutHealth(connection);
      seen.add(connection.id);
      const { bytesIn, bytesOut } = connection;
      let track = this.tracks.get(connection.id);
      if (bytesIn !== null && bytesOut !== null) {
        const sample = { at: now, bytesIn, bytesOut };
        track = track ? nextTrack(track, sample, this.options) : startTrack(sample);
        this.tracks.set(connection.id, track);
      }
      if (!track) return withoutHealth(connection);
      return { ...connection, health: this.healthWithProbe(connection.id, track) };
    });
    for (const id of [...this.tracks.keys()]) {
      if (!seen.has(id)) {
        this.tracks.delete(id);
        this.probes.delete(id);
      }
    }
    return result;
  }

  /**
   * A probe's answer for a connection being tracked. A reply is proof that the tunnel carries traffic
   * (`healthy`, with its round-trip time); no reply changes nothing by itself: the echo request was counted as
   * sent, so a dead tunnel turns `stalled` by the counter rule, with the same timing as any other traffic.
   */
  noteProbe(id: string, result: ProbeResult): void {
    const track = this.tracks.get(id);
    if (!track) return;
    this.probes.set(id, result);
    if (result.rttMs !== null) {
      const reason = `echo from ${result.target} in ${Math.round(result.rttMs)} ms`;
      const status = 'healthy';
      this.tracks.set(id, track.status === status ? { ...track, reason } : { ...track, status, since: result.at, reason, unansweredSince: null, unansweredBytes: 0, lastReceivedAt: result.at });
    }
  }

  /** The connections currently tracked (connected, counters read at least once). */
  get tracked(): string[] {
    return [...this.tracks.keys()];
  }

  private healthWithProbe(id: string, track: HealthTrack): ConnectionHealth {
    return healthOf(track, this.probes.get(id) ?? null);
  }
}

function withoutHealth(connection: Connection): Connection {
  if (!('health' in connection)) return connection;
  const { health: _health, ...rest } = connection;
  return rest;
}
