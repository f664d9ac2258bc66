/**
 * struct ifmibdata (xnu bsd/net/if_mib.h) built by hand: ifmd_name[16], five unsigned int (ifmd_flags at 20),
 * ifmd_filler[4], then struct if_data64 at 52 (bsd/net/if_var.h, pack(4): ifi_ibytes at 52+64, ifi_obytes at
 * 52+72); 180 bytes. And the mib of net.link.generic.ifdata.<index>.general.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import koffi from 'koffi';
import { IFMIBDATA, IF_DATA64, decodeIfMibData, ifMibName } from '../../../../electron/core/platforms/darwin/if-mib';

function ifmib(name: string, ibytes: bigint, obytes: bigint): Buffer {
  const b = Buffer.alloc(180);
  b.write(name, 0, 'latin1');
  b.writeUInt32LE(0x8051, 20);
  b.writeUInt32LE(1380, 52 + 8);
  b.writeBigUInt64LE(ibytes, 52 + 64);
  b.writeBigUInt64LE(obytes, 52 + 72);
  return b;
}

describe('ifmibdata', () => {
  it('layout: if_data64 is 128 bytes with 4-byte-aligned u_int64_t (pack 4), ifmibdata 180', () => {
    const ifData64 = koffi.struct('lw_if_data64', {
      head: koffi.array('uint8_t', 8),
      mtu: 'uint32_t',
      metric: 'uint32_t',
      baudrate: [4, 'uint64_t'],
      ipackets: [4, 'uint64_t'],
      ierrors: [4, 'uint64_t'],
      opackets: [4, 'uint64_t'],
      oerrors: [4, 'uint64_t'],
      collisions: [4, 'uint64_t'],
      ibytes: [4, 'uint64_t'],
      obytes: [4, 'uint64_t'],
      rest: [4, koffi.array('uint64_t', 4)],
      timing: koffi.array('uint32_t', 2),
      lastchange: koffi.struct({ sec: 'int32_t', usec: 'int32_t' }),
    });
    assert.equal(koffi.sizeof(ifData64), IF_DATA64.size);
    assert.equal(koffi.offsetof(ifData64, 'ibytes'), IF_DATA64.ibytes);
    assert.equal(koffi.offsetof(ifData64, 'obytes'), IF_DATA64.obytes);
    assert.equal(koffi.offsetof(ifData64, 'lastchange'), IF_DATA64.lastchange);
    const mib = koffi.struct('lw_ifmibdata', { name: koffi.array('char', 16), counts: koffi.array('uint32_t', 5), filler: koffi.array('uint32_t', 4), data: ifData64 });
    assert.equal(koffi.sizeof(mib), IFMIBDATA.size);
    assert.equal(koffi.offsetof(mib, 'data'), IFMIBDATA.data);
  });
  it('the mib is CTL_NET 4, PF_LINK 18, NETLINK_GENERIC 0, IFMIB_IFDATA 2, index, IFDATA_GENERAL 1', () => {
    assert.deepEqual([...ifMibName(20)], [4, 18, 0, 2, 20, 1]);
  });
  it('64-bit counters, exact (no 1 KiB rounding), name and MTU', () => {
    assert.deepEqual(decodeIfMibData(ifmib('utun4', 5n * 2n ** 32n + 123n, 7n)), { name: 'utun4', flags: 0x8051, mtu: 1380, bytesIn: 5 * 2 ** 32 + 123, bytesOut: 7 });
  });
  it('a zeroed answer (interface being detached) or a short one is null', () => {
    assert.equal(decodeIfMibData(Buffer.alloc(180)), null);
    assert.equal(decodeIfMibData(ifmib('utun4', 1n, 1n).subarray(0, 179)), null);
  });
  it('property: never throws on arbitrary bytes; a full-length answer with a name decodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => {
        const d = decodeIfMibData(Buffer.from(raw));
        if (raw.length < 180 || raw[0] === 0) assert.equal(d, null);
        else assert.ok(d && d.name.length > 0 && d.bytesIn >= 0 && d.bytesOut >= 0);
      }),
      { seed: 0x17, numRuns: 2000 },
    );
  });
});
