import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AdapterListDecoder, decodeAdapterAddresses, decodeIfRow2, prepareIfRow2 } from '../../../../electron/core/platforms/win32/iphlpapi-decode';
import { ipLayouts, type IpArch } from '../../../../electron/core/platforms/win32/iphlpapi-structs';
import { adapterListBuffer, ifRow2Buffer, type BuiltAdapter } from './adapter-builders';

const BASE = 0x7f00_0010_0000n;
const BASE_X86 = 0x0100_0000n;
const baseFor = (arch: IpArch): bigint => (arch === 'x64' ? BASE : BASE_X86);

const wireguard: BuiltAdapter = {
  ifIndex: 17,
  luid: 0x0035_0000_0200_0000n,
  description: 'WireGuard Tunnel',
  friendlyName: 'Büro 東京 🔒',
  ifType: 53,
  operStatus: 1,
  mtu: 1420,
  addresses: [
    { family: 'ipv4', bytes: [10, 6, 0, 2], prefixLength: 32 },
    { family: 'ipv6', bytes: [0xfd, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], prefixLength: 128 },
  ],
};
const ethernet: BuiltAdapter = {
  ifIndex: 3,
  luid: 0x0006_0000_0100_0000n,
  description: 'Intel(R) Ethernet Connection (7) I219-V',
  friendlyName: 'Ethernet',
  ifType: 6,
  operStatus: 1,
  mtu: 1500,
  addresses: [{ family: 'ipv6', bytes: [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], prefixLength: 64 }],
};

describe('decodeAdapterAddresses', () => {
  for (const arch of ['x64', 'x86'] as const) {
    it(`${arch}: a list of adapters with nested address lists, IPv4 and IPv6, variable-length and non-ASCII names`, () => {
      const buf = adapterListBuffer([ethernet, wireguard, { ...wireguard, ifIndex: 18, luid: 0x35000003000000n, addresses: [], friendlyName: 'x' }], arch, baseFor(arch));
      const records = decodeAdapterAddresses(buf, baseFor(arch), ipLayouts(arch));
      assert.equal(records.length, 3);
      assert.deepEqual(
        records.map((r) => [r.friendlyName, r.description, r.ifIndex, r.luid, r.ifType, r.mtu]),
        [
          ['Ethernet', 'Intel(R) Ethernet Connection (7) I219-V', 3, 0x0006_0000_0100_0000n, 6, 1500],
          ['Büro 東京 🔒', 'WireGuard Tunnel', 17, 0x0035_0000_0200_0000n, 53, 1420],
          ['x', 'WireGuard Tunnel', 18, 0x35000003000000n, 53, 1420],
        ],
      );
      assert.deepEqual(records[1]!.addresses, [
        { family: 'ipv4', address: '10.6.0.2', prefixLength: 32, dadState: 4 },
        { family: 'ipv6', address: 'fd00:6::2', prefixLength: 128, dadState: 4 },
      ]);
      assert.deepEqual(records[2]!.addresses, []);
    });
  }

  it('an empty buffer is no adapters (ERROR_NO_DATA wrote nothing)', () => {
    assert.deepEqual(decodeAdapterAddresses(Buffer.alloc(0), BASE), []);
  });

  it('an XP-sized entry (Length up to FirstPrefix) decodes without the LUID and tunnel type', () => {
    const xp = ipLayouts('x64').adapter.offsets.TransmitLinkSpeed!;
    const [record] = decodeAdapterAddresses(adapterListBuffer([{ ...wireguard, length: xp }]), BASE);
    assert.equal(record!.luid, null);
    assert.equal(record!.tunnelType, null);
    assert.equal(record!.friendlyName, 'Büro 東京 🔒');
  });

  it('an address that failed duplicate detection keeps its DAD state', () => {
    const [record] = decodeAdapterAddresses(adapterListBuffer([{ ...wireguard, addresses: [{ ...wireguard.addresses[0]!, dadState: 2 }] }]), BASE);
    assert.equal(record!.addresses[0]!.dadState, 2);
  });

  it('a Next pointer outside the buffer is a RangeError naming it, not a read of foreign memory', () => {
    const buf = adapterListBuffer([wireguard]);
    buf.writeBigUInt64LE(BASE + BigInt(buf.length) + 64n, ipLayouts('x64').adapter.offsets.Next!);
    assert.throws(() => decodeAdapterAddresses(buf, BASE), { name: 'RangeError', message: /adapter 2 points outside/ });
  });

  it('a list that loops is a RangeError, not an endless walk', () => {
    const buf = adapterListBuffer([wireguard, ethernet]);
    const second = decodeAdapterAddresses(buf, BASE).length; // sanity: 2
    assert.equal(second, 2);
    // The second entry's Next points back to the first.
    const L = ipLayouts('x64').adapter;
    const secondAt = Number(buf.readBigUInt64LE(L.offsets.Next!) - BASE);
    buf.writeBigUInt64LE(BASE, secondAt + L.offsets.Next!);
    assert.throws(() => decodeAdapterAddresses(buf, BASE), { name: 'RangeError', message: /loops/ });
  });

  it('a name without its NUL inside the buffer is a RangeError', () => {
    const buf = adapterListBuffer([wireguard]);
    const L = ipLayouts('x64').adapter;
    const description = Number(buf.readBigUInt64LE(L.offsets.Description!) - BASE);
    buf.fill(0x41, description); // 'AAAA…' to the end of the buffer
    assert.throws(() => decodeAdapterAddresses(buf, BASE), { name: 'RangeError' });
  });

  it('an entry whose Length is shorter than its own fields is a RangeError', () => {
    assert.throws(() => decodeAdapterAddresses(adapterListBuffer([{ ...wireguard, length: 40 }]), BASE), { name: 'RangeError', message: /shorter/ });
  });

  it('property: whatever adapters Windows writes (either architecture), the decoder gives them back', () => {
    const address = fc.oneof(
      fc.record({ family: fc.constant('ipv4' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), prefixLength: fc.integer({ min: 0, max: 32 }) }),
      fc.record({ family: fc.constant('ipv6' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }), prefixLength: fc.integer({ min: 0, max: 128 }) }),
    );
    // Names: any UTF-16 text without NUL (lone surrogates excluded: they do not survive a round trip).
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0'));
    const adapter = fc.record({
      ifIndex: fc.integer({ min: 0, max: 0xffffffff }),
      luid: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      description: text,
      friendlyName: text,
      ifType: fc.integer({ min: 0, max: 300 }),
      operStatus: fc.integer({ min: 1, max: 7 }),
      mtu: fc.integer({ min: 0, max: 0xffffffff }),
      addresses: fc.array(address, { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(adapter, { maxLength: 6 }), fc.constantFrom<IpArch>('x64', 'x86'), (adapters, arch) => {
        const buf = adapters.length === 0 ? Buffer.alloc(0) : adapterListBuffer(adapters, arch, baseFor(arch));
        const records = decodeAdapterAddresses(buf, baseFor(arch), ipLayouts(arch));
        assert.deepEqual(
          records.map((r) => ({ ifIndex: r.ifIndex, luid: r.luid, description: r.description, friendlyName: r.friendlyName, ifType: r.ifType, operStatus: r.operStatus, mtu: r.mtu, n: r.addresses.length })),
          adapters.map((a) => ({ ifIndex: a.ifIndex, luid: a.luid, description: a.description, friendlyName: a.friendlyName, ifType: a.ifType, operStatus: a.operStatus, mtu: a.mtu, n: a.addresses.length })),
        );
        records.forEach((r, i) => r.addresses.forEach((a, k) => assert.equal(a.prefixLength, adapters[i]!.addresses[k]!.prefixLength)));
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  it('property: arbitrary bytes at an arbitrary base decode to adapters or a RangeError, never anything else, and always end', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.bigInt({ min: 0n, max: (1n << 47n) - 1n }), fc.constantFrom<IpArch>('x64', 'x86'), (bytes, base, arch) => {
        try {
          const records = decodeAdapterAddresses(Buffer.from(bytes), arch === 'x86' ? base & 0xffff_ffffn : base, ipLayouts(arch));
          assert.ok(Array.isArray(records));
        } catch (error) {
          assert.ok(error instanceof RangeError, `not a RangeError: ${String(error)}`);
        }
      }),
      { seed: 14, numRuns: 500 },
    );
  });

  it('property: a real list with random bytes overwritten decodes or fails with a RangeError (pointers into the buffer included)', () => {
    const good = adapterListBuffer([ethernet, wireguard, wireguard]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }), (edits) => {
        const buf = Buffer.from(good);
        for (const [at, value] of edits) buf[at] = value;
        try {
          decodeAdapterAddresses(buf, BASE);
        } catch (error) {
          assert.ok(error instanceof RangeError, `not a RangeError: ${String(error)}`);
        }
      }),
      { seed: 14, numRuns: 500 },
    );
  });
});

describe('AdapterListDecoder', () => {
  it('property: over any sequence of lists written into one buffer, it answers what decodeAdapterAddresses does', () => {
    const variants = [[wireguard], [ethernet, wireguard], [{ ...wireguard, friendlyName: 'renamed' }], []];
    fc.assert(
      fc.property(fc.array(fc.nat({ max: variants.length - 1 }), { minLength: 1, maxLength: 12 }), (sequence) => {
        const decoder = new AdapterListDecoder();
        const buf = Buffer.alloc(8192);
        for (const index of sequence) {
          buf.fill(0);
          const written = variants[index]!.length ? adapterListBuffer(variants[index]!) : Buffer.alloc(0);
          written.copy(buf);
          const view = written.length ? buf : Buffer.alloc(0);
          assert.deepEqual(decoder.decode(view, BASE), decodeAdapterAddresses(view, BASE));
        }
      }),
      { seed: 14, numRuns: 200 },
    );
  });

  it('the same bytes at the same address give the very same records; a changed byte a fresh decode', () => {
    const decoder = new AdapterListDecoder();
    const buf = adapterListBuffer([wireguard]);
    const first = decoder.decode(buf, BASE);
    assert.equal(decoder.decode(buf, BASE), first);
    const mtu = ipLayouts().adapter.offsets.Mtu!;
    buf.writeUInt32LE(1280, mtu);
    const changed = decoder.decode(buf, BASE);
    assert.notEqual(changed, first);
    assert.equal(changed[0]!.mtu, 1280);
  });
});

describe('decodeIfRow2 / prepareIfRow2', () => {
  for (const arch of ['x64', 'x86'] as const) {
    it(`${arch}: 64-bit octet counters beyond 4 GiB, status and identity`, () => {
      const row = { luid: 0x35000002000000n, ifIndex: 17, inOctets: 5_000_000_000n, outOctets: 12_345n, operStatus: 1, mediaConnectState: 1 };
      assert.deepEqual(decodeIfRow2(ifRow2Buffer(row, arch), ipLayouts(arch).ifRow2), { ...row, inOctets: 5_000_000_000, outOctets: 12_345 });
    });
  }

  it('a short buffer is a RangeError', () => {
    assert.throws(() => decodeIfRow2(Buffer.alloc(100)), RangeError);
  });

  it('prepareIfRow2 zeroes the row and names the interface by LUID (index too, for a LUID of 0)', () => {
    const L = ipLayouts().ifRow2;
    const buf = Buffer.alloc(L.size, 0xff);
    prepareIfRow2(buf, 0x35000002000000n, 17, L);
    assert.equal(buf.readBigUInt64LE(L.offsets.InterfaceLuid!), 0x35000002000000n);
    assert.equal(buf.readUInt32LE(L.offsets.InterfaceIndex!), 17);
    assert.equal(buf.subarray(L.offsets.InterfaceGuid!).every((b) => b === 0), true);
    prepareIfRow2(buf, null, 9, L);
    assert.equal(buf.readBigUInt64LE(L.offsets.InterfaceLuid!), 0n);
  });

  it('property: any MIB_IF_ROW2 bytes decode (counters are numbers, never negative)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: ipLayouts().ifRow2.size, maxLength: ipLayouts().ifRow2.size }), (bytes) => {
        const row = decodeIfRow2(Buffer.from(bytes));
        assert.ok(row.inOctets >= 0 && row.outOctets >= 0);
      }),
      { seed: 14, numRuns: 200 },
    );
  });
});
