/**
 * A desktop notification that fails (Electron's Notification 'failed' event). Since Electron 42, macOS uses
 * UNNotification, which delivers only for a code-signed app: an unsigned build gets 'failed' for every toast.
 * There the setting is turned off, with the reason in the tray menu; elsewhere a failure may be passing (a
 * busy notification server), so the setting stays and the reason is shown until a toast gets through.
 */
export interface NotificationFailure {
  turnOff: boolean;
  reason: string;
}

export function notificationFailure(platform: string, error: string): NotificationFailure {
  if (platform === 'darwin') {
    return { turnOff: true, reason: 'macOS refused to show notifications (this build is not code-signed)' };
  }
  return { turnOff: false, reason: `The last notification could not be shown: ${error || 'unknown error'}` };
}
