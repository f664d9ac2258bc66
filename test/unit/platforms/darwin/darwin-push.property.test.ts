/**
 * The macOS push path's decoders over built and arbitrary bytes: kernel events (struct kern_event_msg, 24-byte
 * header, then struct net_event_data: if_family, if_unit, if_name[16]; xnu bsd/sys/kern_event.h, bsd/net/if_var.h,
 * codes from bsd/net/net_kev.h) and the routing socket's index filter. Nothing may throw on any bytes, and an
 * event is acted on exactly when it is of a kind that changes the list and names a watched interface.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  KERN_EVENT_MSG,
  KEV_DL,
  KEV_INET,
  KEV_INET6,
  KEV_SUBCLASS,
  SIOCSKEVFILT,
  decodeKernelEvents,
  eventsAffectInterfaces,
  kevRequest,
} from '../../../../electron/core/platforms/darwin/kernel-events';
import { isCandidateName } from '../../../../electron/core/platforms/darwin/ifaddrs';
import { affectsInterfaces, decodeRouteMessages } from '../../../../electron/core/platforms/darwin/route-messages';
import { check } from '../../../support/property';

/** A network-class event as dlil_post_msg lays it out, with `extra` bytes of event data after net_event_data. */
function kernelEvent(subclass: number, code: number, family: string, unit: number, extra = 0, vendor = 1, kevClass = 1): Buffer {
  const m = Buffer.alloc(KERN_EVENT_MSG.headerSize + 24 + extra);
  m.writeUInt32LE(m.length, 0);
  m.writeUInt32LE(vendor, 4);
  m.writeUInt32LE(kevClass, 8);
  m.writeUInt32LE(subclass, 12);
  m.writeUInt32LE(7, 16);
  m.writeUInt32LE(code, 20);
  m.writeUInt32LE(unit, 28);
  m.write(family, 32, 'latin1');
  return m;
}

describe('kernel events: layouts and constants from XNU', () => {
  it('SIOCSKEVFILT is _IOW(\'e\', 2, struct kev_request) = 0x800c6502; the filter asks for Apple\'s network class, any subclass', () => {
    assert.equal(SIOCSKEVFILT, 0x800c6502);
    assert.deepEqual([...kevRequest()], [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('KEV_INET_NEW_ADDR on utun4 (struct kev_in_data, 52 bytes) names utun4 and counts; the same on en0 does not', () => {
    const utun = decodeKernelEvents(kernelEvent(KEV_SUBCLASS.INET, KEV_INET.NEW_ADDR, 'utun', 4, 28));
    assert.deepEqual(utun, { events: [{ vendor: 1, kevClass: 1, subclass: 1, code: 1, interfaceName: 'utun4' }], complete: true });
    assert.equal(eventsAffectInterfaces(utun, isCandidateName), true);
    assert.equal(eventsAffectInterfaces(decodeKernelEvents(kernelEvent(KEV_SUBCLASS.INET, KEV_INET.NEW_ADDR, 'en', 0, 28)), isCandidateName), false);
  });

  it('several messages in one read, unpadded (total_size = header + data); a truncated tail is incomplete and counts', () => {
    const two = Buffer.concat([kernelEvent(KEV_SUBCLASS.DL, KEV_DL.LINK_ON, 'awdl', 0), kernelEvent(KEV_SUBCLASS.INET6, KEV_INET6.NEW_USER_ADDR, 'gpd', 0, 144)]);
    const decoded = decodeKernelEvents(two);
    assert.deepEqual(decoded.events.map((e) => e.interfaceName), ['awdl0', 'gpd0']);
    assert.equal(eventsAffectInterfaces(decoded, isCandidateName), true);
    const cut = decodeKernelEvents(two.subarray(0, two.length - 1));
    assert.equal(cut.complete, false);
    assert.equal(eventsAffectInterfaces(cut, () => false), true, 'bytes that cannot be read: assume a change');
  });

  it('kinds that change nothing listed are ignored, on any interface: multicast joins, link quality, other classes and vendors', () => {
    for (const e of [
      kernelEvent(KEV_SUBCLASS.DL, 7, 'utun', 4), // KEV_DL_ADDMULTI
      kernelEvent(KEV_SUBCLASS.DL, 20, 'utun', 4), // KEV_DL_LINK_QUALITY_METRIC_CHANGED
      kernelEvent(KEV_SUBCLASS.INET6, 7, 'utun', 4), // KEV_INET6_REQUEST_NAT64_PREFIX
      kernelEvent(8, 1, 'utun', 4), // KEV_NECP_SUBCLASS
      kernelEvent(KEV_SUBCLASS.DL, KEV_DL.LINK_ON, 'utun', 4, 0, 1, 3), // KEV_SYSTEM_CLASS
      kernelEvent(KEV_SUBCLASS.DL, KEV_DL.LINK_ON, 'utun', 4, 0, 1000), // a third-party vendor
    ]) {
      assert.equal(eventsAffectInterfaces(decodeKernelEvents(e), isCandidateName), false);
    }
  });

  it('property: any bytes decode without throwing; whole events are acted on exactly per kind and name', () => {
    const relevant: Record<number, number[]> = { 1: Object.values(KEV_INET).filter((c) => c !== 5), 2: Object.values(KEV_DL), 6: [1, 2, 3, 5] };
    const event = fc.record({
      subclass: fc.constantFrom(1, 2, 3, 6, 8, 9),
      code: fc.integer({ min: 0, max: 31 }),
      family: fc.constantFrom('utun', 'ipsec', 'ppp', 'tun', 'tap', 'feth', 'gpd', 'en', 'awdl', 'llw', 'bridge', 'anpi'),
      unit: fc.nat(9999),
      extra: fc.nat(150),
    });
    check(
      fc.property(fc.array(event, { maxLength: 8 }), fc.uint8Array({ maxLength: 40 }), (events, noise) => {
        const bytes = Buffer.concat(events.map((e) => kernelEvent(e.subclass, e.code, e.family, e.unit, e.extra)));
        const decoded = decodeKernelEvents(bytes);
        assert.equal(decoded.complete, true);
        const expected = events.some((e) => relevant[e.subclass]?.includes(e.code) && isCandidateName(`${e.family}${e.unit}`));
        assert.equal(eventsAffectInterfaces(decoded, isCandidateName), expected);
        // Arbitrary bytes after them: never a throw, and the whole events before them are still there.
        const noisy = decodeKernelEvents(Buffer.concat([bytes, Buffer.from(noise)]));
        assert.ok(noisy.events.length >= events.length);
        eventsAffectInterfaces(noisy, isCandidateName);
      }),
      2000,
    );
  });
});

describe('routing messages: the index filter (routing socket fallback)', () => {
  const ifinfo = (index: number) => {
    const b = Buffer.alloc(112);
    b.writeUInt16LE(112, 0);
    b[2] = 5;
    b[3] = 0xe;
    b.writeUInt16LE(index, 12);
    return b;
  };
  it('RTM_IFINFO about a watched index counts, about another does not; undecodable bytes always do', () => {
    const watched = (index: number) => index === 20;
    assert.equal(affectsInterfaces(decodeRouteMessages(ifinfo(20)), watched), true);
    assert.equal(affectsInterfaces(decodeRouteMessages(ifinfo(6)), watched), false);
    assert.equal(affectsInterfaces(decodeRouteMessages(Buffer.from([0xff, 0xff, 5, 0xe])), () => false), true);
  });
});
