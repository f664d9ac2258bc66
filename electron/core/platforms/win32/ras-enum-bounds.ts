import { BackendError } from '../../backend-error';

/**
 * How far Linkwatch believes what RasEnumConnectionsW answers in `*lpcb` and `*lpcConnections`. The library is
 * outside code (rasapi32.dll, a vendor's replacement, LINKWATCH_RASAPI): a count or size it makes up must
 * become a BackendError (the source's contract), never a 4 GiB allocation or a RangeError from the decoder.
 */

/**
 * The most connections one enumeration may report. A RAS client holds a handful (each a dialled entry or a
 * multilink subentry); the benchmark's 256 is already far beyond any real machine, and 4096 leaves 16× that.
 */
export const MAX_RAS_CONNECTIONS = 4096;

/**
 * The most bytes one enumeration may ask us to allocate: MAX_RAS_CONNECTIONS of the largest RASCONNW this
 * build knows (`largestStride`, 1388 bytes on x64: about 5.4 MiB).
 */
export function maxEnumBytes(largestStride: number): number {
  return MAX_RAS_CONNECTIONS * largestStride;
}

/** The code of every answer that breaks the RasEnumConnectionsW contract: the library's reply is not usable. */
export const ENUM_PROTOCOL_ERROR = 'EPROTO';

/**
 * The buffer size for the next RasEnumConnectionsW call after an ERROR_BUFFER_TOO_SMALL answer: enough for the
 * bytes it asked for and for `count` entries of `stride` bytes, at least one entry. Throws a BackendError
 * (EPROTO) when the answer asks for more connections or bytes than MAX_RAS_CONNECTIONS allow.
 */
export function enumBufferBytes(cb: number, count: number, stride: number, largestStride: number): number {
  if (count > MAX_RAS_CONNECTIONS) {
    throw new BackendError(
      ENUM_PROTOCOL_ERROR,
      `RasEnumConnectionsW reported ${count} connections, more than the ${MAX_RAS_CONNECTIONS} Linkwatch accepts: the RAS library's answer is not believable`,
    );
  }
  const limit = maxEnumBytes(largestStride);
  const need = Math.max(cb, count * stride, stride);
  if (need > limit) {
    throw new BackendError(
      ENUM_PROTOCOL_ERROR,
      `RasEnumConnectionsW asked for a ${need}-byte buffer, more than the ${limit} bytes ${MAX_RAS_CONNECTIONS} connections need: the RAS library's answer is not believable`,
    );
  }
  return need;
}

/**
 * The count a successful RasEnumConnectionsW reported, checked against the buffer it wrote into: a count the
 * buffer cannot hold is a BackendError (EPROTO), not entries decoded from memory the library never wrote.
 */
export function enumeratedCount(count: number, stride: number, bufferBytes: number): number {
  const fits = Math.floor(bufferBytes / stride);
  if (count > fits) {
    throw new BackendError(
      ENUM_PROTOCOL_ERROR,
      `RasEnumConnectionsW reported ${count} connections, but the ${bufferBytes}-byte buffer it filled holds at most ${fits} of ${stride} bytes: the RAS library's answer is not believable`,
    );
  }
  return count;
}
