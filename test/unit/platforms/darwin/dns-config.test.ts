/**
 * macOS resolver configuration (issue 25): a dns_config_t laid out as dnsinfo.h lays it out (pack(4), 8-byte
 * pointer unions), in a simulated address space, decoded by dns-config.ts; counts no Mac has are refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DNS_CONFIG, DNS_RESOLVER, DNS_RESOLVER_FLAGS_SCOPED, decodeDnsConfiguration, type ForeignMemory } from '../../../../electron/core/platforms/darwin/dns-config';

/** A tiny address space: blocks placed at increasing addresses. */
class Space implements ForeignMemory {
  private next = 0x1000n;
  private readonly blocks: { at: bigint; buf: Buffer }[] = [];
  put(buf: Buffer): bigint {
    const at = this.next;
    this.blocks.push({ at, buf });
    this.next += BigInt(buf.length + 16);
    return at;
  }
  bytes(address: bigint, length: number): Buffer {
    const block = this.blocks.find((b) => address >= b.at && address + BigInt(length) <= b.at + BigInt(b.buf.length));
    if (!block) throw new RangeError(`no memory at 0x${address.toString(16)}`);
    const from = Number(address - block.at);
    return Buffer.from(block.buf.subarray(from, from + length));
  }
  string(address: bigint): string {
    const block = this.blocks.find((b) => address >= b.at && address < b.at + BigInt(b.buf.length))!;
    const from = Number(address - block.at);
    return block.buf.toString('utf8', from, block.buf.indexOf(0, from));
  }
  pointers(values: bigint[]): bigint {
    const b = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => b.writeBigUInt64LE(v, i * 8));
    return this.put(b);
  }
  resolver(o: { domain?: string; servers: string[]; ifIndex?: number; ifName?: string; flags?: number; count?: number }): bigint {
    const r = Buffer.alloc(DNS_RESOLVER.size);
    if (o.domain) r.writeBigUInt64LE(this.put(Buffer.from(`${o.domain}\0`)), DNS_RESOLVER.domain);
    const sas = o.servers.map((s) => {
      const sa = Buffer.alloc(28);
      sa[0] = 16;
      sa[1] = 2;
      Buffer.from(s.split('.').map(Number)).copy(sa, 4);
      return this.put(sa);
    });
    r.writeInt32LE(o.count ?? sas.length, DNS_RESOLVER.nNameserver);
    r.writeBigUInt64LE(this.pointers(sas), DNS_RESOLVER.nameserver);
    r.writeUInt32LE(o.ifIndex ?? 0, DNS_RESOLVER.ifIndex);
    r.writeUInt32LE(o.flags ?? 0, DNS_RESOLVER.flags);
    if (o.ifName) r.writeBigUInt64LE(this.put(Buffer.from(`${o.ifName}\0`)), DNS_RESOLVER.ifName);
    return this.put(r);
  }
  config(resolvers: bigint[], scoped: bigint[]): bigint {
    const c = Buffer.alloc(DNS_CONFIG.size);
    c.writeInt32LE(resolvers.length, DNS_CONFIG.nResolver);
    c.writeBigUInt64LE(this.pointers(resolvers), DNS_CONFIG.resolver);
    c.writeInt32LE(scoped.length, DNS_CONFIG.nScoped);
    c.writeBigUInt64LE(this.pointers(scoped), DNS_CONFIG.scoped);
    return this.put(c);
  }
}

describe('macOS resolver configuration', () => {
  it('reads the default resolver, a split-DNS one and the scoped per-interface ones', () => {
    const space = new Space();
    const config = space.config(
      [space.resolver({ servers: ['192.168.1.1', '192.168.1.2'] }), space.resolver({ domain: 'corp.example', servers: ['10.8.0.1'] })],
      [space.resolver({ servers: ['10.8.0.1'], ifIndex: 20, ifName: 'utun4', flags: DNS_RESOLVER_FLAGS_SCOPED })],
    );
    assert.deepEqual(decodeDnsConfiguration(space, config), {
      resolvers: [
        { domain: null, servers: ['192.168.1.1', '192.168.1.2'], ifIndex: 0, ifName: null, flags: 0 },
        { domain: 'corp.example', servers: ['10.8.0.1'], ifIndex: 0, ifName: null, flags: 0 },
      ],
      scoped: [{ domain: null, servers: ['10.8.0.1'], ifIndex: 20, ifName: 'utun4', flags: DNS_RESOLVER_FLAGS_SCOPED }],
    });
  });

  it('refuses a server count no configuration has, rather than reading past its list', () => {
    const space = new Space();
    const config = space.config([space.resolver({ servers: ['1.1.1.1'], count: 100_000 })], []);
    assert.throws(() => decodeDnsConfiguration(space, config), RangeError);
  });
});
