/**
 * A RAS connection's routes go through its adapter (issue 25): the routing reading names adapters
 * (`adapter:<LUID>`), the list names the RAS connection (`ras:<handle>`), so the adapter's entries are given to
 * the connection. Which adapter is whose is decided where the adapter list decides it (adapter-classify.ts
 * rasAdapterOwner: IfType PPP with the entry's name or the projected address; name and address together
 * otherwise), so the list and the verdict never disagree about it.
 */
import type { RoutingReading } from '../../routing/routing-reading';
import type { SourceConnection } from '../source';
import { adapterConnectionId, rasAdapterOwner } from './adapter-classify';
import type { AdapterRecord } from './iphlpapi-decode';

/** adapter id → RAS connection id, for the adapters that are RAS connections. */
export function rasAdapterPairs(ras: readonly Pick<SourceConnection, 'id' | 'name' | 'addresses'>[], records: readonly AdapterRecord[]): Map<string, string> {
  const evidence = ras.map((c) => ({ name: c.name, addresses: c.addresses.map((cidr) => cidr.split('/')[0] ?? cidr) }));
  const pairs = new Map<string, string>();
  for (const record of records) {
    const owner = rasAdapterOwner(record, evidence);
    if (!owner) continue;
    const matches = ras.filter((c) => c.name.toLocaleLowerCase() === owner.name.toLocaleLowerCase());
    if (matches.length === 1) pairs.set(adapterConnectionId(record), matches[0]!.id);
  }
  return pairs;
}

/** The reading with each RAS adapter's entries named after its RAS connection. */
export function withRasConnections(reading: RoutingReading, pairs: ReadonlyMap<string, string>): RoutingReading {
  if (pairs.size === 0) return reading;
  const rename = <T extends { connectionId: string | null }>(entry: T): T => {
    const id = entry.connectionId === null ? undefined : pairs.get(entry.connectionId);
    return id ? { ...entry, connectionId: id } : entry;
  };
  return {
    ...reading,
    routes: reading.routes.map(rename),
    lookups: reading.lookups.map(rename),
    dns: reading.dns ? { ...reading.dns, used: reading.dns.used.map(rename), supplied: reading.dns.supplied.map((s) => ({ ...s, connectionId: pairs.get(s.connectionId) ?? s.connectionId })) } : null,
  };
}
