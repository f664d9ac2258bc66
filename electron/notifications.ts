/** Desktop notifications for the toasts the notification policy decides on. */
import { nativeImage, Notification } from 'electron';
import type { Toast } from './app-logic/notification-policy';

export interface Notifier {
  show(toast: Toast): void;
}

export interface NotifierOptions {
  iconPath?: string;
  onClick(): void;
  /** A toast the OS would not show ('failed': macOS for an unsigned build, Windows without a shortcut). */
  onFailed?(error: string): void;
  /** A toast the OS showed: a failure reported earlier has passed. */
  onShown?(): void;
}

export function createNotifier(options: NotifierOptions): Notifier {
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
        options.onFailed?.(String(error));
      });
      notification.on('show', () => options.onShown?.());
      notification.show();
    },
  };
}
