/**
 * PF_ROUTE messages built by hand from xnu's bsd/net/if.h and route.h (struct if_msghdr 112 bytes with
 * ifm_index at 12; struct ifa_msghdr 20 bytes with ifam_index at 12; struct rt_msghdr 92 bytes with
 * rtm_index at 4; RTM_VERSION 5), and arbitrary bytes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RTM, affectsInterfaces, decodeRouteMessages } from '../../../../electron/core/platforms/darwin/route-messages';

const PROPERTY = { seed: 0x17, numRuns: 3000 } as const;

function message(size: number, type: number, index: number, indexAt: number, version = 5): Buffer {
  const b = Buffer.alloc(size);
  b.writeUInt16LE(size, 0);
  b[2] = version;
  b[3] = type;
  b.writeUInt16LE(index, indexAt);
  return b;
}
const ifinfo = (index: number, flags = 0x8051) => {
  const b = message(112, 0xe, index, 12);
  b.writeInt32LE(flags, 8);
  return b;
};
/** ifa_msghdr + a trimmed netmask (8 bytes) + a sockaddr_in (16), as the kernel appends them. */
const newaddr = (index: number, type = 0xc) => Buffer.concat([message(20, type, index, 12), Buffer.alloc(24)]).fill(0, 20);
function withLength(b: Buffer): Buffer {
  b.writeUInt16LE(b.length, 0);
  return b;
}
const rtAdd = (index: number) => message(92, 0x1, index, 4);

describe('routing messages', () => {
  it('RTM_IFINFO, RTM_NEWADDR, RTM_DELADDR and RTM_ADD in one read, with their indexes', () => {
    const read = decodeRouteMessages(Buffer.concat([ifinfo(20), withLength(newaddr(20)), withLength(newaddr(21, 0xd)), rtAdd(6)]));
    assert.equal(read.complete, true);
    assert.deepEqual(
      read.messages.map((m) => [m.type, m.index]),
      [
        [RTM.IFINFO, 20],
        [RTM.NEWADDR, 20],
        [RTM.DELADDR, 21],
        [RTM.ADD, 6],
      ],
    );
    assert.equal(read.messages[0]!.flags, 0x8051);
    assert.equal(affectsInterfaces(read), true);
  });
  it('route additions alone, or another version, change nothing', () => {
    assert.equal(affectsInterfaces(decodeRouteMessages(Buffer.concat([rtAdd(6), rtAdd(7)]))), false);
    assert.equal(affectsInterfaces(decodeRouteMessages(message(112, 0xe, 3, 12, 4))), false);
  });
  it('a truncated read keeps what came before and counts as a change (re-read rather than miss one)', () => {
    const bytes = Buffer.concat([rtAdd(6), ifinfo(20).subarray(0, 50)]);
    const read = decodeRouteMessages(bytes);
    assert.equal(read.messages.length, 1);
    assert.equal(read.complete, false);
    assert.equal(affectsInterfaces(read), true);
  });
  it('property: arbitrary bytes never throw, messages never overrun, and complete means every byte was used', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (raw) => {
        const read = decodeRouteMessages(Buffer.from(raw));
        assert.ok(read.messages.length <= raw.length / 4);
        if (raw.length === 0) assert.equal(read.complete, true);
        for (const m of read.messages) if (m.index !== null) assert.ok(m.index >= 0 && m.index <= 0xffff);
      }),
      PROPERTY,
    );
  });
  it('property: any sequence of well-formed messages decodes to the same types, in order', () => {
    const one = fc.oneof(
      fc.nat(0xffff).map((i) => ({ type: RTM.IFINFO as number, bytes: ifinfo(i) })),
      fc.nat(0xffff).map((i) => ({ type: RTM.NEWADDR as number, bytes: withLength(newaddr(i)) })),
      fc.nat(0xffff).map((i) => ({ type: RTM.ADD as number, bytes: rtAdd(i) })),
    );
    fc.assert(
      fc.property(fc.array(one, { maxLength: 20 }), (list) => {
        const read = decodeRouteMessages(Buffer.concat(list.map((m) => m.bytes)));
        assert.equal(read.complete, true);
        assert.deepEqual(
          read.messages.map((m) => m.type),
          list.map((m) => m.type),
        );
        assert.equal(affectsInterfaces(read), list.some((m) => m.type !== RTM.ADD));
      }),
      PROPERTY,
    );
  });
});
