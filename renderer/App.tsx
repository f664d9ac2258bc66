import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { getBridge } from './bridge';
import { ConnectionList } from './components/ConnectionList';
import { EmptyState } from './components/EmptyState';
import { Header } from './components/Header';
import { LiveRegion } from './components/LiveRegion';
import { StaleBanner } from './components/StaleBanner';
import { UpdatesNote } from './components/UpdatesNote';
import { panelId, tabId, ViewTabs, type PopupView } from './components/ViewTabs';
import { translate } from '../shared/i18n';
import { errorSentence } from '../shared/i18n/words';
import { mergeRows } from './rows';
import { useAnnouncer } from './use-announcer';
import { useConnections } from './use-connections';
import { usePolicy } from './use-policy';
import { useSaved } from './use-saved';
import { ThroughputContext, useThroughput } from './use-throughput';
import { isPopupVisible, onPopupShown, watchPopupVisibility } from './visibility';

// Secondary views load when first opened: the list's first paint does not wait for them (issue 22: < 75 KB).
const HistoryPanel = lazy(() => import('./components/HistoryPanel'));
const DiagnosticsPanel = lazy(() => import('./components/DiagnosticsPanel'));

const bridge = getBridge();

export function App() {
  const { announcement, observer } = useAnnouncer();
  const { state, hangUp, refresh } = useConnections(bridge, observer);
  const saved = useSaved(bridge, observer);
  const throughput = useThroughput(bridge);
  const policy = usePolicy(bridge);
  const [confirmingKey, setConfirmingKey] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [showDiagnostics, setShowDiagnostics] = useState(false);
  const [historyCount, setHistoryCount] = useState<number | null>(null);
  const [view, setView] = useState<PopupView>('connections');
  /** What opened Diagnostics, to give focus back to when it closes. */
  const diagnosticsOpener = useRef<HTMLElement | null>(null);
  const diagnosticsLink = useRef<HTMLButtonElement>(null);
  /** Where the fallback below put focus while there were no rows yet: the first row may take it from there. */
  const fallbackFocus = useRef<HTMLElement | null>(null);
  const mayTakeFocus = useCallback(() => document.activeElement === document.body || document.activeElement === fallbackFocus.current, []);
  const { connections, error, loaded, updates, readAt } = state;
  // An administrator's policy may take Connect, Cancel and Disconnect away (hideConnectControls): the rows stay.
  const merged = mergeRows(connections, saved.state);
  const rows = policy.hideConnectControls ? merged.map((row) => ({ ...row, action: null })) : merged;
  // A confirmation for a row that has gone (or is no longer up) is no confirmation at all.
  const openConfirmation = confirmingKey !== null && rows.some((row) => row.key === confirmingKey && row.action === 'disconnect') ? confirmingKey : null;

  useEffect(() => watchPopupVisibility(bridge), []);
  useEffect(
    () =>
      onPopupShown(() => {
        // The popup opens on the live list, focus on its first row.
        setView('connections');
        setShowDiagnostics(false);
        setFocusRequest((count) => count + 1);
      }),
    [],
  );

  const openDiagnostics = useCallback(() => {
    diagnosticsOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setShowDiagnostics(true);
  }, []);
  const closeDiagnostics = useCallback(() => {
    setShowDiagnostics(false);
    // Back to the control that opened it (the link, or the stale banner's link), not to the first row.
    requestAnimationFrame(() => {
      const opener = diagnosticsOpener.current;
      (opener?.isConnected ? opener : diagnosticsLink.current)?.focus();
    });
  }, []);

  // Escape cancels an open confirmation first, then leaves Diagnostics or History, and closes the popup last.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      if (openConfirmation !== null) setConfirmingKey(null);
      else if (showDiagnostics) closeDiagnostics();
      else if (view !== 'connections') {
        setView('connections');
        setFocusRequest((count) => count + 1);
      } else void bridge?.invoke('popup:hide');
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openConfirmation, showDiagnostics, view, closeDiagnostics]);

  // The expanded details load after the first paint, so a click finds them ready.
  useEffect(() => {
    const id = setTimeout(() => void import('./components/RowDetails'), 500);
    return () => clearTimeout(id);
  }, []);

  // Focus is never left on <body> after a change (the last row went, the list emptied, a view closed): the
  // list's focused row, else the first control of the view.
  useLayoutEffect(() => {
    // Not before the first reading: the list's first row takes focus as it appears (ConnectionList).
    if ((document.activeElement && document.activeElement !== document.body) || !isPopupVisible() || !loaded) return;
    const target =
      document.querySelector<HTMLElement>('[data-row-main][tabindex="0"]') ??
      document.querySelector<HTMLElement>('.diagnostics h2, .panel:not([hidden]) [data-session][tabindex="0"]') ??
      document.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
    target?.focus();
    fallbackFocus.current = target;
  });

  const cancelDisconnect = useCallback(() => setConfirmingKey(null), []);
  const connectedCount = rows.filter((row) => row.status === 'connected' || row.status === 'paused').length;
  const savedCount = saved.state?.available ? saved.state.entries.length : 0;

  return (
    <ThroughputContext.Provider value={throughput}>
      <div className="popup">
        <header className="header">
          <Header view={view} loaded={loaded} connected={connectedCount} saved={savedCount} sessions={historyCount} />
          <ViewTabs view={view} onSelect={setView} />
        </header>
        <main className="content">
          <div className="panel" role="tabpanel" id={panelId('connections')} aria-labelledby={tabId('connections')} hidden={view !== 'connections'}>
            {showDiagnostics ? (
              <Suspense fallback={<p className="loading">{translate('popup', 'list.loading')}</p>}>
                <DiagnosticsPanel bridge={bridge} onClose={closeDiagnostics} />
              </Suspense>
            ) : (
              <>
                {error && <StaleBanner error={error} readAt={readAt} onRetry={refresh} onDiagnostics={openDiagnostics} />}
                {!loaded && <p className="loading">{translate('popup', 'list.loading')}</p>}
                {loaded && rows.length === 0 && !error && <EmptyState />}
                {rows.length > 0 && (
                  <ConnectionList
                    rows={rows}
                    stale={error !== null}
                    readAt={readAt}
                    confirmingKey={openConfirmation}
                    focusRequest={focusRequest}
                    mayTakeFocus={mayTakeFocus}
                    onAskDisconnect={setConfirmingKey}
                    onCancelDisconnect={cancelDisconnect}
                    hangUp={hangUp}
                    connect={saved.connect}
                    cancel={saved.cancel}
                  />
                )}
                {saved.state?.error && <p className="row-error saved-error">{translate('popup', 'saved.error', { reason: errorSentence(saved.state.error) })}</p>}
                <p className="diagnostics-link">
                  <button ref={diagnosticsLink} type="button" className="button-link" onClick={openDiagnostics}>
                    {translate('popup', 'diagnostics.link')}
                  </button>
                </p>
              </>
            )}
          </div>
          {view === 'history' && (
            <div className="panel" role="tabpanel" id={panelId('history')} aria-labelledby={tabId('history')}>
              <Suspense fallback={<p className="loading">{translate('popup', 'list.loading')}</p>}>
                <HistoryPanel bridge={bridge} onCount={setHistoryCount} />
              </Suspense>
            </div>
          )}
        </main>
        <footer className="footer">
          <UpdatesNote updates={loaded ? updates : null} />
          <LiveRegion announcement={announcement} />
        </footer>
      </div>
    </ThroughputContext.Provider>
  );
}
