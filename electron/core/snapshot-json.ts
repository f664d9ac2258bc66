/**
 * The `list --json` document (schema in README.md): printed by the CLI, written beside the Prometheus export
 * as linkwatch.json. A module of its own so that the app's main process can use it without the CLI's imports
 * (which reach the native backends).
 */
import type { Snapshot } from '../../shared/connection';

/** The `list --json` object: the schema documented in README.md. */
export function toJsonSnapshot(snapshot: Snapshot) {
  return { platform: snapshot.platform, backend: snapshot.backend, updates: snapshot.updates, connections: snapshot.connections, error: snapshot.error };
}
