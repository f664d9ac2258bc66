/**
 * Live changes on macOS, from one socket read by socket-reader.ts (no periodic wake-up): a kernel-event
 * socket (PF_SYSTEM, SYSPROTO_EVENT, filtered to Apple's KEV_NETWORK_CLASS with SIOCSKEVFILT), as configd
 * does, since XNU posts every address as a kernel event but not every one as RTM_NEWADDR (kernel-events.ts);
 * a PF_ROUTE socket only where the kernel-event socket cannot be opened. Either way the receive buffer is
 * enlarged (32 KiB and 8 KiB by default: kern_event.h KEV_RECVSPACE, raw_usrreq.c's RAWRCVQ), and events
 * about interfaces that cannot be connections are dropped here, by the decoded name (kernel events) or
 * interface index (routing messages).
 */
import { eventsAffectInterfaces, decodeKernelEvents, kevRequest, DARWIN_PF_SYSTEM, DARWIN_SYSPROTO_EVENT, SIOCSKEVFILT } from './kernel-events';
import { DARWIN_PF_ROUTE, DARWIN_SOCK_RAW, darwinErrnoError, type LibSystem } from './libsystem';
import { affectsInterfaces, decodeRouteMessages } from './route-messages';
import { enlargeReceiveBuffer, readSocket } from './socket-reader';

export type PushChannel = 'kernel-events' | 'routing-socket';

export interface PushFilter {
  /** Whether an interface of this name can be (or is) a connection: its events count. */
  isWatchedName(name: string): boolean;
  /** Whether routing messages about this index count: a watched interface's, or one not seen yet. */
  isWatchedIndex(index: number): boolean;
}

export interface PushSubscription {
  channel: PushChannel;
  /** The receive buffer the kernel granted. */
  receiveBuffer: number;
  stop(): void;
}

function openKernelEvents(lib: LibSystem): number {
  const fd = lib.socket(DARWIN_PF_SYSTEM, DARWIN_SOCK_RAW, DARWIN_SYSPROTO_EVENT);
  if (fd < 0) throw darwinErrnoError(lib.errno(), 'socket(PF_SYSTEM, SYSPROTO_EVENT)');
  if (lib.ioctl(fd, SIOCSKEVFILT, kevRequest()) < 0) {
    const errno = lib.errno();
    lib.close(fd);
    throw darwinErrnoError(errno, 'ioctl(SIOCSKEVFILT)');
  }
  return fd;
}

/**
 * Subscribe: `onChange(overflow)` after each wake-up that can have changed the list (`overflow`: messages
 * may have been lost, re-read everything). `onFailed` when the socket stops working later. Throws
 * BackendError when neither socket can be opened (the monitor then polls).
 */
export function subscribeInterfaceChanges(
  lib: LibSystem,
  filter: PushFilter,
  onChange: (overflow: boolean) => void,
  onFailed: (error: Error) => void,
): PushSubscription {
  let channel: PushChannel = 'kernel-events';
  let fd: number;
  try {
    fd = openKernelEvents(lib);
  } catch (kernelEventsError) {
    channel = 'routing-socket';
    fd = lib.socket(DARWIN_PF_ROUTE, DARWIN_SOCK_RAW, 0);
    if (fd < 0) {
      const routeError = darwinErrnoError(lib.errno(), 'socket(PF_ROUTE, SOCK_RAW)');
      routeError.message = `${(kernelEventsError as Error).message}; ${routeError.message}`;
      throw routeError;
    }
  }
  const receiveBuffer = enlargeReceiveBuffer(lib, fd);
  const stop = readSocket(
    lib,
    fd,
    receiveBuffer,
    ({ reads, overflow }) => {
      const relevant =
        channel === 'kernel-events'
          ? reads.some((bytes) => eventsAffectInterfaces(decodeKernelEvents(bytes), filter.isWatchedName))
          : reads.some((bytes) => affectsInterfaces(decodeRouteMessages(bytes), filter.isWatchedIndex));
      if (overflow || relevant) onChange(overflow);
    },
    onFailed,
  );
  return { channel, receiveBuffer, stop };
}
