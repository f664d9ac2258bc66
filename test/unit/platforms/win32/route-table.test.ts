/**
 * The Windows routing structures' decoders (issue 25), on rows laid out as netioapi.h lays them out, and a
 * property over arbitrary bytes (what the IP helper writes is outside input).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  IP_ADDRESS_PREFIX,
  MIB_IPFORWARD_ROW2,
  MIB_IPFORWARD_TABLE2,
  decodeForwardTable,
  decodeSockaddrInet,
  encodeSockaddrInet,
  forwardTableSize,
} from '../../../../electron/core/platforms/win32/route-table';
import { check } from '../../../support/property';

function row(o: { luid: bigint; ifIndex: number; destination: string; length: number; nextHop?: string; metric?: number; protocol?: number; loopback?: boolean }): Buffer {
  const buf = Buffer.alloc(MIB_IPFORWARD_ROW2.size);
  buf.writeBigUInt64LE(o.luid, MIB_IPFORWARD_ROW2.InterfaceLuid);
  buf.writeUInt32LE(o.ifIndex, MIB_IPFORWARD_ROW2.InterfaceIndex);
  encodeSockaddrInet(o.destination).copy(buf, MIB_IPFORWARD_ROW2.DestinationPrefix);
  buf[MIB_IPFORWARD_ROW2.DestinationPrefix + IP_ADDRESS_PREFIX.PrefixLength] = o.length;
  encodeSockaddrInet(o.nextHop ?? (o.destination.includes(':') ? '::' : '0.0.0.0')).copy(buf, MIB_IPFORWARD_ROW2.NextHop);
  buf.writeUInt32LE(o.metric ?? 0, MIB_IPFORWARD_ROW2.Metric);
  buf.writeUInt32LE(o.protocol ?? 3, MIB_IPFORWARD_ROW2.Protocol);
  buf[MIB_IPFORWARD_ROW2.Loopback] = o.loopback ? 1 : 0;
  return buf;
}

function table(rows: Buffer[]): Buffer {
  const head = Buffer.alloc(MIB_IPFORWARD_TABLE2.Table);
  head.writeUInt32LE(rows.length, MIB_IPFORWARD_TABLE2.NumEntries);
  return Buffer.concat([head, ...rows]);
}

describe('Windows forward table', () => {
  it('decodes a VPN’s two halves of IPv4, an IPv6 default route with its gateway, and an on-link subnet', () => {
    const rows = decodeForwardTable(
      table([
        row({ luid: 0x35000002000000n, ifIndex: 17, destination: '0.0.0.0', length: 1, nextHop: '10.6.0.1', metric: 5 }),
        row({ luid: 0x35000002000000n, ifIndex: 17, destination: '128.0.0.0', length: 1 }),
        row({ luid: 0x6000001000000n, ifIndex: 3, destination: '::', length: 0, nextHop: 'fe80::1', metric: 256 }),
        row({ luid: 0x6000001000000n, ifIndex: 3, destination: '192.168.1.0', length: 24, protocol: 2 }),
      ]),
    );
    assert.deepEqual(rows, [
      { luid: 0x35000002000000n, ifIndex: 17, family: 4, destination: '0.0.0.0/1', nextHop: '10.6.0.1', metric: 5, protocol: 3, loopback: false },
      { luid: 0x35000002000000n, ifIndex: 17, family: 4, destination: '128.0.0.0/1', nextHop: null, metric: 0, protocol: 3, loopback: false },
      { luid: 0x6000001000000n, ifIndex: 3, family: 6, destination: '::/0', nextHop: 'fe80::1', metric: 256, protocol: 3, loopback: false },
      { luid: 0x6000001000000n, ifIndex: 3, family: 4, destination: '192.168.1.0/24', nextHop: null, metric: 0, protocol: 2, loopback: false },
    ]);
  });

  it('refuses a count its bytes cannot hold, and skips a row of another family or an impossible length', () => {
    const short = table([row({ luid: 1n, ifIndex: 1, destination: '10.0.0.0', length: 8 })]).subarray(0, forwardTableSize(1) - 1);
    assert.throws(() => decodeForwardTable(short), RangeError);
    const bad = row({ luid: 1n, ifIndex: 1, destination: '10.0.0.0', length: 33 });
    const alien = row({ luid: 1n, ifIndex: 1, destination: '10.0.0.0', length: 8 });
    alien.writeUInt16LE(17, MIB_IPFORWARD_ROW2.DestinationPrefix); // AF_NETBIOS
    assert.deepEqual(decodeForwardTable(table([bad, alien])), []);
  });

  it('SOCKADDR_INET round-trips both families with Windows’ family numbers (AF_INET6 is 23)', () => {
    assert.deepEqual(decodeSockaddrInet(encodeSockaddrInet('198.51.100.1'), 0), { family: 4, address: '198.51.100.1' });
    const v6 = encodeSockaddrInet('2001:db8::1');
    assert.equal(v6.readUInt16LE(0), 23);
    assert.deepEqual(decodeSockaddrInet(v6, 0), { family: 6, address: '2001:db8::1' });
  });

  it('never throws anything but RangeError, nor reads past its bytes, on arbitrary input (property)', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          for (const r of decodeForwardTable(Buffer.from(bytes))) assert.match(r.destination, /\/\d+$/);
        } catch (error) {
          assert.ok(error instanceof RangeError, String(error));
        }
      }),
      2000,
    );
  });
});
