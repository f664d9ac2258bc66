/**
 * Properties of the Linux decoders over arbitrary input: rtnetlink datagrams (the kernel's, but decoded by
 * us byte by byte), /proc text (fdinfo, pppol2tp), process and link names chosen by any local program, and
 * what NetworkManager answers on the bus. None may throw, read past its buffer, or produce anything but
 * plain data that crosses a worker thread (the owner named `constructor` of issue 12 did not).
 */
import assert from 'node:assert/strict';
import { isIPv6 } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NO_HINTS, toConnection, type LinkHints, type NmProfile } from '../../../../electron/core/platforms/linux/classify';
import { NetworkManagerReader, mapNetworkManager, type MinimalBus, type NmActiveConnection } from '../../../../electron/core/platforms/linux/network-manager';
import { parsePppol2tpInterfaces } from '../../../../electron/core/platforms/linux/ppp';
import {
  AF_INET,
  AF_INET6,
  IFLA_IFNAME,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MTU,
  OPERSTATES,
  formatAddress,
  parseAddressMessage,
  parseAttributes,
  parseLinkMessage,
  parseMessages,
  type LinkMessage,
} from '../../../../electron/core/platforms/linux/rtnetlink';
import { ownerDisplayName, parseFdinfoIff, type TunOwner } from '../../../../electron/core/platforms/linux/tun-owners';
import { PROTOTYPE_NAMES, check, checkAsync, outsideText } from '../../../support/property';
import { attr, ifinfomsg, message, str, u32 } from './netlink-builders';

const bytes = (maxLength = 256) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));
/** A view at an offset of a bigger allocation, as the socket's receive buffer hands them out. */
const view = (maxLength = 256) =>
  fc.tuple(fc.nat({ max: 7 }), bytes(maxLength)).map(([pad, b]) => Buffer.concat([Buffer.alloc(pad, 0xee), b]).subarray(pad));

const isWithin = (part: Buffer, whole: Buffer): boolean =>
  part.buffer === whole.buffer && part.byteOffset >= whole.byteOffset && part.byteOffset + part.length <= whole.byteOffset + whole.length;

describe('rtnetlink decoding over arbitrary bytes (property)', () => {
  it('parseMessages and parseAttributes: never throw, every payload and value lies inside the datagram', () => {
    check(
      fc.property(view(), (buf) => {
        let consumed = 0;
        for (const m of parseMessages(buf)) {
          assert.ok(isWithin(m.payload, buf));
          consumed += 16 + m.payload.length;
        }
        assert.ok(consumed <= buf.length);
        for (const value of parseAttributes(buf).values()) assert.ok(isWithin(value, buf));
      }),
      20000,
    );
  });

  it('parseLinkMessage and parseAddressMessage: never throw; null only when shorter than the header; fields typed', () => {
    check(
      fc.property(view(), fc.boolean(), (buf, counters) => {
        const link = parseLinkMessage(buf, counters);
        assert.equal(link === null, buf.length < 16);
        if (link) {
          assert.ok(link.name === null || typeof link.name === 'string');
          assert.ok(link.kind === null || typeof link.kind === 'string');
          assert.ok(link.operstate === null || OPERSTATES.includes(link.operstate));
          for (const n of [link.mtu, link.rxBytes, link.txBytes]) assert.ok(n === null || (Number.isInteger(n) && n >= 0));
          if (!counters) assert.deepEqual([link.rxBytes, link.txBytes], [null, null]);
        }
        const address = parseAddressMessage(buf);
        assert.equal(address === null, buf.length < 8);
        if (address?.address) assert.ok(address.family === AF_INET || address.family === AF_INET6);
      }),
      20000,
    );
  });

  it('a link message built as the kernel lays it out decodes to what was put in, whatever the name', () => {
    const ifname = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ minLength: 1, maxLength: 15 })).filter((s) => !s.includes('\0'));
    check(
      fc.property(ifname, fc.option(ifname, { nil: null }), fc.nat({ max: 0xffffffff }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (name, kind, mtu, index) => {
        const attrs = [attr(IFLA_IFNAME, str(name)), attr(IFLA_MTU, u32(mtu))];
        if (kind !== null) attrs.push(attr(IFLA_LINKINFO, attr(IFLA_INFO_KIND, str(kind))));
        const [m] = parseMessages(message(16, ifinfomsg({ type: 0xfffe, index, flags: 1 }, ...attrs)));
        const link = parseLinkMessage(m!.payload);
        assert.deepEqual([link?.name, link?.kind, link?.mtu, link?.index], [Buffer.from(name).toString(), kind === null ? null : Buffer.from(kind).toString(), mtu, index]);
      }),
      5000,
    );
  });

  it('formatAddress: IPv4 as a dotted quad, IPv6 as RFC 5952 text (what WHATWG URL prints, or ::ffff: + IPv4)', () => {
    check(
      fc.property(fc.constantFrom(AF_INET, AF_INET6, 0, 7), bytes(20), (family, raw) => {
        const text = formatAddress(family, raw);
        if (family === AF_INET && raw.length >= 4) assert.equal(text, [...raw.subarray(0, 4)].join('.'));
        else if (family === AF_INET6 && raw.length >= 16) {
          assert.ok(text && isIPv6(text), String(text));
          if (!text.startsWith('::ffff:') || !text.includes('.')) assert.equal(`[${text}]`, new URL(`http://[${text}]/`).hostname);
        } else assert.equal(text, null);
      }),
      20000,
    );
  });
});

describe('/proc text and outside names (property)', () => {
  it('parseFdinfoIff: never throws; a name is the whole value of the first iff: line, with no whitespace', () => {
    const line = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('iff:', 'iff:\t', 'iff:\ttun0', 'pos:\t0', 'iff: x y')).map((s) => s.replace(/\n/g, ''));
    check(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol);
        const name = parseFdinfoIff(text);
        const first = text.split('\n').find((l) => l.startsWith('iff:'));
        if (first === undefined) assert.equal(name, null);
        else assert.equal(name, /^\s*(\S+)\s*$/.exec(first.slice(4))?.[1] ?? null);
      }),
      10000,
    );
  });

  it('parsePppol2tpInterfaces: every name found stands on its own "interface NAME" line', () => {
    const line = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('   interface', '   interface ppp0', ' interface\tppp1 ', 'interface a b')).map((s) => s.replace(/\n/g, ''));
    check(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const text = lines.join('\n');
        for (const name of parsePppol2tpInterfaces(text)) {
          assert.ok(/^\S+$/.test(name));
          assert.ok(
            lines.some((l) => {
              const words = l.replace(/^[ \t]+|[ \t\r]+$/g, '').split(/[ \t]+/);
              return words.length === 2 && words[0] === 'interface' && words[1] === name;
            }),
            name,
          );
        }
      }),
      10000,
    );
  });

  it('toConnection: any link and any owner name give plain data with string names, or no connection', () => {
    const owner: fc.Arbitrary<TunOwner> = fc.record({ pid: fc.nat(), comm: outsideText(), sameNetns: fc.boolean() });
    const link: fc.Arbitrary<LinkMessage> = fc.record({
      index: fc.integer(),
      type: fc.constantFrom(0xfffe, 1, 512, 768, 776, 778, 823, 519),
      flags: fc.nat({ max: 0x7ffff }),
      name: fc.option(outsideText(15), { nil: null }),
      mtu: fc.option(fc.nat(), { nil: null }),
      operstate: fc.option(fc.constantFrom(...OPERSTATES), { nil: null }),
      carrier: fc.option(fc.boolean(), { nil: null }),
      kind: fc.option(fc.oneof(outsideText(), fc.constantFrom('tun', 'ppp', 'wireguard', 'gre', 'vti')), { nil: null }),
      tunType: fc.option(fc.constantFrom(1, 2), { nil: null }),
      rxBytes: fc.option(fc.nat(), { nil: null }),
      txBytes: fc.option(fc.nat(), { nil: null }),
    });
    check(
      fc.property(link, fc.option(owner, { nil: null }), fc.boolean(), fc.boolean(), (l, o, viaSocket, counters) => {
        const name = l.name ?? '';
        const hints: LinkHints = { ...NO_HINTS, owners: new Map([[name, o]]), wireguardSockets: new Set(viaSocket ? [name] : []) };
        const c = toConnection(l, [], hints, counters);
        if (c === null) return;
        for (const text of [c.id, c.name, c.stateDetail, c.deviceType, c.deviceName]) assert.equal(typeof text, 'string');
        assert.ok(c.owner === null || typeof c.owner === 'string');
        assert.ok(!c.name.includes('[native code]'), c.name);
        assert.deepEqual(structuredClone(c), c);
        if (o) assert.equal(ownerDisplayName(o.comm).length > 0 || o.comm === '', true);
      }),
      10000,
    );
  });
});

describe('NetworkManager over arbitrary answers (property)', () => {
  const active: fc.Arbitrary<NmActiveConnection> = fc.record({
    id: outsideText(),
    uuid: outsideText(),
    type: fc.constantFrom('vpn', 'wireguard', '802-3-ethernet', '__proto__'),
    state: fc.oneof(fc.nat({ max: 6 }), fc.double()),
    interfaces: fc.array(outsideText(15), { maxLength: 3 }),
    path: outsideText(),
    ipInterface: fc.option(outsideText(15)),
  });

  it('mapNetworkManager: names only links it was told about, with states the app knows, as plain data', () => {
    check(
      fc.property(fc.array(active, { maxLength: 5 }), fc.array(outsideText(15), { maxLength: 3 }), (actives, unnamed) => {
        const { byInterface, withoutInterface } = mapNetworkManager(actives, unnamed);
        const told = new Set([...actives.filter((a) => a.type === 'wireguard').flatMap((a) => a.interfaces), ...unnamed]);
        const states = new Set(['connecting', 'connected', 'disconnected', 'paused']);
        for (const [ifname, profile] of byInterface) {
          assert.ok(told.has(ifname));
          assert.ok(states.has(profile.state));
          assert.equal(typeof profile.stateDetail, 'string');
        }
        for (const c of withoutInterface) assert.ok(states.has(c.state) && c.id.startsWith('nm:'));
        // Disconnect is offered only for links NetworkManager said are a connection's: a WireGuard profile's
        // own device, or a plugin VPN's data interface (issue 29); a link matched by elimination is named only.
        for (const [ifname, profile] of byInterface) {
          if (profile.activePath === null) continue;
          const owner = actives.find((a) => a.path === profile.activePath && ((a.type === 'wireguard' && a.interfaces.includes(ifname)) || (a.type === 'vpn' && a.ipInterface === ifname)));
          assert.ok(owner, `${ifname} is offered for Disconnect without NetworkManager saying it is ${profile.name}'s`);
        }
        assert.deepEqual(structuredClone([...byInterface]), [...byInterface] satisfies [string, NmProfile][]);
      }),
      5000,
    );
  });

  it('the reader: whatever values the bus answers, read() resolves to well-typed active connections or none', async () => {
    const value = fc.oneof(fc.jsonValue(), fc.constantFrom(['/a'], ['/a', '/b'], '/a'));
    await checkAsync(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('ActiveConnections', 'Id', 'Uuid', 'Type', 'State', 'Devices', 'Interface', 'Ip4Config', 'Ip6Config'), value), async (answers) => {
        const bus: MinimalBus = {
          async getProxyObject() {
            return { getInterface: () => ({ Get: async (_iface: string, prop: string) => ({ value: Object.hasOwn(answers, prop) ? answers[prop] : undefined }) }) };
          },
          disconnect() {},
        };
        const reader = new NetworkManagerReader({ connectBus: async () => bus });
        const actives = await reader.read();
        reader.close();
        assert.ok(Array.isArray(actives));
        for (const a of actives) {
          for (const text of [a.id, a.uuid, a.type, a.path, ...a.interfaces]) assert.equal(typeof text, 'string');
          assert.ok(a.ipInterface === null || (typeof a.ipInterface === 'string' && !a.interfaces.includes(a.ipInterface)));
          assert.equal(typeof a.state, 'number');
        }
      }),
      1000,
    );
  });
});
