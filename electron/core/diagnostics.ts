/**
 * "Why is my VPN not listed?": the monitor's state and the backend's own account of every interface, as one
 * Diagnostics object (`linkwatch diagnose --json`, the popup's Diagnostics panel), and its readable form.
 */
import '../../shared/i18n/all';
import { translator } from '../../shared/i18n';
import type { Diagnostics } from '../../shared/diagnostics';
import type { ConnectionMonitor } from './monitor';

type DiagnosableMonitor = Pick<ConnectionMonitor, 'snapshot' | 'diagnoseSource'>;

export async function collectDiagnostics(monitor: DiagnosableMonitor): Promise<Diagnostics> {
  const { snapshot } = monitor;
  let own;
  try {
    own = await monitor.diagnoseSource();
  } catch (error) {
    own = { parts: [], interfaces: [], notes: [`the backend could not be asked: ${(error as Error).message}`] };
  }
  return {
    platform: snapshot.platform,
    backend: snapshot.backend,
    updates: snapshot.updates,
    error: snapshot.error,
    connections: snapshot.connections.length,
    takenAt: snapshot.takenAt,
    parts: own?.parts ?? [{ name: snapshot.backend, detail: '', lastError: snapshot.error }],
    interfaces: own?.interfaces ?? [],
    notes: own?.notes ?? [`the ${snapshot.backend} backend lists no interfaces for diagnosis`],
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** The readable `linkwatch diagnose`, worded by the catalogue's `cli` namespace (shared/i18n/en/cli.json). */
export function formatDiagnostics(d: Diagnostics): string {
  const t = translator('cli');
  const lines: string[] = [];
  lines.push(t('diagnose.backend', { backend: d.backend, platform: d.platform, updates: d.updates, count: d.connections }));
  if (d.error) lines.push(t('diagnose.lastRead', { message: d.error.message, code: String(d.error.code) }));
  lines.push('', t('diagnose.parts'));
  if (d.parts.length === 0) lines.push(`  ${t('diagnose.none')}`);
  else lines.push(...table(d.parts.map((p) => [p.name, p.detail || '–', p.lastError ? t('diagnose.partError', { code: String(p.lastError.code), message: p.lastError.message }) : t('diagnose.ok')])).map((l) => `  ${l}`));
  lines.push('', t('diagnose.interfaces'));
  if (d.interfaces.length === 0) lines.push(`  ${t('diagnose.noneReported')}`);
  else {
    const rows = d.interfaces.map((i) => [
      i.listed ? t('diagnose.listed') : t('diagnose.notListed'),
      i.description && i.description !== i.name ? `${i.name} (${i.description})` : i.name,
      i.reason,
      i.addresses.join(' ') || '–',
    ]);
    lines.push(...table(rows).map((l) => `  ${l}`));
  }
  for (const note of d.notes) lines.push('', t('diagnose.note', { note }));
  return `${lines.join('\n')}\n`;
}
