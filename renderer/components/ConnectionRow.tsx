import { useEffect, useId, useRef, useState } from 'react';
import type { Connection, ErrorInfo } from '../../shared/connection';
import { useNow } from '../clock';
import { AD_HOC_LABEL, deviceLine, displayName, formatBytes, formatError, formatRate, rowSummary } from '../format';
import { ConfirmDisconnect } from './ConfirmDisconnect';
import { Elapsed } from './Elapsed';
import { KindIcon } from './KindIcon';
import { Sparkline } from './Sparkline';
import { useSamples } from '../use-throughput';
import { StateBadge } from './StateBadge';
import { HealthBadge } from './HealthBadge';
import { HealthDetails } from './HealthDetails';

interface ConnectionRowProps {
  connection: Connection;
  index: number;
  /** The row that holds the list's single tab stop (roving tabindex). */
  active: boolean;
  confirming: boolean;
  onFocusWithin(id: string, index: number): void;
  onAskDisconnect(id: string): void;
  onCancelDisconnect(): void;
  hangUp(id: string): Promise<ErrorInfo | null>;
}

/**
 * One connection. The row's main button carries its summary (accessible name) and toggles the details;
 * Disconnect sits beside it and opens the inline confirmation. Only the active row's controls are in the
 * tab order: the arrow keys move between rows.
 */
export function ConnectionRow({ connection, index, active, confirming, onFocusWithin, onAskDisconnect, onCancelDisconnect, hangUp }: ConnectionRowProps) {
  const now = useNow();
  const samples = useSamples(connection.id);
  const detailsId = useId();
  const [expanded, setExpanded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [hangUpError, setHangUpError] = useState<ErrorInfo | null>(null);
  const rowRef = useRef<HTMLLIElement>(null);
  const disconnectRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(confirming);
  const name = displayName(connection);
  const tabIndex = active ? 0 : -1;

  // When the confirmation closes while focus was in it, hand focus back to the Disconnect button.
  useEffect(() => {
    if (wasConfirming.current && !confirming) {
      const focused = document.activeElement;
      if (!focused || focused === document.body || rowRef.current?.contains(focused)) disconnectRef.current?.focus();
    }
    wasConfirming.current = confirming;
  }, [confirming]);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    const error = await hangUp(connection.id);
    setBusy(false);
    setHangUpError(error);
    onCancelDisconnect();
  };

  const hasRates = connection.rateIn !== null && connection.rateOut !== null;
  return (
    <li ref={rowRef} className={`row row-${connection.state}`} data-row-index={index} onFocus={() => onFocusWithin(connection.id, index)}>
      <button
        type="button"
        className="row-main"
        data-row-main=""
        tabIndex={tabIndex}
        aria-expanded={expanded}
        aria-controls={detailsId}
        aria-label={rowSummary(connection, now)}
        onClick={() => setExpanded((open) => !open)}
      >
        <span className={`kind kind-${connection.kind}`}>
          <KindIcon kind={connection.kind} />
        </span>
        <span className="row-text">
          <span className="row-name">{name}</span>
          {connection.adHoc && <span className="row-adhoc">{AD_HOC_LABEL}</span>}
          <span className="row-device" title={deviceLine(connection)}>
            {deviceLine(connection)}
          </span>
        </span>
        <span className="row-side">
          <StateBadge state={connection.state} />
          {connection.state === 'connected' && connection.connectedSince !== null && <Elapsed since={connection.connectedSince} />}
        </span>
      </button>

      <HealthBadge connection={connection} />
      {connection.lastError && <p className="row-error row-last-error">Last error: {formatError(connection.lastError)}</p>}

      <dl id={detailsId} className="details" hidden={!expanded}>
        {connection.addresses.length > 0 && <Detail term={connection.addresses.length === 1 ? 'Address' : 'Addresses'} value={connection.addresses.join(', ')} />}
        {connection.owner !== null && <Detail term="Owner" value={connection.owner} />}
        {connection.bytesIn !== null && <Detail term="Received" value={formatBytes(connection.bytesIn)} />}
        {connection.bytesOut !== null && <Detail term="Sent" value={formatBytes(connection.bytesOut)} />}
        {hasRates && <Detail term="Throughput" value={`↓ ${formatRate(connection.rateIn ?? 0)} · ↑ ${formatRate(connection.rateOut ?? 0)}`} />}
        {connection.phoneNumber !== null && <Detail term="Number" value={connection.phoneNumber} />}
        {connection.phonebook !== null && <Detail term="Phone book" value={connection.phonebook} />}
        {connection.mtu !== null && <Detail term="MTU" value={String(connection.mtu)} />}
        <Detail term="Status" value={connection.stateDetail} />
        <HealthDetails connection={connection} />
      </dl>

      {(hasRates || connection.addresses.length > 0 || connection.canDisconnect) && !confirming && (
        <div className="row-footer">
          <span className="row-facts">
            {hasRates && (
              <span className="rates">
                <span className="rate" title="Receiving">
                  <span aria-hidden="true">↓</span> {formatRate(connection.rateIn ?? 0)}
                </span>
                <span className="rate" title="Sending">
                  <span aria-hidden="true">↑</span> {formatRate(connection.rateOut ?? 0)}
                </span>
              </span>
            )}
            {hasRates && <Sparkline samples={samples} />}
            {connection.addresses[0] !== undefined && <span className="address">{connection.addresses[0]}</span>}
          </span>
          {connection.canDisconnect && (
            <button
              ref={disconnectRef}
              type="button"
              className="button button-quiet"
              tabIndex={tabIndex}
              aria-label={`Disconnect ${name}`}
              onClick={() => onAskDisconnect(connection.id)}
            >
              Disconnect
            </button>
          )}
        </div>
      )}

      {confirming && <ConfirmDisconnect name={name} busy={busy} onCancel={onCancelDisconnect} onConfirm={() => void confirm()} />}

      {hangUpError && (
        <p className="row-error" role="alert">
          Couldn’t disconnect {name}: {formatError(hangUpError)}
        </p>
      )}
    </li>
  );
}

function Detail({ term, value }: { term: string; value: string }) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
