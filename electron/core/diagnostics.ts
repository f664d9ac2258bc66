/**
 * "Why is my VPN not listed?": the monitor's state and the backend's own account of every interface, as one
 * Diagnostics object (`linkwatch diagnose --json`, the popup's Diagnostics panel), and its readable form.
 */
import '../../shared/i18n/all';
import { translator } from '../../shared/i18n';
import type { Diagnostics } from '../../shared/diagnostics';
import { NO_POLICY, type Policy } from '../../shared/policy';
import type { ConnectionMonitor } from './monitor';

type DiagnosableMonitor = Pick<ConnectionMonitor, 'snapshot' | 'diagnoseSource'>;

export interface DiagnosticsOptions {
  /** The policy in force (the CLI asks the source; the app has it in its settings store). */
  policy?: () => Promise<Policy> | Policy;
}

export async function collectDiagnostics(monitor: DiagnosableMonitor, options: DiagnosticsOptions = {}): Promise<Diagnostics> {
  const { snapshot } = monitor;
  let policy: Policy | null;
  try {
    policy = (await options.policy?.()) ?? null;
  } catch (error) {
    policy = { ...NO_POLICY, problems: [`the policy could not be read: ${(error as Error).message}`] };
  }
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
    policy,
  };
}

function describeSettings(settings: Partial<Record<string, unknown>>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
    .join(', ');
}

/** The policy's lines of `linkwatch diagnose`: where it came from, what it locks and presets, what it ignored. */
export function formatPolicy(policy: Policy): string[] {
  if (policy.source === null && policy.problems.length === 0) return ['Policy: none (no administrator policy on this machine)'];
  const lines = [`Policy: from ${policy.source ?? '(unknown)'}`];
  const locked = describeSettings(policy.locked);
  const recommended = describeSettings(policy.recommended);
  lines.push(`  locked (set by your organisation): ${locked || '(nothing)'}`);
  lines.push(`  preset (the user may change): ${recommended || '(nothing)'}`);
  lines.push(`  Connect/Disconnect: ${policy.hideConnectControls ? 'hidden (hideConnectControls)' : 'offered'}`);
  for (const problem of policy.problems) lines.push(`  ignored: ${problem}`);
  return lines;
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
  if (d.policy) lines.push('', ...formatPolicy(d.policy));
  for (const note of d.notes) lines.push('', t('diagnose.note', { note }));
  return `${lines.join('\n')}\n`;
}
