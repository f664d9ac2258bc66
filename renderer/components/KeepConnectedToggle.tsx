import { useId, useState } from 'react';
import { translate } from '../../shared/i18n';
import type { ErrorInfo } from '../../shared/connection';
import type { SavedEntry } from '../../shared/saved';
import type { DetailBlockProps } from './RowDetails';
import { useNow } from '../clock';
import { keepStatusText } from '../health-format';
import { useKeep, useOptimistic } from '../use-keep';
import { getBridge } from '../bridge';
import { usePolicy } from '../use-policy';
import { LockedNote } from './LockedNote';

/**
 * "Keep connected" for one saved entry (off by default): redial it after a drop Linkwatch did not ask for.
 * An entry that cannot be kept says why instead (no saved password); one the system reconnects itself
 * (NetworkManager's autoconnect) says so. Under it, what Keep connected is doing (waiting, reconnecting, why
 * it stopped).
 */
export function KeepConnectedToggle({ row }: DetailBlockProps) {
  return row.entry ? <KeepToggle entry={row.entry} /> : null;
}

function KeepToggle({ entry }: { entry: SavedEntry }) {
  const { kept, statuses, setKept } = useKeep();
  const now = useNow();
  const [refused, setRefused] = useState<ErrorInfo | null>(null);
  const blocked = entry.keepBlocked ?? null;
  // Set by the administrator's policy: shown as set, not changeable here (the main process refuses it too).
  const locked = usePolicy(getBridge()).locked.includes('keepConnected');
  const lockedId = useId();
  const toggle = useOptimistic(kept.includes(entry.name), (value) => setKept(entry.name, value));
  const on = toggle.checked;
  const status = keepStatusText(statuses.find((s) => s.name === entry.name) ?? null, now);
  return (
    <div className="keep">
      <label className="keep-toggle">
        <input
          type="checkbox"
          checked={on && !blocked}
          disabled={locked || (blocked !== null && !on)}
          aria-describedby={locked ? lockedId : undefined}
          onChange={(event) => {
            void toggle.set(event.target.checked).then(setRefused);
          }}
        />{' '}
        {translate('details', 'keep.label')}
      </label>
      {locked && <LockedNote id={lockedId} />}
      {blocked && <span className="keep-note">{blocked}</span>}
      {!blocked && entry.systemReconnects && <span className="keep-note">{entry.systemReconnects}</span>}
      {on && status && (
        <span className="keep-status" aria-live="polite">
          {status}
        </span>
      )}
      {refused && (
        <span className="row-error" role="alert">
          {`${refused.message} (${refused.code})`}
        </span>
      )}
    </div>
  );
}
