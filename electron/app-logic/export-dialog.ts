/**
 * The words of the export folder chooser (electron/export-folder.ts), as plain data so the pseudo-locale test
 * sees them without Electron: dialog.showOpenDialog's `title`, `message` (shown by macOS only) and
 * `buttonLabel` (Electron's OpenDialogOptions).
 */
import '../../shared/i18n/all';
import { translator } from '../../shared/i18n';

const t = translator('tray');

/** The exporters' own names, not words to translate. */
export const EXPORTERS = 'node_exporter, windows_exporter';

export function exportDialogWords(): { title: string; message: string; buttonLabel: string } {
  return { title: t('exportDialog.title'), message: t('exportDialog.message', { exporters: EXPORTERS }), buttonLabel: t('exportDialog.button') };
}
