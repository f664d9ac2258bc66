import { useId } from 'react';
import type { LinkwatchBridge } from '../../shared/ipc';
import { translate } from '../../shared/i18n';
import { useHistoryDays } from '../use-history-days';
import { LockedNote } from './LockedNote';

const CHOICES = [7, 30, 90, 365];

/**
 * "Keep history for [90 days]": the retention setting, a native select (keyboard and screen reader as is).
 * Mounted with the History view only, so the list alone asks for nothing. When the administrator's policy
 * locks it (`historyDays` in PolicyState.locked), it shows the value in force, disabled, "Set by your
 * organisation" beside it (the main process refuses a change anyway: settings-store.ts).
 */
export function HistoryRetention({ bridge, locked }: { bridge: LinkwatchBridge | null; locked: boolean }) {
  const id = useId();
  const noteId = useId();
  const { days, setDays: onChange } = useHistoryDays(bridge);
  if (days === null) return null;
  const choices = CHOICES.includes(days) ? CHOICES : [...CHOICES, days].sort((a, b) => a - b);
  return (
    <p className="history-retention">
      <label htmlFor={id}>{translate('history', 'retention.label')}</label>
      <select id={id} value={days} disabled={locked} aria-describedby={locked ? noteId : undefined} onChange={(event) => onChange(Number(event.target.value))}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice === 365 ? translate('history', 'retention.year') : translate('history', 'retention.days', { days: choice })}
          </option>
        ))}
      </select>
      {locked && <LockedNote id={noteId} />}
    </p>
  );
}
