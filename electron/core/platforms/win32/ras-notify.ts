import koffi from 'koffi';
import type { ErrorInfo } from '../../../../shared/connection';
import { BackendError, toErrorInfo } from '../../backend-error';
import { WAIT_FAILED, WAIT_OBJECT_0, type Kernel32Events } from './kernel32';
import { rasError } from './ras-errors';

/** ras.h RASCN_* flags. */
export const RASCN_Connection = 0x1;
export const RASCN_Disconnection = 0x2;

/** WaitForMultipleObjects' dwMilliseconds for "no timeout" (winbase.h INFINITE). */
export const INFINITE = 0xffff_ffff;

/**
 * A change a read saw with no signal since the read before: RAS may simply not have signalled yet (its
 * notification and the read that an adapter notification triggered race), so only when no signal follows
 * within this long is the registration taken for gone (see watchRasConnections).
 */
export const MISSED_SIGNAL_GRACE_MS = 1000;

/** What the push path calls: RasConnectionNotificationW and the kernel32 events. */
export interface RasNotifyApi {
  RasConnectionNotificationW: (hrasconn: bigint, hEvent: number | bigint, dwFlags: number) => number;
  events: Kernel32Events;
  describe: (code: number) => string;
}

/** INVALID_HANDLE_VALUE as an HRASCONN: (HANDLE)-1, all bits set at the pointer's width. */
const INVALID_HANDLE_VALUE = koffi.sizeof('void *') === 8 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;

/** What the RAS source keeps of a watch: how to stop it, and what it tells it after each read. */
export interface RasWatch {
  stop(): void;
  /**
   * Called after each read with whether RAS's list changed in a way RASCN_* signals (a connection reached
   * RASCS_Connected, or one ended) since the read before. A change no signal announced means the registration
   * is gone (Windows 11, below): it is made again.
   */
  noteRead(changed: boolean): void;
  /** Registrations made so far (tests, diagnose). */
  readonly registrations: number;
}

/**
 * RAS push notifications: RasConnectionNotificationW for every connection (INVALID_HANDLE_VALUE,
 * RASCN_Connection | RASCN_Disconnection) on an auto-reset event, waited on off the caller's thread (koffi's
 * async WaitForMultipleObjects) together with a manual-reset stop event that the returned stop() sets. The
 * signal says only that something changed: `onChange` re-reads and diffs.
 *
 * The wait has no timeout: it returns when RAS signals or stop() sets the stop event, and costs no wake-up
 * in between (issue 23). It parks one of libuv's pool threads (4 by default) in the kernel for the life of
 * the watch; the other pool users (koffi's other async calls, the file system) keep the rest.
 *
 * Registrations: RasMan keeps each RasConnectionNotification registration, with its own duplicate of the
 * event handle, in a list for the life of the registering process (there is no call to remove one), so
 * registering again after every signal would add one per change, for good, where registrations persist
 * (Windows 10, and Windows 11 for connections other processes make). On Windows 11 a registration has been
 * seen to fire only once, at least for connections this process dialled (DotRas issue 105: reproduced with the
 * raw API by its maintainer in 2024, not fixed). Correct under both: register once; when a read shows a change
 * no signal announced (reads also come from the adapters' own push, the connecting poll and the safety read)
 * and none follows within MISSED_SIGNAL_GRACE_MS, the registration was used up: register again, and from then
 * on after every signal, since on this Windows each one is consumed by its firing. Throws a BackendError when
 * the first registration fails (Wine's stub: 1), so that the caller polls. A later failure (a re-registration
 * refused, the wait failing) calls `onUnavailable` once, after one last `onChange`, and stops.
 */
export function watchRasConnections(api: RasNotifyApi, onChange: () => void, onUnavailable: (error: ErrorInfo) => void): RasWatch {
  const { events } = api;
  const change = events.CreateEventW(null, 0, 0, null); // auto-reset: a satisfied wait resets it
  const stopEvent = events.CreateEventW(null, 1, 0, null); // manual-reset: stays set once set
  const close = () => {
    if (change) events.CloseHandle(change);
    if (stopEvent) events.CloseHandle(stopEvent);
  };
  if (!change || !stopEvent) {
    close();
    throw new BackendError('ENOTSUP', `CreateEventW failed (${events.source}): no push notifications`);
  }
  let registrations = 0;
  const register = () => {
    const rc = api.RasConnectionNotificationW(INVALID_HANDLE_VALUE, change, RASCN_Connection | RASCN_Disconnection);
    if (rc === 0) registrations++;
    return rc;
  };
  const rc = register();
  if (rc !== 0) {
    close();
    throw rasError(rc, 'RasConnectionNotificationW', api.describe);
  }
  const pointer = koffi.sizeof('void *');
  const handles = Buffer.alloc(2 * pointer);
  const put = (value: number | bigint, index: number) =>
    pointer === 8 ? handles.writeBigUInt64LE(BigInt(value), index * 8) : handles.writeUInt32LE(Number(value), index * 4);
  put(change, 0);
  put(stopEvent, 1);

  let stopped = false;
  /** Registrations are used up by their firing here (learnt from a missed change): register after each signal. */
  let rearm = false;
  let signals = 0;
  let signalsAtLastRead = 0;
  let grace: ReturnType<typeof setTimeout> | null = null;
  const clearGrace = () => {
    if (grace) clearTimeout(grace);
    grace = null;
  };
  /** A WaitForMultipleObjects is pending on a pool thread: its events must not be closed under it. */
  let waiting = false;
  const fail = (error: ErrorInfo) => {
    clearGrace();
    // From the wait's callback nothing waits on the events any more; from elsewhere (the grace timer) the
    // wait is released through the stop event and closes them itself when it returns.
    if (waiting) events.SetEvent(stopEvent);
    else close();
    if (stopped) return;
    stopped = true;
    onChange(); // what changed before the failure is still read
    onUnavailable(error);
  };
  const registerAgain = (why: string): boolean => {
    const again = register();
    if (again === 0) return true;
    fail(toErrorInfo(rasError(again, `RasConnectionNotificationW (registering again: ${why})`, api.describe)));
    return false;
  };
  const wait = () => {
    waiting = true;
    events.WaitForMultipleObjects.async(2, handles, 0, INFINITE, (error: unknown, result: number) => {
      waiting = false;
      if (error) return fail(toErrorInfo(error));
      if (result === WAIT_OBJECT_0 + 1 || stopped) return close();
      if (result === WAIT_OBJECT_0) {
        signals++;
        if (rearm && !registerAgain('this Windows fires a registration once')) return;
        onChange();
        return wait();
      }
      return fail({ code: result === WAIT_FAILED ? 'EWAIT' : result, message: `WaitForMultipleObjects failed (${result})` });
    });
  };
  wait();
  return {
    get registrations() {
      return registrations;
    },
    noteRead(changed: boolean) {
      const signalled = signals !== signalsAtLastRead;
      signalsAtLastRead = signals;
      if (stopped || rearm || !changed || signalled || grace) return;
      const before = signals;
      grace = setTimeout(() => {
        grace = null;
        if (stopped || signals !== before) return; // RAS's signal was only late: the registration works
        rearm = true;
        registerAgain('a change came without a signal');
      }, MISSED_SIGNAL_GRACE_MS);
    },
    stop() {
      clearGrace();
      if (stopped) return;
      stopped = true;
      events.SetEvent(stopEvent); // the wait returns, and closes both events
    },
  };
}
