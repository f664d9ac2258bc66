import { useCallback, useEffect, useState } from 'react';
import { getBridge } from './bridge';
import { ConnectionList } from './components/ConnectionList';
import { EmptyState } from './components/EmptyState';
import { ErrorBanner } from './components/ErrorBanner';
import { Header } from './components/Header';
import { SavedSection } from './components/SavedSection';
import { LiveRegion } from './components/LiveRegion';
import { UpdatesNote } from './components/UpdatesNote';
import { useAnnouncer } from './use-announcer';
import { useConnections } from './use-connections';
import { useSaved } from './use-saved';

const bridge = getBridge();

export function App() {
  const { announcement, observer } = useAnnouncer();
  const { state, hangUp } = useConnections(bridge, observer);
  const saved = useSaved(bridge);
  const [confirmingId, setConfirmingId] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const { connections, error, loaded, updates } = state;
  // A confirmation for a row that has gone is no confirmation at all.
  const openConfirmation = confirmingId !== null && connections.some((connection) => connection.id === confirmingId) ? confirmingId : null;

  useEffect(() => {
    if (!bridge) return;
    return bridge.on('popup:visibility', (visible) => {
      if (visible) setFocusRequest((count) => count + 1);
    });
  }, []);

  // Escape cancels an open confirmation first, and closes the popup otherwise.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      if (openConfirmation !== null) setConfirmingId(null);
      else void bridge?.invoke('popup:hide');
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openConfirmation]);

  const cancelDisconnect = useCallback(() => setConfirmingId(null), []);

  return (
    <div className="popup">
      <Header count={loaded ? connections.length : null} />
      <main className="content">
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
      </main>
      <UpdatesNote updates={loaded ? updates : null} />
      <LiveRegion announcement={announcement} />
    </div>
  );
}
