import { translate } from '../../shared/i18n';
import { healthDescription } from '../health-format';
import type { DetailBlockProps } from './RowDetails';
import { useKeep, useOptimistic } from '../use-keep';

/**
 * The health lines of a connected row's details: why it has its status, the last probe inside the tunnel
 * (round-trip time, or why none came back), and the choice to probe it (off by default: an ICMP echo to the
 * tunnel's gateway every 10 s, never outside the tunnel).
 */
export function HealthDetails({ row }: DetailBlockProps) {
  const connection = row.connection;
  const health = connection?.health;
  if (!connection || !health || connection.state !== 'connected') return null;
  const probe = health.probe;
  const probeText = probe === null ? null : probe.rttMs !== null ? `Echo from ${probe.target} in ${probe.rttMs < 10 ? probe.rttMs.toFixed(1) : Math.round(probe.rttMs)} ms` : `No echo${probe.target ? ` from ${probe.target}` : ''}: ${probe.error?.message ?? 'no reply'}`;
  return (
    <dl className="details-list">
      <div className="detail detail-health">
        <dt>{translate('details', 'health.term')}</dt>
        <dd>
          {healthDescription(health)}
          {probeText && <span className="health-probe"> {probeText}</span>}
          <ProbeToggle name={connection.name} />
        </dd>
      </div>
    </dl>
  );
}

function ProbeToggle({ name }: { name: string }) {
  const { probed, setProbed } = useKeep();
  const toggle = useOptimistic(probed.includes(name), (on) => setProbed(name, on));
  return (
    <label className="health-probe-toggle">
      <input type="checkbox" checked={toggle.checked} onChange={(event) => void toggle.set(event.target.checked)} /> {translate('details', 'health.probe')}
    </label>
  );
}
