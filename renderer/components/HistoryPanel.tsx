/**
 * The History tab, loaded when first opened: its view, its retention setting and its part of the catalogue
 * travel in their own chunk, not in the JavaScript the list's first paint waits for.
 */
import { useEffect } from 'react';
import { addMessages } from '../../shared/i18n';
import history from '../../shared/i18n/en/history.json';
import type { LinkwatchBridge } from '../../shared/ipc';
import { useHistory } from '../use-history';
import { HistoryRetention } from './HistoryRetention';
import { HistoryView } from './HistoryView';

addMessages('history', history);

export default function HistoryPanel({ bridge, onCount }: { bridge: LinkwatchBridge | null; onCount(count: number | null): void }) {
  const state = useHistory(bridge, true);
  const count = state.loaded && !state.error ? state.sessions.length : null;
  useEffect(() => onCount(count), [count, onCount]);
  return <HistoryView history={state} retention={<HistoryRetention bridge={bridge} />} />;
}
