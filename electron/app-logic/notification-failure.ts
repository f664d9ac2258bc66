/**
 * A desktop notification that fails (Electron's Notification 'failed' event). Since Electron 42, macOS uses
 * UNNotification, which delivers only for a code-signed app: an unsigned build gets 'failed' for every toast.
 * There the setting is turned off, with the reason in the tray menu; elsewhere a failure may be passing (a
 * busy notification server), so the setting stays and the reason is shown until a toast gets through.
 */
import '../../shared/i18n/all';
import { translator } from '../../shared/i18n';

const t = translator('notifications');

export interface NotificationFailure {
  turnOff: boolean;
  reason: string;
}

export function notificationFailure(platform: string, error: string): NotificationFailure {
  if (platform === 'darwin') {
    return { turnOff: true, reason: t('failure.unsigned') };
  }
  return { turnOff: false, reason: t('failure.other', { error: error || t('failure.unknown') }) };
}
