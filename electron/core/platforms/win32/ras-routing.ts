/**
 * A RAS connection's routes go through its adapter (issue 25): the routing reading names adapters
 * (`adapter:<LUID>`), the list names the RAS connection (`ras:<handle>`), so the adapter's entries are given to
 * the connection. Which adapter is a RAS connection's: FIELD-NOTES "RAS ↔ adapter": the adapter is named after
 * the entry (ipconfig's "PPP adapter Office VPN": FriendlyName = the entry name) and carries the address
 * RasGetProjectionInfoEx reports; a name alone that two connections share pairs nothing.
 */
import type { RoutingReading } from '../../routing/routing-reading';
import type { SourceConnection } from '../source';
import { adapterConnectionId } from './adapter-classify';
import type { AdapterRecord } from './iphlpapi-decode';

const bare = (cidr: string): string => cidr.split('/')[0] ?? cidr;

/** adapter id → RAS connection id, for the adapters that are RAS connections. */
export function rasAdapterPairs(ras: readonly Pick<SourceConnection, 'id' | 'name' | 'addresses'>[], records: readonly AdapterRecord[]): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const record of records) {
    const addresses = new Set(record.addresses.map((a) => a.address));
    const byAddress = ras.filter((c) => c.addresses.some((a) => addresses.has(bare(a))));
    const byName = ras.filter((c) => c.name === record.friendlyName);
    const match = byAddress.length === 1 ? byAddress[0] : byAddress.length === 0 && byName.length === 1 ? byName[0] : undefined;
    if (match) pairs.set(adapterConnectionId(record), match.id);
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
