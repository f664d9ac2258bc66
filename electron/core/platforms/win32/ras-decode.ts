import type { ConnectionKind, ErrorInfo } from '../../../../shared/connection';
import type { SourceConnection } from '../source';
import { fieldByteLength, type RasLayout } from './ras-structs';
import { rasState } from './ras-states';

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
