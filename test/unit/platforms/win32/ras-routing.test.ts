/**
 * A RAS connection's routes are its adapter's (issue 25): paired by adapter-classify.ts rasAdapterOwner, as the
 * adapter list pairs them (FIELD-NOTES "RAS ↔ adapter"); never by a name two connections share.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rasAdapterPairs, withRasConnections } from '../../../../electron/core/platforms/win32/ras-routing';
import type { AdapterRecord } from '../../../../electron/core/platforms/win32/iphlpapi-decode';
import { routingVerdict } from '../../../../electron/core/routing/verdict';

function adapter(o: Partial<AdapterRecord> & Pick<AdapterRecord, 'luid' | 'friendlyName'>): AdapterRecord {
  return { ifIndex: 9, description: 'WAN Miniport (IKEv2)', ifType: 23, operStatus: 1, mtu: 1400, physicalAddress: '', tunnelType: 0, connectionType: 3, addresses: [], dnsServers: [], ...o };
}

describe('RAS connections and their adapters', () => {
  it('pairs as the adapter list does (a PPP adapter by the entry name or the projected address), never by a shared name', () => {
    const office = { id: 'ras:1', name: 'Office VPN', addresses: ['10.10.0.5/32'] };
    const home = { id: 'ras:2', name: 'Home', addresses: [] };
    const twin = { id: 'ras:3', name: 'Home', addresses: [] };
    const pairs = rasAdapterPairs(
      [office, home],
      [
        adapter({ luid: 0x1n, friendlyName: 'Renamed', addresses: [{ family: 'ipv4', address: '10.10.0.5', prefixLength: 32, dadState: 4 }] }),
        adapter({ luid: 0x2n, friendlyName: 'Home' }),
        adapter({ luid: 0x3n, friendlyName: 'Ethernet', ifType: 6 }),
        // A WireGuard tunnel named like an entry is not that entry's adapter (a name alone on a non-PPP adapter).
        adapter({ luid: 0x4n, friendlyName: 'Home', ifType: 53, description: 'WireGuard Tunnel' }),
      ],
    );
    assert.deepEqual([...pairs], [['adapter:1', 'ras:1'], ['adapter:2', 'ras:2']]);
    assert.deepEqual([...rasAdapterPairs([home, twin], [adapter({ luid: 0x2n, friendlyName: 'Home' })])], []);
  });

  it('gives the adapter’s routes, lookup and resolvers to the RAS connection: the verdict names it', () => {
    const reading = withRasConnections(
      {
        routes: [{ family: 4, destination: '0.0.0.0/0', interface: 'Office VPN', connectionId: 'adapter:1', gateway: null, table: 254, metric: 0, type: 'unicast', ownSubnet: false }],
        rules: [],
        lookups: [{ family: 4, target: '198.51.100.1', interface: 'Office VPN', connectionId: 'adapter:1', gateway: null }],
        dns: { source: 'GetAdaptersAddresses', used: [{ address: '10.10.0.1', interface: 'Office VPN', connectionId: 'adapter:1' }], supplied: [{ connectionId: 'adapter:1', addresses: ['10.10.0.1'] }] },
      },
      new Map([['adapter:1', 'ras:1']]),
    );
    const { verdict, routing } = routingVerdict(reading, ['ras:1']);
    assert.equal(verdict.ipv4, 'ras:1');
    assert.equal(verdict.dns, 'ras:1');
    assert.deepEqual(routing.get('ras:1'), { ipv4: 'all', ipv6: 'none', networks: ['0.0.0.0/0'], dns: ['10.10.0.1'] });
  });
});
