/**
 * macOS resolver configuration (issue 25): what `scutil --dns` prints, from libSystem's
 * dns_configuration_copy() (configd dnsinfo/dnsinfo.h, DNSINFO_VERSION 20170629, `#pragma pack(4)`; its pointer
 * members are DNS_PTR unions with a uint64_t, so 8 bytes on every architecture). resolver[0] is the default
 * resolver, the one ordinary names go to; further `resolver` entries carry a domain (split DNS); the scoped
 * resolvers (DNS_RESOLVER_FLAGS_SCOPED) are each interface's own servers. Decoded through a reader of foreign
 * memory, so the decoding is testable on bytes.
 */
import { ipv4Text, ipv6Text } from '../ip-text';
import { DARWIN_AF } from './route-table';

/** dns_config_t: n_resolver 0, resolver 4, n_scoped_resolver 12, scoped_resolver 16, generation 24, … version 44. */
export const DNS_CONFIG = { size: 48, nResolver: 0, resolver: 4, nScoped: 12, scoped: 16 } as const;
/** dns_resolver_t: domain 0, n_nameserver 8, nameserver 12, port 20, …, if_index 64, flags 68, …, if_name 88. */
export const DNS_RESOLVER = { size: 96, domain: 0, nNameserver: 8, nameserver: 12, ifIndex: 64, flags: 68, ifName: 88 } as const;
export const DNS_RESOLVER_FLAGS_SCOPED = 0x1000;
/** More resolvers or servers than this is a broken configuration, not a Mac's. */
const MAX_RESOLVERS = 256;
const MAX_SERVERS = 64;

export interface ForeignMemory {
  /** `length` bytes at `address` (copied). */
  bytes(address: bigint, length: number): Buffer;
  /** The NUL-terminated string at `address`. */
  string(address: bigint): string;
}

export interface DarwinResolver {
  domain: string | null;
  servers: string[];
  ifIndex: number;
  ifName: string | null;
  flags: number;
}

function sockaddrText(sa: Buffer): string | null {
  if (sa[1] === DARWIN_AF.INET && sa[0]! >= 8) return ipv4Text(sa.subarray(4, 8));
  if (sa[1] === DARWIN_AF.INET6 && sa[0]! >= 24) return ipv6Text(sa.subarray(8, 24));
  return null;
}

function resolverAt(memory: ForeignMemory, address: bigint): DarwinResolver {
  const r = memory.bytes(address, DNS_RESOLVER.size);
  const count = r.readInt32LE(DNS_RESOLVER.nNameserver);
  if (count < 0 || count > MAX_SERVERS) throw new RangeError(`a resolver lists ${count} name servers`);
  const list = r.readBigUInt64LE(DNS_RESOLVER.nameserver);
  const servers: string[] = [];
  if (count > 0 && list !== 0n) {
    const pointers = memory.bytes(list, count * 8);
    for (let i = 0; i < count; i++) {
      const sa = pointers.readBigUInt64LE(i * 8);
      if (sa === 0n) continue;
      const text = sockaddrText(memory.bytes(sa, 28));
      if (text) servers.push(text);
    }
  }
  const domain = r.readBigUInt64LE(DNS_RESOLVER.domain);
  const ifName = r.readBigUInt64LE(DNS_RESOLVER.ifName);
  return {
    domain: domain === 0n ? null : memory.string(domain),
    servers,
    ifIndex: r.readUInt32LE(DNS_RESOLVER.ifIndex),
    ifName: ifName === 0n ? null : memory.string(ifName),
    flags: r.readUInt32LE(DNS_RESOLVER.flags),
  };
}

function listAt(memory: ForeignMemory, count: number, address: bigint): DarwinResolver[] {
  if (count < 0 || count > MAX_RESOLVERS) throw new RangeError(`the configuration lists ${count} resolvers`);
  if (count === 0 || address === 0n) return [];
  const pointers = memory.bytes(address, count * 8);
  const resolvers: DarwinResolver[] = [];
  for (let i = 0; i < count; i++) {
    const at = pointers.readBigUInt64LE(i * 8);
    if (at !== 0n) resolvers.push(resolverAt(memory, at));
  }
  return resolvers;
}

/** The resolvers of a dns_config_t at `config`: the ordered list (default first) and the scoped ones. */
export function decodeDnsConfiguration(memory: ForeignMemory, config: bigint): { resolvers: DarwinResolver[]; scoped: DarwinResolver[] } {
  const c = memory.bytes(config, DNS_CONFIG.size);
  return {
    resolvers: listAt(memory, c.readInt32LE(DNS_CONFIG.nResolver), c.readBigUInt64LE(DNS_CONFIG.resolver)),
    scoped: listAt(memory, c.readInt32LE(DNS_CONFIG.nScoped), c.readBigUInt64LE(DNS_CONFIG.scoped)),
  };
}
