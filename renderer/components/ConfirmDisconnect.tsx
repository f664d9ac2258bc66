import { useEffect, useId, useRef } from 'react';
import { translate } from '../../shared/i18n';

interface ConfirmDisconnectProps {
  name: string;
  busy: boolean;
  onCancel(): void;
  onConfirm(): void;
}

/**
 * The inline confirmation in a row. Focus lands on Cancel: the safe choice is the default one, and
 * Escape cancels (handled by the popup, which knows which confirmation is open).
 */
export function ConfirmDisconnect({ name, busy, onCancel, onConfirm }: ConfirmDisconnectProps) {
  const questionId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="confirm" role="group" aria-labelledby={questionId}>
      <span id={questionId} className="confirm-question">
        {translate('popup', 'confirm.question', { name })}
      </span>
      <span className="confirm-actions">
        {/* aria-disabled, not disabled: a disabled button drops focus to <body>. */}
        <button ref={cancel} type="button" className="button" onClick={() => !busy && onCancel()} aria-disabled={busy}>
          {translate('popup', 'confirm.keep')}
        </button>
        <button type="button" className="button button-danger" onClick={() => !busy && onConfirm()} aria-disabled={busy} aria-busy={busy}>
          {translate('popup', busy ? 'confirm.busy' : 'confirm.disconnect')}
        </button>
      </span>
    </div>
  );
}
