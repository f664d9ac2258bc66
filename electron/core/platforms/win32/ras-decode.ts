import type { ConnectionKind, ErrorInfo } from '../../../../shared/connection';
import type { SourceConnection } from '../source';
import { fieldByteLength, type RasLayout } from './ras-structs';
import { rasState } from './ras-states';
import { ipv4Text, ipv6Text } from '../ip-text';

/**
 * Pure decoding of what RasEnumConnectionsW / RasGetConnectStatusW wrote: bytes in, plain objects out, with
 * every offset taken from the declared struct (ras-structs.ts). No library is needed to test any of it.
 */

/** One RASCONNW, as data. */
export interface RasConnRecord {
  /** HRASCONN as an unsigned integer (64-bit on x64, so a BigInt). */
  handle: bigint;
  entryName: string;
  deviceType: string;
  deviceName: string;
  phonebook: string;
  dwSubEntry: number;
  /**
   * RASCONNW.luid (WINVER 0x501+): the logon session that made the connection (DotRas: SessionId), NOT the
   * connection's adapter (a NET_LUID carries its IfType in bits 48-63; this never does); null in older layouts.
   */
  luid: bigint | null;
}

/** The two RASCONNSTATUSW fields Linkwatch uses. */
export interface RasConnStatusRecord {
  rasconnstate: number;
  dwError: number;
}

/** Offsets and lengths of the RASCONNW fields we read, derived once per layout. */
interface RasConnPlan {
  stride: number;
  handle: number;
  handleSize: number;
  entryName: number;
  entryNameBytes: number;
  deviceType: number;
  deviceTypeBytes: number;
  deviceName: number;
  deviceNameBytes: number;
  phonebook: number;
  phonebookBytes: number;
  dwSubEntry: number;
  luid: number | null;
}

const plans = new WeakMap<RasLayout, RasConnPlan>();

function offset(layout: RasLayout, field: string): number {
  const value = layout.offsets[field];
  if (value === undefined) throw new Error(`${layout.name} has no field ${field}`);
  return value;
}

function planFor(layout: RasLayout): RasConnPlan {
  let plan = plans.get(layout);
  if (!plan) {
    plan = {
      stride: layout.size,
      handle: offset(layout, 'hrasconn'),
      handleSize: fieldByteLength(layout, 'hrasconn'),
      entryName: offset(layout, 'szEntryName'),
      entryNameBytes: fieldByteLength(layout, 'szEntryName'),
      deviceType: offset(layout, 'szDeviceType'),
      deviceTypeBytes: fieldByteLength(layout, 'szDeviceType'),
      deviceName: offset(layout, 'szDeviceName'),
      deviceNameBytes: fieldByteLength(layout, 'szDeviceName'),
      phonebook: offset(layout, 'szPhonebook'),
      phonebookBytes: fieldByteLength(layout, 'szPhonebook'),
      dwSubEntry: offset(layout, 'dwSubEntry'),
      luid: layout.offsets.luid ?? null,
    };
    plans.set(layout, plan);
  }
  return plan;
}

/**
 * A WCHAR[] field: the UTF-16 units up to the first NUL, or the whole field when it has none (a string that
 * fills its field is not terminated). Never reads past `start + byteLength` (nor past the buffer): an odd
 * trailing byte is not half of a unit to read. The NUL is found in the bytes first so that only the string
 * itself is decoded, not the whole (mostly empty) field. A lone surrogate becomes U+FFFD, as TextDecoder
 * does, so that no unpaired half reaches JSON, IPC or the popup.
 */
export function decodeWideString(buf: Buffer, start: number, byteLength: number): string {
  const available = Math.min(byteLength, buf.length - start);
  const end = start + available - (available % 2);
  let i = start;
  while (i < end && (buf[i] !== 0 || buf[i + 1] !== 0)) i += 2;
  return i === start ? '' : buf.toString('utf16le', start, i).toWellFormed();
}

/** The first `count` RASCONNW entries of `buf` (at most as many as it holds), laid out with `layout` (its size is the stride). */
export function decodeRasConns(buf: Buffer, count: number, layout: RasLayout): RasConnRecord[] {
  const plan = planFor(layout);
  // A count the buffer cannot hold is clamped to the entries it does hold: decoding never reads past the
  // buffer. The source reports such a count as an error (ras-enum-bounds.ts) before it gets here.
  count = Math.min(count, Math.floor(buf.length / plan.stride));
  const records: RasConnRecord[] = new Array<RasConnRecord>(count);
  for (let n = 0, base = 0; n < count; n++, base += plan.stride) {
    records[n] = {
      handle: plan.handleSize === 8 ? buf.readBigUInt64LE(base + plan.handle) : BigInt(buf.readUInt32LE(base + plan.handle)),
      entryName: decodeWideString(buf, base + plan.entryName, plan.entryNameBytes),
      deviceType: decodeWideString(buf, base + plan.deviceType, plan.deviceTypeBytes),
      deviceName: decodeWideString(buf, base + plan.deviceName, plan.deviceNameBytes),
      phonebook: decodeWideString(buf, base + plan.phonebook, plan.phonebookBytes),
      dwSubEntry: buf.readUInt32LE(base + plan.dwSubEntry),
      // LUID { DWORD LowPart; LONG HighPart; }: little-endian, the same 64 bits as NET_LUID.Value.
      luid: plan.luid === null ? null : buf.readBigUInt64LE(base + plan.luid),
    };
  }
  return records;
}

/**
 * decodeRasConns for a caller that enumerates again and again (the monitor polls every second or two, and the
 * connections rarely change): RasEnumConnectionsW writes alternately into two buffers, and an entry whose
 * bytes equal the entry at the same index of the previous snapshot reuses that record instead of decoding its
 * four strings again. The result is always what decodeRasConns gives for the same bytes: a record is a pure
 * function of its entry's bytes and layout (and records are never handed out for mutation).
 */
export class RasConnDecoder {
  private readonly buffers: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  private current = 0;
  private previous: { layout: RasLayout; count: number; records: RasConnRecord[] } | null = null;

  /** `reuse` false: decode every entry every time (the benchmark's cold case). */
  constructor(private readonly reuse = true) {}

  /** The buffer to pass to RasEnumConnectionsW for this snapshot, at least `bytes` long. */
  buffer(bytes: number): Buffer {
    if (this.buffers[this.current]!.length < bytes) this.buffers[this.current] = Buffer.alloc(bytes);
    return this.buffers[this.current]!;
  }

  /** Decode `count` entries from this snapshot's buffer; the next snapshot gets the other buffer. */
  decode(count: number, layout: RasLayout): RasConnRecord[] {
    const buf = this.buffer(0);
    const before = this.previous;
    count = Math.min(count, Math.floor(buf.length / layout.size));
    if (!this.reuse || !before || before.layout !== layout) {
      const records = decodeRasConns(buf, count, layout);
      return this.flip(layout, count, records);
    }
    const old = this.buffers[1 - this.current]!;
    const stride = layout.size;
    const records: RasConnRecord[] = new Array<RasConnRecord>(count);
    for (let n = 0, base = 0; n < count; n++, base += stride) {
      records[n] =
        n < before.count && buf.compare(old, base, base + stride, base, base + stride) === 0
          ? before.records[n]!
          : decodeRasConns(buf.subarray(base, base + stride), 1, layout)[0]!;
    }
    return this.flip(layout, count, records);
  }

  private flip(layout: RasLayout, count: number, records: RasConnRecord[]): RasConnRecord[] {
    this.previous = { layout, count, records };
    this.current = 1 - this.current;
    return records;
  }
}

/** State and error of one RASCONNSTATUSW (any version: both fields are in all of them). */
export function decodeRasConnStatus(buf: Buffer, layout: RasLayout): RasConnStatusRecord {
  return {
    rasconnstate: buf.readUInt32LE(offset(layout, 'rasconnstate')),
    dwError: buf.readUInt32LE(offset(layout, 'dwError')),
  };
}

const DIAL_DEVICES = new Set(['modem', 'isdn', 'x25', 'pad', 'serial', 'parallel', 'irda', 'sw56', 'framerelay', 'atm', 'sonet']);

/** ras.h RASDT_* device types, compared case-insensitively ("vpn", "PPPoE", "modem", "GENERIC"…). */
export function rasKind(deviceType: string): ConnectionKind {
  const type = deviceType.toLowerCase();
  if (type === 'vpn') return 'vpn';
  if (type === 'pppoe') return 'broadband';
  if (DIAL_DEVICES.has(type)) return 'dialup';
  return 'other';
}

/** Stable for the connection's life: the HRASCONN in hex ("ras:c0de000000000004"). */
export function rasConnectionId(handle: bigint): string {
  return `ras:${handle.toString(16)}`;
}

/** The handle back from an id made by rasConnectionId; null when the id is not one. */
export function parseRasConnectionId(id: string): bigint | null {
  const match = /^ras:([0-9a-f]{1,16})$/.exec(id);
  return match ? BigInt(`0x${match[1]}`) : null;
}

/**
 * One RAS connection as the monitor wants it. A connection dialled without a phone-book entry is named by
 * RAS "." + the number dialled: `name` keeps what RAS reports, `adHoc` flags it and `phoneNumber` holds the
 * number, which is what the popup and the CLI table show.
 */
export function rasConnection(
  record: RasConnRecord,
  status: RasConnStatusRecord,
  canDisconnect: boolean,
  describeError: (code: number) => string,
): SourceConnection {
  const adHoc = record.entryName.startsWith('.');
  const phoneNumber = adHoc ? record.entryName.slice(1) : null;
  const { state, detail } = rasState(status.rasconnstate);
  const lastError: ErrorInfo | null = status.dwError === 0 ? null : { code: status.dwError, message: describeError(status.dwError) };
  return {
    id: rasConnectionId(record.handle),
    name: record.entryName,
    kind: rasKind(record.deviceType),
    state,
    stateDetail: detail,
    deviceType: record.deviceType,
    deviceName: record.deviceName,
    phonebook: record.phonebook === '' ? null : record.phonebook,
    adHoc,
    phoneNumber,
    owner: null,
    addresses: [],
    mtu: null,
    bytesIn: null,
    bytesOut: null,
    lastError,
    canDisconnect,
    upSince: null,
  };
}

/** What Linkwatch uses of one RAS_STATS. The counters are 32-bit: see unwrapCounter32. */
export interface RasStatsRecord {
  /** dwBytesRcved */
  bytesIn: number;
  /** dwBytesXmited */
  bytesOut: number;
  /** dwConnectDuration, milliseconds */
  connectDurationMs: number;
}

/** RAS_STATS as RasGetConnectionStatistics wrote it. */
export function decodeRasStats(buf: Buffer, layout: RasLayout): RasStatsRecord {
  return {
    bytesIn: buf.readUInt32LE(offset(layout, 'dwBytesRcved')),
    bytesOut: buf.readUInt32LE(offset(layout, 'dwBytesXmited')),
    connectDurationMs: buf.readUInt32LE(offset(layout, 'dwConnectDuration')),
  };
}

const TWO_32 = 2 ** 32;

/**
 * A 64-bit total from a 32-bit counter read again (RAS_STATS counters wrap past 4 GiB). The step since the
 * last read, modulo 2^32, is added when it is under 2 GiB (a wrap, or plain growth); a larger step means the
 * counter went back (statistics cleared, a new link): the total starts again from the counter, and the
 * monitor shows no rate for that reading rather than a negative one. Reads must come at least every 2 GiB
 * of traffic: every second while someone looks.
 */
export function unwrapCounter32(previousRaw: number, previousTotal: number, raw: number): number {
  const step = (raw - previousRaw + TWO_32) % TWO_32;
  return step < TWO_32 / 2 ? previousTotal + step : raw;
}

/** RASP_PppIp / RASP_PppIpv6 (ras.h RASPROJECTION). */
export const RASP_PppIp = 0x8021;
export const RASP_PppIpv6 = 0x8057;
/** RAS_PROJECTION_INFO.type (RASPROJECTION_INFO_TYPE). */
export const PROJECTION_INFO_TYPE_PPP = 1;
export const PROJECTION_INFO_TYPE_IKEv2 = 2;
/** RASAPIVERSION_601: the RAS_PROJECTION_INFO.version a caller sets (Windows 7). */
export const RASAPIVERSION_601 = 4;

const IPV4_TEXT = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function nonZero(buf: Buffer, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (buf[i] !== 0) return true;
  return false;
}

/** An IPv4 address from 4 network-order bytes, as "a.b.c.d/32" (a RAS link is point to point); null for 0.0.0.0. */
function ipv4Cidr(buf: Buffer, start: number): string | null {
  return nonZero(buf, start, 4) ? `${ipv4Text(buf.subarray(start, start + 4))}/32` : null;
}

/** PPP's IPv6CP negotiates a 64-bit interface identifier: the link-local address fe80::<id>/64. */
function interfaceIdCidr(buf: Buffer, start: number): string | null {
  if (!nonZero(buf, start, 8)) return null;
  const address = Buffer.alloc(16);
  address[0] = 0xfe;
  address[1] = 0x80;
  buf.copy(address, 8, start, start + 8);
  return `${ipv6Text(address)}/64`;
}

/** RASPPPIPW: the IPv4 address as "a.b.c.d/32" when dwError is 0 and szIpAddress is a dotted quad, else null. */
export function decodeRasPppIp(buf: Buffer, layout: RasLayout): string | null {
  if (buf.readUInt32LE(offset(layout, 'dwError')) !== 0) return null;
  const text = decodeWideString(buf, offset(layout, 'szIpAddress'), fieldByteLength(layout, 'szIpAddress'));
  return IPV4_TEXT.test(text) && text !== '0.0.0.0' ? `${text}/32` : null;
}

/** RASPPPIPV6: the link-local address from bLocalInterfaceIdentifier when dwError is 0, else null. */
export function decodeRasPppIpv6(buf: Buffer, layout: RasLayout): string | null {
  if (buf.readUInt32LE(offset(layout, 'dwError')) !== 0) return null;
  return interfaceIdCidr(buf, offset(layout, 'bLocalInterfaceIdentifier'));
}

/**
 * RAS_PROJECTION_INFO (RasGetProjectionInfoEx): the addresses negotiated, IPv4 first. PPP: IPv4 and the
 * IPv6CP link-local address; IKEv2: IPv4 and the IPv6 address with its dwPrefixLength (an impossible length
 * reads as 128). A part whose negotiation error is not 0, an all-zero address, or an unknown `type` gives
 * nothing. `ppp` and `ikev2` are the layouts of the union's two parts.
 */
export function decodeRasProjectionInfo(buf: Buffer, info: RasLayout, ppp: RasLayout, ikev2: RasLayout): string[] {
  const type = buf.readUInt32LE(offset(info, 'type'));
  const base = offset(info, 'union');
  const addresses: string[] = [];
  const push = (address: string | null) => {
    if (address) addresses.push(address);
  };
  if (type === PROJECTION_INFO_TYPE_PPP) {
    if (buf.readUInt32LE(base + offset(ppp, 'dwIPv4NegotiationError')) === 0) push(ipv4Cidr(buf, base + offset(ppp, 'ipv4Address')));
    if (buf.readUInt32LE(base + offset(ppp, 'dwIPv6NegotiationError')) === 0) push(interfaceIdCidr(buf, base + offset(ppp, 'bInterfaceIdentifier')));
  } else if (type === PROJECTION_INFO_TYPE_IKEv2) {
    if (buf.readUInt32LE(base + offset(ikev2, 'dwIPv4NegotiationError')) === 0) push(ipv4Cidr(buf, base + offset(ikev2, 'ipv4Address')));
    const v6 = base + offset(ikev2, 'ipv6Address');
    if (buf.readUInt32LE(base + offset(ikev2, 'dwIPv6NegotiationError')) === 0 && nonZero(buf, v6, 16)) {
      const prefix = buf.readUInt32LE(base + offset(ikev2, 'dwPrefixLength'));
      addresses.push(`${ipv6Text(buf.subarray(v6, v6 + 16))}/${prefix >= 1 && prefix <= 128 ? prefix : 128}`);
    }
  }
  return addresses;
}
