import { BackendError } from '../../backend-error';
import { rasError } from './ras-errors';

/**
 * The RAS enumerate loop, once for both enumerations that share its contract (RasEnumConnectionsW for the
 * connections, RasEnumEntriesW for the phone book's entries), and how far Linkwatch believes what the library
 * answers in `*lpcb` and the count. The library is outside code (rasapi32.dll, a vendor's replacement,
 * LINKWATCH_RASAPI): a count or size it makes up must become a BackendError (the source's contract), never a
 * 4 GiB allocation or a RangeError from a decoder.
 */

/** What is enumerated, for messages. */
export interface RasEnumKind {
  readonly fn: 'RasEnumConnectionsW' | 'RasEnumEntriesW';
  readonly items: 'connections' | 'entries';
  readonly struct: 'RASCONNW' | 'RASENTRYNAMEW';
}
export const RAS_CONNECTIONS: RasEnumKind = { fn: 'RasEnumConnectionsW', items: 'connections', struct: 'RASCONNW' };
export const RAS_ENTRIES: RasEnumKind = { fn: 'RasEnumEntriesW', items: 'entries', struct: 'RASENTRYNAMEW' };

/**
 * The most items one enumeration may report. A RAS client holds a handful of connections (each a dialled entry
 * or a multilink subentry) and a few dozen phone-book entries at most; the benchmark's 256 is already far
 * beyond any real machine, and 4096 leaves 16× that.
 */
export const MAX_RAS_ENUM_ITEMS = 4096;

/** 603 again and again means items keep appearing between the calls: retry this often, then report it. */
export const MAX_ENUM_RETRIES = 5;

/**
 * The most bytes one enumeration may ask us to allocate: MAX_RAS_ENUM_ITEMS of the largest struct this build
 * knows (`largestStride`: RASCONNW 1388 bytes on x64, about 5.4 MiB; RASENTRYNAMEW 1048, about 4.1 MiB).
 */
export function maxEnumBytes(largestStride: number): number {
  return MAX_RAS_ENUM_ITEMS * largestStride;
}

/** The code of every answer that breaks the enumeration contract: the library's reply is not usable. */
export const ENUM_PROTOCOL_ERROR = 'EPROTO';

/**
 * The buffer size for the next call after an ERROR_BUFFER_TOO_SMALL answer: enough for the bytes it asked for
 * and for `count` items of `stride` bytes, at least one item. Throws a BackendError (EPROTO) when the answer
 * asks for more items or bytes than MAX_RAS_ENUM_ITEMS allow.
 */
export function enumBufferBytes(cb: number, count: number, stride: number, largestStride: number, kind: RasEnumKind = RAS_CONNECTIONS): number {
  if (count > MAX_RAS_ENUM_ITEMS) {
    throw new BackendError(
      ENUM_PROTOCOL_ERROR,
      `${kind.fn} reported ${count} ${kind.items}, more than the ${MAX_RAS_ENUM_ITEMS} Linkwatch accepts: the RAS library's answer is not believable`,
    );
  }
  const limit = maxEnumBytes(largestStride);
  const need = Math.max(cb, count * stride, stride);
  if (need > limit) {
    throw new BackendError(
      ENUM_PROTOCOL_ERROR,
      `${kind.fn} asked for a ${need}-byte buffer, more than the ${limit} bytes ${MAX_RAS_ENUM_ITEMS} ${kind.items} need: the RAS library's answer is not believable`,
    );
  }
  return need;
}

/**
 * The count a successful call reported, checked against the buffer it wrote into: a count the buffer cannot
 * hold is a BackendError (EPROTO), not items decoded from memory the library never wrote.
 */
export function enumeratedCount(count: number, stride: number, bufferBytes: number, kind: RasEnumKind = RAS_CONNECTIONS): number {
  const fits = Math.floor(bufferBytes / stride);
  if (count > fits) {
    throw new BackendError(
      ENUM_PROTOCOL_ERROR,
      `${kind.fn} reported ${count} ${kind.items}, but the ${bufferBytes}-byte buffer it filled holds at most ${fits} of ${stride} bytes: the RAS library's answer is not believable`,
    );
  }
  return count;
}

const ERROR_BUFFER_TOO_SMALL = 603;
const ERROR_INVALID_SIZE = 632;
/** The _Inout_ DWORDs of every enumeration, reused (the loop is synchronous: one runs at a time). */
const cb = new Uint32Array(1);
const count = new Uint32Array(1);

/** One enumeration: the library call and where its answer goes. */
export interface RasEnumeration {
  kind: RasEnumKind;
  /** The struct's sizes this build knows, newest first: the order of the 632 ERROR_INVALID_SIZE fallback. */
  strides: readonly number[];
  /** The enumerate function: (buffer or NULL, *lpcb, *lpcItems) → its return code. */
  call(buf: Buffer | null, cb: Uint32Array, count: Uint32Array): number;
  /** A buffer of at least `bytes` (the caller reuses and grows one). */
  buffer(bytes: number): Buffer;
  describe(code: number): string;
}

/** What a successful enumeration wrote: `count` structs of `strides[strideIndex]` bytes at the start of `buf`. */
export interface RasEnumerated {
  buf: Buffer | null;
  count: number;
  strideIndex: number;
}

/**
 * The documented sequence, for either enumeration: probe with a NULL buffer and *lpcb = 0 (with nothing to
 * list the probe itself succeeds with a count of 0), allocate what it asked for, set the first struct's
 * dwSize (only that one is read), call again. 603 again (items appeared meanwhile): grow and retry, at most
 * MAX_ENUM_RETRIES times. 632: an older Windows, fall back to the previous struct version; `strideIndex` is
 * the one to start from (the caller remembers what this Windows accepted). Every size and count is bounded.
 */
export function enumerateRas(e: RasEnumeration, strideIndex: number): RasEnumerated {
  cb[0] = 0;
  count[0] = 0;
  const largest = Math.max(...e.strides);
  let index = strideIndex;
  let rc = e.call(null, cb, count);
  if (rc === 0) return { buf: null, count: 0, strideIndex: index };
  let buf: Buffer | null = null;
  let tooSmall = 0;
  for (;;) {
    if (rc === ERROR_BUFFER_TOO_SMALL) {
      if (++tooSmall > 1 + MAX_ENUM_RETRIES) throw rasError(rc, `${e.kind.fn} (${e.kind.items} kept appearing, ${MAX_ENUM_RETRIES} retries)`, e.describe);
    } else if (rc === ERROR_INVALID_SIZE) {
      if (index + 1 >= e.strides.length) throw rasError(rc, `${e.kind.fn} (no ${e.kind.struct} size accepted: ${e.strides.join(', ')})`, e.describe);
      index++;
    } else if (rc === 0) {
      const stride = e.strides[index]!;
      return { buf, count: enumeratedCount(count[0]!, stride, buf?.length ?? 0, e.kind), strideIndex: index };
    } else {
      throw rasError(rc, e.kind.fn, e.describe);
    }
    const stride = e.strides[index]!;
    buf = e.buffer(enumBufferBytes(cb[0]!, count[0]!, stride, largest, e.kind));
    buf.writeUInt32LE(stride, 0);
    cb[0] = buf.length;
    rc = e.call(buf, cb, count);
  }
}
