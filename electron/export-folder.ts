/**
 * The tray's "Export for Prometheus…": the folder comes from the OS's own folder chooser, in the main process,
 * never from a page (settings:set does not take it: shared/ipc.ts). Electron's dialog.showOpenDialog without a
 * parent window is app-modal on Windows and Linux, and a free-standing panel on macOS.
 */
import { dialog } from 'electron';

/** The folder the user picked, or null when they cancelled. */
export async function chooseExportFolder(): Promise<string | null> {
  const result = await dialog.showOpenDialog({
    title: 'Export for Prometheus',
    message: "Choose the folder your exporter's textfile collector reads (node_exporter, windows_exporter)",
    buttonLabel: 'Export here',
    properties: ['openDirectory', 'createDirectory'],
  });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
