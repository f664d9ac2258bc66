/**
 * The tray's "Export for Prometheus…": the folder comes from the OS's own folder chooser, in the main process,
 * never from a page (settings:set does not take it: shared/ipc.ts). Electron's dialog.showOpenDialog without a
 * parent window is app-modal on Windows and Linux, and a free-standing panel on macOS. Its words come from the
 * catalogue's `tray` namespace (exportDialog.*), in the locale main.ts set from app.getLocale().
 */
import { dialog } from 'electron';
import { exportDialogWords } from './app-logic/export-dialog';

/** The folder the user picked, or null when they cancelled. */
export async function chooseExportFolder(): Promise<string | null> {
  const result = await dialog.showOpenDialog({
    ...exportDialogWords(),
    properties: ['openDirectory', 'createDirectory'],
  });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
