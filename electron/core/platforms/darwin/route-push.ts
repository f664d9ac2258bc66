/**
 * Route changes pushed on macOS (issue 25): a PF_ROUTE socket of its own, read by socket-reader.ts as the
 * interface push is, telling only of RTM_ADD, RTM_DELETE and RTM_CHANGE (rt_msghdr, xnu bsd/net/route.h): the
 * routing alone is then read again. The interface push (route-socket.ts) prefers kernel events, which carry
 * no routes, so routes need this socket beside it.
 */
import { DARWIN_PF_ROUTE, DARWIN_SOCK_RAW, darwinErrnoError, type LibSystem } from './libsystem';
import { RTM, RTM_VERSION, decodeRouteMessages, type DecodedRead } from './route-messages';
import { enlargeReceiveBuffer, readSocket } from './socket-reader';

/** A route added, deleted or changed. */
export function affectsRoutes(read: DecodedRead): boolean {
  return read.messages.some((m) => m.version === RTM_VERSION && (m.type === RTM.ADD || m.type === RTM.DELETE || m.type === RTM.CHANGE));
}

/** `onRoutes` after each wake-up that carried a route change (or lost messages). Returns stop(). */
export function subscribeRouteChanges(lib: LibSystem, onRoutes: () => void, onFailed: (error: Error) => void): () => void {
  const fd = lib.socket(DARWIN_PF_ROUTE, DARWIN_SOCK_RAW, 0);
  if (fd < 0) throw darwinErrnoError(lib.errno(), 'socket(PF_ROUTE, SOCK_RAW)');
  return readSocket(
    lib,
    fd,
    enlargeReceiveBuffer(lib, fd),
    ({ reads, overflow }) => {
      if (overflow || reads.some((bytes) => affectsRoutes(decodeRouteMessages(bytes)))) onRoutes();
    },
    onFailed,
  );
}
