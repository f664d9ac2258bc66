import { translate } from '../../shared/i18n';
import type { PopupView } from './ViewTabs';

interface HeaderProps {
  view: PopupView;
  loaded: boolean;
  connected: number;
  saved: number;
  /** Sessions the History view shows, once it has loaded them. */
  sessions: number | null;
}

/** The app's name and, per tab, what that tab counts: connections up (and saved), or the week's sessions. */
export function Header({ view, loaded, connected, saved, sessions }: HeaderProps) {
  let count: string | null = null;
  if (view === 'connections' && loaded) count = translate('popup', 'header.connections', { connected, saved });
  if (view === 'history' && sessions !== null) count = translate('popup', 'header.history', { count: sessions, days: 7 });
  return (
    <div className="header-bar">
      <h1 className="title">{translate('common', 'app.name')}</h1>
      {count !== null && <span className="count">{count}</span>}
    </div>
  );
}
