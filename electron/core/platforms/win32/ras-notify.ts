import koffi from 'koffi';
import type { ErrorInfo } from '../../../../shared/connection';
import { BackendError, toErrorInfo } from '../../backend-error';
import { WAIT_FAILED, WAIT_OBJECT_0, WAIT_TIMEOUT, type Kernel32Events } from './kernel32';
import { rasError } from './ras-errors';

/** ras.h RASCN_* flags. */
export const RASCN_Connection = 0x1;
export const RASCN_Disconnection = 0x2;

/**
 * How long one wait lasts before it is simply made again. Waits run on koffi's few worker threads (as many
 * as cores): a wait that never returned would hold one for good, so each gives its thread back this often.
 */
export const NOTIFY_WAIT_SLICE_MS = 1000;

/** What the push path calls: RasConnectionNotificationW and the kernel32 events. */
export interface RasNotifyApi {
  RasConnectionNotificationW: (hrasconn: bigint, hEvent: number | bigint, dwFlags: number) => number;
  events: Kernel32Events;
  describe: (code: number) => string;
}

/** INVALID_HANDLE_VALUE as an HRASCONN: (HANDLE)-1, all bits set at the pointer's width. */
const INVALID_HANDLE_VALUE = koffi.sizeof('void *') === 8 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;

/**
 * RAS push notifications: RasConnectionNotificationW for every connection (INVALID_HANDLE_VALUE,
 * RASCN_Connection | RASCN_Disconnection) on an auto-reset event, waited on off the caller's thread (koffi's
 * async WaitForMultipleObjects) together with a manual-reset stop event that the returned function sets.
 *
 * The signal says only that something changed: `onChange` re-reads and diffs. The registration is made again
 * after every signal, before `onChange`, since on Windows 11 a registration has been seen to fire only once
 * (FIELD-NOTES, DotRas issue 105); a change during the read then signals again. Throws a BackendError when the
 * registration fails (Wine's stub: 1), so that the caller polls. A later failure (a re-registration refused,
 * the wait failing) calls `onUnavailable` once, after one last `onChange`, and stops.
 */
export function watchRasConnections(api: RasNotifyApi, onChange: () => void, onUnavailable: (error: ErrorInfo) => void): () => void {
  const { events } = api;
  const change = events.CreateEventW(null, 0, 0, null); // auto-reset: a satisfied wait resets it
  const stop = events.CreateEventW(null, 1, 0, null); // manual-reset: stays set once set
  const close = () => {
    if (change) events.CloseHandle(change);
    if (stop) events.CloseHandle(stop);
  };
  if (!change || !stop) {
    close();
    throw new BackendError('ENOTSUP', `CreateEventW failed (${events.source}): no push notifications`);
  }
  const register = () => api.RasConnectionNotificationW(INVALID_HANDLE_VALUE, change, RASCN_Connection | RASCN_Disconnection);
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
  put(stop, 1);

  let stopped = false;
  const fail = (error: ErrorInfo) => {
    close();
    if (stopped) return;
    stopped = true;
    onChange(); // what changed before the failure is still read
    onUnavailable(error);
  };
  const wait = () => {
    events.WaitForMultipleObjects.async(2, handles, 0, NOTIFY_WAIT_SLICE_MS, (error: unknown, result: number) => {
      if (error) return fail(toErrorInfo(error));
      if (result === WAIT_TIMEOUT) return stopped ? close() : wait();
      if (result === WAIT_OBJECT_0 + 1 || stopped) return close();
      if (result === WAIT_OBJECT_0) {
        const again = register();
        if (again !== 0) return fail(toErrorInfo(rasError(again, 'RasConnectionNotificationW (registering again)', api.describe)));
        onChange();
        return wait();
      }
      return fail({ code: result === WAIT_FAILED ? 'EWAIT' : result, message: `WaitForMultipleObjects failed (${result})` });
    });
  };
  wait();
  return () => {
    if (stopped) return;
    stopped = true;
    events.SetEvent(stop); // the wait returns, and closes both events
  };
}
