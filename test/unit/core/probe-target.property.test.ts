/**
 * Where a probe may go (health/probe-target.ts): only a host of the tunnel's own subnet, never the tunnel's
 * own address, never anything else; and the echo request/reply bytes (health/linux-icmp.ts) as the kernel's
 * ping socket exchanges them. Addresses come from outside (backends, the core process): properties.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { echoRequest, isEchoReply, sockaddrIn } from '../../../electron/core/health/linux-icmp';
import { insideTunnel, probeRequestFor, refuseProbe } from '../../../electron/core/health/probe-target';
import { connection } from '../../support/connections';
import { check, outsideText } from '../../support/property';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const toNumber = (text: string): number => text.split('.').reduce((n, part) => n * 256 + Number(part), 0);

describe('probe target', () => {
  it('the gateway is the first host of the tunnel subnet (OpenVPN topology subnet, WireGuard /24)', () => {
    const tunnel = connection({ id: 'netlink:7:tun0', deviceName: 'tun0', addresses: ['10.77.0.2/24', 'fd00::2/64'] });
    assert.deepEqual(probeRequestFor(tunnel), { connectionId: 'netlink:7:tun0', deviceName: 'tun0', localAddress: '10.77.0.2', target: '10.77.0.1', timeoutMs: 2000 });
    assert.equal(probeRequestFor(connection({ id: 'x', addresses: ['10.8.0.1/24'] }))?.target, '10.8.0.2', 'we are .1: the next host');
  });

  it('no subnet (a /32 PPP address, a link-local IPv6 address only, a /128), or not connected: no probe at all', () => {
    assert.equal(probeRequestFor(connection({ id: 'ras:1', addresses: ['10.8.0.2/32'] })), null);
    assert.equal(probeRequestFor(connection({ id: 'x', addresses: ['fe80::5efe:a08:2/64'] })), null);
    assert.equal(probeRequestFor(connection({ id: 'x', addresses: ['fd00:6::2/128'] })), null);
    assert.equal(probeRequestFor(connection({ id: 'x', state: 'connecting', addresses: ['10.77.0.2/24'] })), null);
  });

  it('IPv6: the first host of the tunnel\'s /64 (or the family asked for); IPv4 first where both are there', () => {
    const both = connection({ id: 'n', deviceName: 'tun0', addresses: ['fe80::1/64', 'fd77::2/64', '10.77.0.2/24'] });
    assert.equal(probeRequestFor(both)?.target, '10.77.0.1');
    assert.deepEqual(probeRequestFor(both, 2000, 6), { connectionId: 'n', deviceName: 'tun0', localAddress: 'fd77::2', target: 'fd77::1', timeoutMs: 2000 });
    assert.equal(probeRequestFor(connection({ id: 'x', addresses: ['2001:db8:0:1::1/64'] }))?.target, '2001:db8:0:1::2', 'we are ::1: the next host');
    assert.equal(insideTunnel('fd77::1', ['fd77::2/64']), true);
    assert.equal(insideTunnel('fd77::', ['fd77::2/64']), false, 'the subnet-router anycast address');
    assert.equal(insideTunnel('fd78::1', ['fd77::2/64']), false);
    assert.equal(insideTunnel('fe80::1', ['fe80::2/64']), false, 'link-local is never a target');
  });

  it('any IPv6 address list: a chosen target is inside one of its subnets and never the tunnel\'s own address', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const ipv6 = fc.array(group, { minLength: 8, maxLength: 8 }).map((groups) => groups.join(':'));
    check(
      fc.property(fc.array(fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`), { maxLength: 4 }), (addresses) => {
        const request = probeRequestFor(connection({ id: 'c', addresses }), 2000, 6);
        if (!request) return;
        assert.ok(insideTunnel(request.target, addresses));
        assert.ok(!request.target.startsWith('fe8') && !request.target.startsWith('fe9') && !request.target.startsWith('fea') && !request.target.startsWith('feb'));
      }),
      500,
    );
  });

  it('any address list: a chosen target is always inside one of its subnets and never the tunnel\'s own address', () => {
    check(
      fc.property(fc.array(fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`), { maxLength: 4 }), (addresses) => {
        const request = probeRequestFor(connection({ id: 'c', addresses }));
        if (!request) return;
        assert.ok(insideTunnel(request.target, addresses));
        assert.ok(!addresses.some((cidr) => cidr.startsWith(`${request.target}/`)));
        const owner = addresses.find((cidr) => cidr.startsWith(`${request.localAddress}/`))!;
        const prefix = Number(owner.split('/')[1]);
        const size = 2 ** (32 - prefix);
        assert.equal(Math.floor(toNumber(request.target) / size), Math.floor(toNumber(request.localAddress) / size));
      }),
      500,
    );
  });

  it('the source refuses anything outside the tunnel, whatever the request says', () => {
    const live = [{ id: 'n:1', state: 'connected' as const, deviceName: 'tun0', addresses: ['10.77.0.2/24'] }];
    const ok = { connectionId: 'n:1', deviceName: 'tun0', localAddress: '10.77.0.2', target: '10.77.0.1', timeoutMs: 2000 };
    assert.equal(refuseProbe(ok, live), null);
    for (const target of ['198.18.0.1', '8.8.8.8', '10.77.0.2', '10.77.0.255', '10.77.0.0', '10.77.1.1', 'fd00::1', '']) {
      assert.match(refuseProbe({ ...ok, target }, live) ?? '', /not inside the tunnel/, target);
    }
    assert.ok(refuseProbe({ ...ok, deviceName: 'eth0' }, live));
    assert.ok(refuseProbe({ ...ok, connectionId: 'n:2' }, live));
    assert.ok(refuseProbe({ ...ok, localAddress: '192.168.1.2' }, live));
    assert.ok(refuseProbe(ok, [{ ...live[0]!, state: 'connecting' }]));
    check(
      fc.property(outsideText(20), outsideText(20), outsideText(20), (target, deviceName, connectionId) => {
        const verdict = refuseProbe({ connectionId, deviceName, localAddress: '10.77.0.2', target, timeoutMs: 2000 }, live);
        if (verdict === null) assert.ok(insideTunnel(target, ['10.77.0.2/24']) && deviceName === 'tun0' && connectionId === 'n:1');
      }),
      300,
    );
  });
});

describe('ICMP echo bytes (ping socket)', () => {
  it('request: type 8, code 0, the sequence big-endian; sockaddr_in with AF_INET and the address in order', () => {
    const request = echoRequest(0x1234);
    assert.deepEqual([request[0], request[1], request[6], request[7]], [8, 0, 0x12, 0x34]);
    assert.deepEqual([...sockaddrIn('10.77.0.1')], [2, 0, 0, 0, 10, 77, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('a reply counts only as type 0 with our sequence; any other bytes never do (nor throw)', () => {
    const reply = Buffer.from([0, 0, 0xab, 0xcd, 0x00, 0x01, 0x12, 0x34]);
    assert.equal(isEchoReply(reply, 8, 0x1234), true);
    assert.equal(isEchoReply(reply, 8, 0x1235), false);
    check(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(0xffff), (bytes, sequence) => {
        const buf = Buffer.alloc(Math.max(8, bytes.length));
        Buffer.from(bytes).copy(buf);
        const verdict = isEchoReply(buf, bytes.length, sequence);
        if (verdict) assert.ok(bytes.length >= 8 && bytes[0] === 0 && ((bytes[6]! << 8) | bytes[7]!) === sequence);
      }),
      500,
    );
  });
});

describe('Windows ICMP (icmpapi.h) bytes', () => {
  it('IPAddr is the address in network order read as a little-endian ULONG; the reply\'s status and RTT at 4 and 8', async () => {
    const { ipAddr, decodeEchoReply, ICMP_ECHO_REPLY_SIZE } = await import('../../../electron/core/health/win32-icmp');
    assert.equal(ipAddr('10.77.0.1'), 0x01004d0a);
    assert.equal(ipAddr('255.255.255.255'), 0xffffffff);
    const reply = Buffer.alloc(ICMP_ECHO_REPLY_SIZE);
    reply.writeUInt32LE(ipAddr('10.77.0.1'), 0);
    reply.writeUInt32LE(11010, 4);
    reply.writeUInt32LE(7, 8);
    assert.deepEqual(decodeEchoReply(reply), { address: 0x01004d0a, status: 11010, rttMs: 7 });
  });
});

describe('Windows ICMPv6 (Icmp6SendEcho2) bytes', () => {
  it('SOCKADDR_IN6: family 23 (Windows AF_INET6), the address at 8, 28 bytes; reply status at 28, RTT at 32', async () => {
    const { windowsSockaddrIn6, ICMPV6_ECHO_REPLY_STATUS, ICMPV6_ECHO_REPLY_RTT } = await import('../../../electron/core/health/win32-icmp');
    const address = windowsSockaddrIn6('fd77::1');
    assert.equal(address.length, 28);
    assert.equal(address.readUInt16LE(0), 23);
    assert.deepEqual([...address.subarray(8, 24)], [0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual([ICMPV6_ECHO_REPLY_STATUS, ICMPV6_ECHO_REPLY_RTT], [28, 32]);
    assert.throws(() => windowsSockaddrIn6('10.0.0.1'));
  });
  it('Linux sockaddr_in6 and ICMPv6 echo: family 10, type 128 out, 129 back', async () => {
    const { sockaddrIn6, echoRequest: request, isEchoReply: isReply } = await import('../../../electron/core/health/linux-icmp');
    assert.deepEqual([sockaddrIn6('fd77::2').readUInt16LE(0), sockaddrIn6('fd77::2')[23]], [10, 2]);
    assert.equal(request(7, true)[0], 128);
    assert.equal(isReply(Buffer.from([129, 0, 0, 0, 0, 0, 0, 7]), 8, 7, true), true);
    assert.equal(isReply(Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]), 8, 7, true), false, 'an IPv4 reply type is not an ICMPv6 one');
  });
});
