import { useCallback, useEffect, useState } from 'react';
import { getBridge } from './bridge';
import { ConnectionList } from './components/ConnectionList';
import { DiagnosticsPanel } from './components/DiagnosticsPanel';
import { EmptyState } from './components/EmptyState';
import { ErrorBanner } from './components/ErrorBanner';
import { Header } from './components/Header';
import { RoutingVerdict } from './components/RoutingVerdict';
import { SavedSection } from './components/SavedSection';
import { HistoryRetention } from './components/HistoryRetention';
import { HistoryView } from './components/HistoryView';
import { LiveRegion } from './components/LiveRegion';
import { panelId, tabId, ViewTabs, type PopupView } from './components/ViewTabs';
import { UpdatesNote } from './components/UpdatesNote';
import { useAnnouncer } from './use-announcer';
import { useConnections } from './use-connections';
import { useSaved } from './use-saved';
import { useHistory } from './use-history';
import { ThroughputContext, useThroughput } from './use-throughput';

const bridge = getBridge();

export function App() {
  const { announcement, observer } = useAnnouncer();
  const { state, hangUp } = useConnections(bridge, observer);
  const saved = useSaved(bridge);
  const [confirmingId, setConfirmingId] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [showDiagnostics, setShowDiagnostics] = useState(false);
  const [view, setView] = useState<PopupView>('connections');
  const throughput = useThroughput(bridge);
  const history = useHistory(bridge, view === 'history');
  const { connections, error, loaded, updates } = state;
  // A confirmation for a row that has gone is no confirmation at all.
  const openConfirmation = confirmingId !== null && connections.some((connection) => connection.id === confirmingId) ? confirmingId : null;

  useEffect(() => {
    if (!bridge) return;
    return bridge.on('popup:visibility', (visible) => {
      if (!visible) return;
      // The popup opens on the live list.
      setView('connections');
      setFocusRequest((count) => count + 1);
    });
  }, []);

  // Escape cancels an open confirmation first, and closes the popup otherwise.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      if (openConfirmation !== null) setConfirmingId(null);
      else if (showDiagnostics) setShowDiagnostics(false);
      else if (view !== 'connections') {
        // Escape in the History view goes back to the list first.
        setView('connections');
        setFocusRequest((count) => count + 1);
      } else void bridge?.invoke('popup:hide');
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openConfirmation, showDiagnostics, view]);

  const cancelDisconnect = useCallback(() => setConfirmingId(null), []);

  return (
    <ThroughputContext.Provider value={throughput}>
      <div className="popup">
        <Header count={loaded ? connections.length : null} />
        <RoutingVerdict connections={connections} verdict={state.verdict} bridge={bridge} />
        <ViewTabs view={view} onSelect={setView} />
        {/* The list stays mounted while History is shown: its rows keep their state and focus rules. */}
        <main className="content" role="tabpanel" id={panelId('connections')} aria-labelledby={tabId('connections')} hidden={view !== 'connections'}>
          {showDiagnostics && <DiagnosticsPanel bridge={bridge} onClose={() => setShowDiagnostics(false)} />}
          {!showDiagnostics && (
            <>
            {error && <ErrorBanner error={error} hasList={connections.length > 0} />}
            {!loaded && <p className="loading">Reading connections…</p>}
            {loaded && connections.length === 0 && !error && <EmptyState />}
            {connections.length > 0 && (
              <ConnectionList
                connections={connections}
                confirmingId={openConfirmation}
                focusRequest={focusRequest}
                onAskDisconnect={setConfirmingId}
                onCancelDisconnect={cancelDisconnect}
                hangUp={hangUp}
              />
            )}
            {saved.state?.available && <SavedSection state={saved.state} connect={saved.connect} cancel={saved.cancel} />}
            <p className="diagnostics-link">
              <button type="button" className="button-link" onClick={() => setShowDiagnostics(true)}>
                Diagnostics: why is a VPN not listed?
              </button>
            </p>
            </>
          )}
        </main>
        {view === 'history' && (
          <main className="content" role="tabpanel" id={panelId('history')} aria-labelledby={tabId('history')}>
            <HistoryView history={history} retention={<HistoryRetention bridge={bridge} />} />
          </main>
        )}
        <UpdatesNote updates={loaded ? updates : null} />
        <LiveRegion announcement={announcement} />
      </div>
    </ThroughputContext.Provider>
  );
}
