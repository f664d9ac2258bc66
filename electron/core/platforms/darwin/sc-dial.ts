/**
 * Connect one macOS network service, as the menu-bar VPN item does, through scutil (sc-services.ts): watch
 * its status first (`scutil --nc watch`, pushed by SCNetworkConnection's callback), then start it (`scutil
 * --nc start`), and report each status until it is up, refused, dropped or cancelled. The reason on failure
 * is scutil's own words for a refused start, else the service's LastCause (read once, on failure only).
 */
import { toErrorInfo } from '../../backend-error';
import type { DialProgress } from '../source';
import { disconnectReason, type Scutil } from './sc-services';

/** How long the start waits for the watch's first line (so that no step is missed) before going ahead. */
const WATCH_READY_MS = 1000;

export interface ServiceDial {
  /** Set by Cancel before it stops the service: the Disconnected that follows ends the dial as cancelled. */
  cancelled: boolean;
}

export function dialService(sc: Scutil, serviceId: string, dial: ServiceDial, onProgress: (progress: DialProgress) => void): Promise<DialProgress> {
  const id = `sc:${serviceId}`;
  return new Promise<DialProgress>((resolve) => {
    let finished = false;
    let seenConnecting = false;
    let stopWatching = (): void => {};
    const finish = (last: DialProgress): void => {
      if (finished) return;
      finished = true;
      stopWatching();
      resolve(last);
    };
    const failed = (error: { code: number | string; message: string }, detail = 'Disconnected'): void =>
      finish({ connectionId: null, phase: 'failed', detail, error });
    const ended = (): void => {
      if (dial.cancelled) return finish({ connectionId: id, phase: 'cancelled', detail: 'Disconnected', error: null });
      const dropped = { code: 'EDISCONNECTED', message: 'the VPN service disconnected before it was up' };
      void sc.status(serviceId).then(
        (report) => failed(disconnectReason(report) ?? dropped),
        () => failed(dropped),
      );
    };
    let ready: () => void = () => {};
    const watching = new Promise<void>((done) => (ready = done));
    stopWatching = sc.watchService(
      serviceId,
      (status, error, initial) => {
        ready();
        if (finished) return;
        if (status === 'Connected') return finish({ connectionId: id, phase: 'connected', detail: 'Connected', error: null });
        if (status === 'Connecting' || status === 'Disconnecting') {
          if (status === 'Connecting') seenConnecting = true;
          return onProgress({ connectionId: id, phase: 'dialling', detail: status, error: null });
        }
        if (status === 'Invalid') return failed({ code: 'EINVALIDSERVICE', message: error ?? 'the VPN service is not valid' }, 'Invalid');
        // Disconnected: the watch's first line says where it was before the start; any later one, that it ended.
        if (!initial || seenConnecting) ended();
      },
      (error) => failed({ code: 'ESCUTIL', message: `scutil --nc watch stopped: ${error.message}` }, 'error'),
    );
    void Promise.race([watching, new Promise((done) => setTimeout(done, WATCH_READY_MS).unref())]).then(async () => {
      if (finished) return;
      onProgress({ connectionId: id, phase: 'dialling', detail: 'Starting', error: null });
      try {
        const started = await sc.run(['--nc', 'start', serviceId]);
        // nc.c nc_start: "Could not start connection: <SCErrorString>" on stderr, exit status 1.
        if (started.code !== 0) failed({ code: 'ESTART', message: started.stderr.trim() || `scutil --nc start exited with ${started.code}` }, 'Invalid');
      } catch (error) {
        failed(toErrorInfo(error), 'error');
      }
    });
  });
}
