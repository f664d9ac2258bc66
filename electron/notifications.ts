/** Desktop notifications for the toasts the notification policy decides on. */
import { nativeImage, Notification } from 'electron';
import type { Toast } from './app-logic/notification-policy';

export interface Notifier {
  show(toast: Toast): void;
}

export function createNotifier(options: { iconPath?: string; onClick: () => void }): Notifier {
  // A Notification that is garbage-collected before it is clicked loses its click handler (Windows keeps
  // toasts in the Action Center long after): hold each until it is closed.
  const live = new Set<Notification>();
  // Loaded once, as an image: a path inside app.asar means nothing to the desktop's notification daemon.
  const icon = options.iconPath ? nativeImage.createFromPath(options.iconPath) : null;
  return {
    show(toast) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: toast.title, body: toast.body, silent: false, ...(icon && !icon.isEmpty() ? { icon } : {}) });
      live.add(notification);
      const release = (): void => {
        live.delete(notification);
      };
      notification.on('click', () => {
        release();
        options.onClick();
      });
      notification.on('close', release);
      notification.on('failed', (_event, error) => {
        release();
        console.error('linkwatch: notification failed:', error);
      });
      notification.show();
    },
  };
}
