import { useId } from 'react';
import type { LinkwatchBridge } from '../../shared/ipc';
import { translate } from '../../shared/i18n';
import { useHistoryDays } from '../use-history-days';

const CHOICES = [7, 30, 90, 365];

/**
 * "Keep history for [90 days]": the retention setting, a native select (keyboard and screen reader as is).
 * Mounted with the History view only, so the list alone asks for nothing.
 */
export function HistoryRetention({ bridge }: { bridge: LinkwatchBridge | null }) {
  const id = useId();
  const { days, setDays: onChange } = useHistoryDays(bridge);
  if (days === null) return null;
  const choices = CHOICES.includes(days) ? CHOICES : [...CHOICES, days].sort((a, b) => a - b);
  return (
    <p className="history-retention">
      <label htmlFor={id}>{translate('history', 'retention.label')}</label>
      <select id={id} value={days} onChange={(event) => onChange(Number(event.target.value))}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice === 365 ? translate('history', 'retention.year') : translate('history', 'retention.days', { days: choice })}
          </option>
        ))}
      </select>
    </p>
  );
}
