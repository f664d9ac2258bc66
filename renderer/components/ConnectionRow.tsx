import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/connection';
import { formatRate } from '../../shared/format';
import { translate } from '../../shared/i18n';
import { errorSentence } from '../error-words';
import type { Row } from '../rows';
import { rowType, statusWord, stepWord } from '../words';
import { Elapsed } from './Elapsed';
import { KindIcon } from './KindIcon';
import { StateMark } from './StateMark';
import { STALE_REASON_ID } from '../stale-reason';
import '../rows-catalogue';
import { HealthBadge } from './HealthBadge';

// Not part of the first paint (issue 22: < 75 KB gzip): the details and the confirmation load when first
// needed, and App prefetches both half a second after the first paint, so a click finds them ready.
const RowDetails = lazy(() => import('./RowDetails'));
const ConfirmDisconnect = lazy(() => import('./ConfirmDisconnect'));

interface ConnectionRowProps {
  row: Row;
  /** The row that holds the list's single tab stop (roving tabindex). */
  active: boolean;
  stale: boolean;
  readAt: number | null;
  confirming: boolean;
  onFocusWithin(): void;
  onAskDisconnect(key: string): void;
  onCancelDisconnect(): void;
  hangUp(id: string): Promise<ErrorInfo | null>;
  connect(name: string): Promise<ErrorInfo | null>;
  cancel(connectionId: string): Promise<ErrorInfo | null>;
}

const ACTION_LABELS = {
  connect: ['action.connect', 'action.connect.name'],
  retry: ['action.retry', 'action.retry.name'],
  'cancel-dial': ['action.cancel', 'action.cancel.name'],
  'cancel-connecting': ['action.cancel', 'action.cancel.name'],
  disconnect: ['action.disconnect', 'action.disconnect.name'],
} as const;

/**
 * One row of the list, about 52 px: icon, name, status and type on one line (the main button, whose
 * accessible name is exactly that: it never changes by itself), live figures beside it (time up, rates, the
 * dialling step: outside every accessible name), and one button whose job follows the state. Click or Enter
 * on the main button opens the details.
 */
export function ConnectionRow({ row, active, stale, readAt, confirming, onFocusWithin, onAskDisconnect, onCancelDisconnect, hangUp, connect, cancel }: ConnectionRowProps) {
  const detailsId = useId();
  const errorId = useId();
  const [expanded, setExpanded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<{ error: ErrorInfo; action: 'hangUp' | 'connect' } | null>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(confirming);
  const tabIndex = active ? 0 : -1;
  const { connection } = row;

  // When the confirmation closes while focus was in it, hand focus back to the row's button.
  useEffect(() => {
    if (wasConfirming.current && !confirming) {
      const focused = document.activeElement;
      if (!focused || focused === document.body || actionRef.current?.closest('li')?.contains(focused)) actionRef.current?.focus();
    }
    wasConfirming.current = confirming;
  }, [confirming]);

  const run = async (kind: 'hangUp' | 'connect', call: () => Promise<ErrorInfo | null>): Promise<void> => {
    setBusy(true);
    const error = await call();
    setBusy(false);
    setActionError(error ? { error, action: kind } : null);
  };

  const confirmHangUp = async (): Promise<void> => {
    if (row.target) await run('hangUp', () => hangUp(row.target as string));
    onCancelDisconnect();
  };

  const waiting = row.action === 'cancel-dial' && row.target === null;
  const unavailable = stale || waiting || busy;
  const onAction = (): void => {
    if (unavailable || !row.action) return;
    switch (row.action) {
      case 'connect':
      case 'retry':
        if (row.entry) void run('connect', () => connect(row.entry!.name));
        return;
      case 'cancel-dial':
        if (row.target) void run('connect', () => cancel(row.target as string));
        return;
      case 'cancel-connecting':
        if (row.target) void run('hangUp', () => hangUp(row.target as string));
        return;
      case 'disconnect':
        onAskDisconnect(row.key);
    }
  };

  const rates = connection && !stale && connection.state === 'connected' && connection.rateIn !== null && connection.rateOut !== null ? connection : null;
  const upSince = connection?.state === 'connected' ? connection.connectedSince : null;
  const step = row.status === 'connecting' ? row.step : null;
  const failure = row.failure;
  // A refused action first, then a failed dial, then what the backend last reported for the connection.
  const shownError = actionError?.error ?? failure ?? connection?.lastError ?? null;
  return (
    <li className={`row row-${row.status}${expanded ? ' row-open' : ''}`} data-row-key={row.key} onFocus={onFocusWithin}>
      <div className="row-line">
        <button type="button" className="row-main" data-row-main="" tabIndex={tabIndex} aria-expanded={expanded} aria-controls={detailsId} onClick={() => setExpanded((open) => !open)}>
          <span className={`kind kind-${row.kind}`}>
            <KindIcon kind={row.kind} />
          </span>
          <span className="row-text">
            <span className="row-title">
              <span className="row-name" title={row.name}>
                {row.name}
                <span className="name-separator">,</span>
              </span>
              {/* The affordance: the row opens (and closes) its details. */}
              <svg className="chevron" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false">
                <path d="M3 1.5 6.5 5 3 8.5" />
              </svg>
            </span>
            <span className="row-sub">
              <span className={`state state-${row.status}`}>
                <StateMark status={row.status} />
                {statusWord(row.status)}
              </span>
              {' '}
              <span className="row-type">· {rowType(row)}</span>
            </span>
          </span>
        </button>
        {row.action && !confirming && (
          <button
            ref={actionRef}
            type="button"
            className={`button row-action${row.action === 'connect' || row.action === 'retry' ? ' button-primary' : ''}`}
            data-row-action=""
            tabIndex={tabIndex}
            aria-label={translate('rows', ACTION_LABELS[row.action][1], { name: row.name })}
            // aria-disabled, not disabled: a disabled button drops focus, and this one changes its job under it.
            aria-disabled={unavailable}
            aria-describedby={stale ? STALE_REASON_ID : shownError ? errorId : undefined}
            title={stale ? translate('rows', 'action.unavailable.stale') : waiting ? translate('rows', 'action.unavailable.starting') : undefined}
            onClick={onAction}
          >
            {translate('rows', ACTION_LABELS[row.action][0])}
          </button>
        )}
      </div>
      {row.connection && <HealthBadge connection={row.connection} />}
      {(upSince !== null || rates || step) && (
        <p className="row-figures">
          {upSince !== null && <Elapsed since={upSince} frozenAt={stale ? readAt : null} />}
          {rates && (
            <>
              <span className="rate" title={translate('rows', 'rates.received')}>
                <span aria-hidden="true">↓ </span>
                <span className="visually-hidden">{translate('rows', 'rates.received')} </span>
                {formatRate(rates.rateIn ?? 0)}
              </span>
              <span className="rate" title={translate('rows', 'rates.sent')}>
                <span aria-hidden="true">↑ </span>
                <span className="visually-hidden">{translate('rows', 'rates.sent')} </span>
                {formatRate(rates.rateOut ?? 0)}
              </span>
            </>
          )}
          {step && <span className="row-step">{translate('rows', 'row.step', { step: stepWord(step) })}</span>}
        </p>
      )}

      {shownError && (
        <p id={errorId} className="row-error" role={actionError ? 'alert' : undefined}>
          {actionError ? translate('rows', actionError.action === 'hangUp' ? 'error.hangUp' : 'error.connect', { reason: errorSentence(shownError) }) : errorSentence(shownError)}{' '}
          {!expanded && (
            <button type="button" className="button-link" aria-controls={detailsId} aria-expanded={false} onClick={() => setExpanded(true)}>
              {translate('rows', 'error.more')}
            </button>
          )}
        </p>
      )}

      {confirming && (
        <Suspense fallback={null}>
          <ConfirmDisconnect name={row.name} busy={busy} onCancel={onCancelDisconnect} onConfirm={() => void confirmHangUp()} />
        </Suspense>
      )}

      <div id={detailsId} className="details-slot" hidden={!expanded}>
        {expanded && (
          <Suspense fallback={null}>
            <RowDetails row={row} error={shownError} stale={stale} readAt={readAt} />
          </Suspense>
        )}
      </div>
    </li>
  );
}
