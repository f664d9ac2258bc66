import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RasConnDecoder,
  decodeRasConns,
  decodeRasConnStatus,
  decodeWideString,
  parseRasConnectionId,
  rasConnection,
  rasConnectionId,
  rasKind,
  type RasConnRecord,
} from '../../../../electron/core/platforms/win32/ras-decode';
import { fieldByteLength, rasConnLayouts, rasConnStatusLayouts, type RasLayout } from '../../../../electron/core/platforms/win32/ras-structs';

interface Entry {
  handle: bigint;
  entryName?: string;
  deviceType?: string;
  deviceName?: string;
  phonebook?: string;
  dwSubEntry?: number;
  luid?: bigint;
}

/** Writes entries as RasEnumConnectionsW would: every field at its declared offset, strings NUL-terminated
 * unless they fill their field. Unused bytes are 0xAA so that a decoder reading them would show it. */
function rasconnBuffer(layout: RasLayout, entries: Entry[]): Buffer {
  const buf = Buffer.alloc(layout.size * entries.length, 0xaa);
  entries.forEach((entry, i) => {
    const base = i * layout.size;
    buf.writeUInt32LE(layout.size, base);
    const handleAt = base + layout.offsets.hrasconn!;
    if (fieldByteLength(layout, 'hrasconn') === 8) buf.writeBigUInt64LE(entry.handle, handleAt);
    else buf.writeUInt32LE(Number(entry.handle), handleAt);
    for (const [field, value] of [
      ['szEntryName', entry.entryName ?? ''],
      ['szDeviceType', entry.deviceType ?? ''],
      ['szDeviceName', entry.deviceName ?? ''],
      ['szPhonebook', entry.phonebook ?? ''],
    ] as const) {
      const at = base + layout.offsets[field]!;
      const bytes = fieldByteLength(layout, field);
      const written = buf.write(value, at, bytes, 'utf16le');
      if (written < bytes) buf.writeUInt16LE(0, at + written);
    }
    buf.writeUInt32LE(entry.dwSubEntry ?? 1, base + layout.offsets.dwSubEntry!);
    if (layout.offsets.luid !== undefined) buf.writeBigUInt64LE(entry.luid ?? 0n, base + layout.offsets.luid);
  });
  return buf;
}

const [v600x64, , v500x64] = rasConnLayouts('x64');
const [v600x86] = rasConnLayouts('x86');

describe('decodeWideString', () => {
  it('stops at the first NUL unit', () => {
    const buf = Buffer.from('abc\0def\0', 'utf16le');
    assert.equal(decodeWideString(buf, 0, buf.length), 'abc');
    assert.equal(decodeWideString(buf, 8, buf.length - 8), 'def');
  });

  it('a NUL byte that is half of a non-NUL unit does not end the string', () => {
    // "Ā" is 0x0100: bytes 00 01. Followed by "a" (61 00): the byte pair 00 61… must not be taken for NUL.
    const buf = Buffer.from('a\u0100\u6100x\0', 'utf16le');
    assert.equal(decodeWideString(buf, 0, buf.length), 'a\u0100\u6100x');
  });

  it('a field with no NUL decodes exactly the field, never past it', () => {
    const buf = Buffer.from('abcdXYZ\0', 'utf16le');
    assert.equal(decodeWideString(buf, 0, 8), 'abcd');
  });

  it('an odd byte length: the trailing byte is not half of a unit to complete from past the field (issue 12)', () => {
    // "a" then "b" whose second byte lies outside a 3-byte field: decoding [0, 3) must not reach byte 3.
    const buf = Buffer.from('ab\0', 'utf16le');
    assert.equal(decodeWideString(buf, 0, 3), 'a');
    assert.equal(decodeWideString(buf, 0, 1), '');
    assert.equal(decodeWideString(buf, 2, 1), '');
  });

  it('a field longer than the buffer stops at the buffer', () => {
    assert.equal(decodeWideString(Buffer.from('abc', 'utf16le'), 2, 100), 'bc');
  });

  it('lone surrogates become U+FFFD, as TextDecoder does; pairs stay intact (issue 12)', () => {
    const units = (...u: number[]) => Buffer.from(new Uint16Array(u).buffer);
    const cases: [Buffer, string][] = [
      [units(0xd800, 0x61), '\ufffda'], // high surrogate followed by a non-surrogate
      [units(0x61, 0xdc00), 'a\ufffd'], // low surrogate alone
      [units(0x61, 0xd83d), 'a\ufffd'], // high surrogate at the end of the field
      [units(0xdc00, 0xd800), '\ufffd\ufffd'], // a pair in the wrong order
      [units(0xd83d, 0xdd12), '🔒'],
    ];
    for (const [buf, expected] of cases) {
      assert.equal(decodeWideString(buf, 0, buf.length), expected);
      assert.equal(decodeWideString(buf, 0, buf.length), new TextDecoder('utf-16le').decode(buf));
    }
  });

  it('empty field and non-ASCII (surrogate pairs included)', () => {
    assert.equal(decodeWideString(Buffer.alloc(10), 0, 10), '');
    const text = 'Büro-VPN 東京 🔒';
    const buf = Buffer.from(`${text}\0`, 'utf16le');
    assert.equal(decodeWideString(buf, 0, buf.length), text);
  });
});

describe('decodeRasConns', () => {
  it('reads every field of each entry at the x64 stride (1388), 64-bit handles intact', () => {
    const entries: Entry[] = [
      { handle: 0xc0de000000000010n, entryName: 'Office VPN', deviceType: 'vpn', deviceName: 'WAN Miniport (IKEv2)', phonebook: 'C:\\pbk\\rasphone.pbk' },
      { handle: 0xffff_ffff_ffff_fff0n, entryName: '.5551234', deviceType: 'modem', deviceName: 'USR 56k', dwSubEntry: 2, luid: 0x0017_0000_0001_0000n },
    ];
    const records = decodeRasConns(rasconnBuffer(v600x64!, entries), 2, v600x64!);
    assert.deepEqual(records, [
      { handle: 0xc0de000000000010n, entryName: 'Office VPN', deviceType: 'vpn', deviceName: 'WAN Miniport (IKEv2)', phonebook: 'C:\\pbk\\rasphone.pbk', dwSubEntry: 1, luid: 0n },
      { handle: 0xffff_ffff_ffff_fff0n, entryName: '.5551234', deviceType: 'modem', deviceName: 'USR 56k', phonebook: '', dwSubEntry: 2, luid: 0x0017_0000_0001_0000n },
    ]);
  });

  it('RASCONNW.luid (0x501+, the logon session that dialled) is decoded; the 0x500 layout has none', () => {
    const entries: Entry[] = [{ handle: 16n, entryName: 'VPN', luid: 0x0017_0000_0001_0000n }];
    assert.equal(decodeRasConns(rasconnBuffer(v600x86!, entries), 1, v600x86!)[0]!.luid, 0x0017_0000_0001_0000n);
    assert.equal(decodeRasConns(rasconnBuffer(v500x64!, entries), 1, v500x64!)[0]!.luid, null);
  });

  it('decodes with the stride of the version that worked (1360) and the x86 layout (1384, 4-byte handle)', () => {
    const entries: Entry[] = [1, 2, 3].map((n) => ({ handle: BigInt(n * 16), entryName: `VPN ${n}`, deviceType: 'vpn' }));
    assert.deepEqual(
      decodeRasConns(rasconnBuffer(v500x64!, entries), 3, v500x64!).map((r) => [r.handle, r.entryName]),
      [[16n, 'VPN 1'], [32n, 'VPN 2'], [48n, 'VPN 3']],
    );
    assert.deepEqual(
      decodeRasConns(rasconnBuffer(v600x86!, entries), 3, v600x86!).map((r) => [r.handle, r.entryName]),
      [[16n, 'VPN 1'], [32n, 'VPN 2'], [48n, 'VPN 3']],
    );
  });

  it('strings that fill their whole field (no NUL) stop at the field: the next field does not leak in', () => {
    const entryName = 'N'.repeat(257); // szEntryName is WCHAR[RAS_MaxEntryName + 1]
    const deviceType = 'T'.repeat(17);
    const deviceName = 'D'.repeat(129);
    const phonebook = 'P'.repeat(260);
    const buf = rasconnBuffer(v600x64!, [{ handle: 1n, entryName, deviceType, deviceName, phonebook }]);
    const [record] = decodeRasConns(buf, 1, v600x64!);
    assert.deepEqual(record, { handle: 1n, entryName, deviceType, deviceName, phonebook, dwSubEntry: 1, luid: 0n });
  });

  it('a count larger than the buffer holds is clamped to the entries it holds, never read past it (issue 12)', () => {
    const buf = rasconnBuffer(v600x64!, [{ handle: 16n, entryName: 'Only one' }]);
    for (const count of [2, 0xffffffff]) {
      assert.deepEqual(
        decodeRasConns(buf, count, v600x64!).map((r) => r.entryName),
        ['Only one'],
      );
    }
    assert.deepEqual(decodeRasConns(buf.subarray(0, 1387), 1, v600x64!), []);
  });

  it('zero entries from an empty buffer', () => {
    assert.deepEqual(decodeRasConns(Buffer.alloc(0), 0, v600x64!), []);
  });
});

describe('decodeRasConnStatus', () => {
  it('reads rasconnstate and dwError from either version', () => {
    for (const layout of rasConnStatusLayouts()) {
      const buf = Buffer.alloc(layout.size);
      buf.writeUInt32LE(layout.size, 0);
      buf.writeUInt32LE(0x2000, layout.offsets.rasconnstate!);
      buf.writeUInt32LE(691, layout.offsets.dwError!);
      assert.deepEqual(decodeRasConnStatus(buf, layout), { rasconnstate: 0x2000, dwError: 691 });
    }
  });
});

describe('RAS connection to Connection', () => {
  const record: RasConnRecord = {
    handle: 0xc0de000000000010n,
    entryName: 'Office VPN',
    deviceType: 'vpn',
    deviceName: 'WAN Miniport (IKEv2)',
    phonebook: '',
    dwSubEntry: 1,
    luid: null,
  };

  it('kind from szDeviceType, case-insensitively', () => {
    assert.equal(rasKind('vpn'), 'vpn');
    assert.equal(rasKind('VPN'), 'vpn');
    assert.equal(rasKind('PPPoE'), 'broadband');
    for (const type of ['modem', 'isdn', 'x25', 'pad', 'SERIAL', 'PARALLEL', 'IRDA', 'SW56', 'FRAMERELAY', 'ATM', 'SONET']) {
      assert.equal(rasKind(type), 'dialup', type);
    }
    for (const type of ['GENERIC', '', 'something new']) assert.equal(rasKind(type), 'other', type);
  });

  it('id is the handle in hex, and parses back', () => {
    assert.equal(rasConnectionId(0xc0de000000000010n), 'ras:c0de000000000010');
    assert.equal(parseRasConnectionId('ras:c0de000000000010'), 0xc0de000000000010n);
    assert.equal(parseRasConnectionId('nl:12'), null);
  });

  it('maps every field; phonebook null when empty; no error → lastError null', () => {
    assert.deepEqual(rasConnection(record, { rasconnstate: 0x2000, dwError: 0 }, true, () => 'unused'), {
      id: 'ras:c0de000000000010',
      name: 'Office VPN',
      kind: 'vpn',
      state: 'connected',
      stateDetail: 'RASCS_Connected',
      deviceType: 'vpn',
      deviceName: 'WAN Miniport (IKEv2)',
      phonebook: null,
      adHoc: false,
      phoneNumber: null,
      owner: null,
      addresses: [],
      mtu: null,
      bytesIn: null,
      bytesOut: null,
      lastError: null,
      canDisconnect: true,
      upSince: null,
    });
  });

  it('dialled without a phone-book entry: "." + number → adHoc, the number kept apart, the name as RAS gives it', () => {
    const c = rasConnection({ ...record, entryName: '.0800123456', deviceType: 'modem' }, { rasconnstate: 5, dwError: 691 }, false, (code) => `text ${code}`);
    assert.equal(c.adHoc, true);
    assert.equal(c.phoneNumber, '0800123456');
    assert.equal(c.name, '.0800123456');
    assert.equal(c.kind, 'dialup');
    assert.equal(c.state, 'connecting');
    assert.equal(c.stateDetail, 'RASCS_Authenticate');
    assert.deepEqual(c.lastError, { code: 691, message: 'text 691' });
    assert.equal(c.canDisconnect, false);
  });
});

describe('RasConnDecoder (reuse of unchanged entries across snapshots)', () => {
  const write = (decoder: RasConnDecoder, layout: RasLayout, entries: Entry[]) => {
    const bytes = rasconnBuffer(layout, entries);
    bytes.copy(decoder.buffer(bytes.length));
    return bytes;
  };

  it('always gives what decodeRasConns gives, and reuses the records of entries whose bytes did not change', () => {
    const decoder = new RasConnDecoder();
    const a: Entry = { handle: 16n, entryName: 'A', deviceType: 'vpn' };
    const b: Entry = { handle: 32n, entryName: 'B', deviceType: 'vpn' };
    const c: Entry = { handle: 48n, entryName: 'C', deviceType: 'modem' };
    const snapshots: Entry[][] = [[a, b], [a, b], [a, { ...b, entryName: 'B2' }], [a, { ...b, entryName: 'B2' }, c], [c], []];
    let previous: RasConnRecord[] = [];
    snapshots.forEach((entries, i) => {
      const bytes = write(decoder, v600x64!, entries);
      const records = decoder.decode(entries.length, v600x64!);
      assert.deepEqual(records, decodeRasConns(bytes, entries.length, v600x64!), `snapshot ${i}`);
      if (i === 1) assert.ok(records[0] === previous[0] && records[1] === previous[1], 'unchanged: same records');
      if (i === 2) assert.ok(records[0] === previous[0] && records[1] !== previous[1], 'only the changed entry decoded');
      previous = records;
    });
  });

  it('a change of layout (632 fallback) decodes everything afresh', () => {
    const decoder = new RasConnDecoder();
    const entries: Entry[] = [{ handle: 16n, entryName: 'A' }];
    write(decoder, v600x64!, entries);
    decoder.decode(1, v600x64!);
    write(decoder, v500x64!, entries);
    assert.deepEqual(decoder.decode(1, v500x64!), decodeRasConns(rasconnBuffer(v500x64!, entries), 1, v500x64!));
  });
});
