/**
 * What `scutil` prints, decoded (electron/core/platforms/darwin/sc-format.ts), against text laid out as
 * configd's own code lays it out: the fake scutil's describe() and ncList() follow _SCCopyDescription
 * (SystemConfiguration.fproj/SCD.c) and nc.c's nc_print_VPN_service / copy_padded_string line by line. Examples
 * first (each a case the real tool prints), then properties over arbitrary values and names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { describe as scDescribe, ncList, padded, type FakeService, type Plist } from '../../../fixtures/fake-scutil';
import {
  interfacesByService,
  lastCause,
  parseNcList,
  parseNcStatus,
  parseScDescriptions,
  parseStatusWord,
  userDefinedNames,
} from '../../../../electron/core/platforms/darwin/sc-format';
import { joinServices } from '../../../../electron/core/platforms/darwin/sc-services';
import { check } from '../../../support/property';

const L2TP: FakeService = { id: 'A5F0C1D2-1111-4C3B-9D1E-0123456789AB', name: 'Office L2TP', display: 'L2TP', type: 'PPP', subtype: 'L2TP', status: 'Connected', interface: 'ppp0' };
const WG: FakeService = { id: '6E3A9B7C-2222-4F00-8A11-FEDCBA987654', name: 'wg-home', display: 'VPN (com.wireguard.macos)', type: 'VPN', subtype: 'com.wireguard.macos', status: 'Disconnected', setup: false };
const IPSEC: FakeService = { id: '0B1C2D3E-3333-4444-5555-666677778888', name: 'Cisco at work', display: 'IPSec', type: 'IPSec', status: 'Connecting' };

describe('scutil --nc list', () => {
  it('reads status, id, name and type:subtype, display names with spaces included', () => {
    const text = ncList({ services: [L2TP, WG, { ...IPSEC, enabled: false }] }, 0);
    assert.match(text, /^\* \(Connected\) {6}A5F0C1D2-1111-4C3B-9D1E-0123456789AB L2TP {15}"Office L2TP" {20}\[PPP:L2TP\]$/m);
    assert.deepEqual(parseNcList(text), [
      { enabled: true, status: 'Connected', serviceId: L2TP.id, displayName: 'L2TP', name: 'Office L2TP', truncated: false, type: 'PPP', subtype: 'L2TP' },
      { enabled: true, status: 'Disconnected', serviceId: WG.id, displayName: 'VPN (com.wireguard.macos)', name: 'wg-home', truncated: false, type: 'VPN', subtype: 'com.wireguard.macos' },
      { enabled: false, status: 'Invalid', serviceId: IPSEC.id, displayName: 'IPSec', name: 'Cisco at work', truncated: false, type: 'IPSec', subtype: null },
    ]);
  });

  it('CFStringPad cuts a quoted name of 31 characters or more: the cut is flagged, never misread', () => {
    assert.equal(padded('a'.repeat(31), 32, '"', '"'), `"${'a'.repeat(31)}`);
    assert.equal(padded('a'.repeat(40), 32, '"', '"'), `"${'a'.repeat(39)}`);
    const [long] = parseNcList(ncList({ services: [{ ...WG, name: 'WireGuard: home office (Berlin, IPv6)' }] }, 0));
    assert.deepEqual([long!.name, long!.truncated], ['WireGuard: home office (Berlin, IPv6', true]);
  });

  it('property: any service list round-trips (names up to 30 characters exactly; longer ones flagged, losing at most one character)', () => {
    const text = fc.string({ minLength: 1, maxLength: 45 }).filter((s) => !/[\n\r]/.test(s) && s.trim() === s);
    const service = fc.record({
      id: fc.uuid(),
      name: text,
      display: fc.string({ maxLength: 30 }).filter((s) => !/["\n\r]/.test(s) && s.trim() === s),
      type: fc.constantFrom('PPP', 'IPSec', 'VPN', 'IKEv2'),
      subtype: fc.option(fc.constantFrom('L2TP', 'PPTP', 'PPPoE', 'com.wireguard.macos', 'com.apple.neplugin.IKEv2'), { nil: null }),
      status: fc.constantFrom('Disconnected', 'Connecting', 'Connected', 'Disconnecting' as const),
      enabled: fc.boolean(),
    });
    check(
      fc.property(fc.array(service, { maxLength: 6 }), (services) => {
        const parsed = parseNcList(ncList({ services: services as FakeService[] }, 0));
        assert.equal(parsed.length, services.length);
        parsed.forEach((p, i) => {
          const s = services[i]!;
          assert.equal(p.serviceId, s.id);
          assert.deepEqual([p.type, p.subtype, p.enabled], [s.type, s.subtype, s.enabled]);
          assert.equal(p.status, s.enabled ? s.status : 'Invalid');
          if (s.name.length <= 30) assert.deepEqual([p.name, p.truncated], [s.name, false]);
          else {
            assert.equal(p.truncated, true);
            assert.ok(s.name.startsWith(p.name) && p.name.length >= s.name.length - 1, `${p.name} from ${s.name}`);
          }
        });
      }),
      500,
    );
  });
});

describe('property lists (_SCCopyDescription)', () => {
  it('the dynamic store: which interface each service carries, and the names the user gave', () => {
    const state: Plist = {
      [`State:/Network/Service/${L2TP.id}/IPv4`]: { Addresses: ['10.1.1.2'], InterfaceName: 'ppp0', Router: '10.1.1.1' },
      [`State:/Network/Service/${WG.id}/IPv6`]: { Addresses: ['fd00::2'], InterfaceName: 'utun5', PrefixLength: [64] },
      'State:/Network/Service/EN0-SERVICE/IPv4': { InterfaceName: 'en0' },
    };
    const setup: Plist = { [`Setup:/Network/Service/${L2TP.id}`]: { UserDefinedName: 'Office L2TP', SMB: {} } };
    const [s, u] = parseScDescriptions(`${scDescribe(state)}\n${scDescribe(setup)}\n`);
    assert.deepEqual(Object.fromEntries(interfacesByService(s)), { [L2TP.id]: 'ppp0', [WG.id]: 'utun5', 'EN0-SERVICE': 'en0' });
    assert.deepEqual(Object.fromEntries(userDefinedNames(u)), { [L2TP.id]: 'Office L2TP' });
  });

  it('joinServices: a service carries an interface only if scutil --nc lists it (en0\'s Wi-Fi service is no VPN)', () => {
    const state = scDescribe({ [`State:/Network/Service/${WG.id}/IPv4`]: { InterfaceName: 'utun5' }, 'State:/Network/Service/EN0-SERVICE/IPv4': { InterfaceName: 'en0' } });
    const joined = joinServices(ncList({ services: [WG] }, 0), `${state}\n<dictionary> {\n}\n`);
    assert.deepEqual([...joined.byInterface], [['utun5', { serviceId: WG.id, name: 'wg-home', type: 'VPN', subtype: 'com.wireguard.macos' }]]);
  });

  it('joinServices: a long name is whole where the preferences have it, connected or not; cut and marked where only scutil --nc list has it', () => {
    const long = 'Office VPN through the Frankfurt gateway';
    const setup = scDescribe({ [`Setup:/Network/Service/${L2TP.id}`]: { UserDefinedName: long } });
    const joined = joinServices(ncList({ services: [{ ...L2TP, name: long, status: 'Disconnected' }, { ...WG, name: `${long} (WireGuard)` }] }, 0), `<dictionary> {\n}\n${setup}\n`);
    // 52 characters: CFStringPad keeps the opening quote and the first 51 (nc.c copy_padded_string).
    assert.deepEqual([...joined.names.values()], [long, `${long} (WireGuard…`]);
  });

  it('--nc status: the word, an Invalid reason, and the LastCause of a dropped PPP service', () => {
    const text = `Disconnected\nExtended Status ${scDescribe({ PPP: { LastCause: 19, Status: 0 }, Status: 0 })}\n`;
    const report = parseNcStatus(text);
    assert.equal(report.status, 'Disconnected');
    assert.equal(lastCause(report.extended), 19);
    assert.equal(lastCause(parseNcStatus(`Connected\nExtended Status ${scDescribe({ IPSec: { LastCause: 0 } })}\n`).extended), null);
    assert.deepEqual(parseStatusWord('Invalid: No such service'), { status: 'Invalid', error: 'No such service' });
    assert.deepEqual(parseStatusWord('Callback (3) status = Connecting'), { status: 'Connecting', error: null });
    assert.equal(parseStatusWord('*** 10:00:00.000'), null);
  });

  it('property: any value printed as SCD.c prints it parses back (strings without line breaks, keys without " : ")', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 20 }).filter((s) => !/[\n\r]/.test(s) && !/^<(dictionary|array)> \{$/.test(s)),
      fc.integer(),
    );
    const key = fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !/[\n\r]/.test(k) && !k.includes(' : ') && !k.startsWith(' ') && !k.endsWith(' :'));
    const { value } = fc.letrec<{ value: Plist }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ) as fc.Arbitrary<Plist>,
    }));
    const asText = (v: Plist): unknown => (Array.isArray(v) ? v.map(asText) : typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asText(x)])) : String(v));
    check(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.string({ maxLength: 60 }), (dictionary, garbage) => {
        assert.deepEqual(parseScDescriptions(`  Note: something\n${scDescribe(dictionary)}\n`), [asText(dictionary)]);
        parseScDescriptions(garbage); // never throws
        parseNcList(garbage);
        parseNcStatus(garbage);
      }),
      500,
    );
  });
});
