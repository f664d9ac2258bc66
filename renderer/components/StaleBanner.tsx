import { useId, useState } from 'react';
import type { ErrorInfo } from '../../shared/connection';
import { translate } from '../../shared/i18n';
import { formatClockTime } from '../../shared/i18n/intl-format';
import { errorSentence } from '../../shared/i18n/words';

/** The id of the sentence a stale row's disabled buttons point at (aria-describedby). */
export const STALE_REASON_ID = 'stale-reason';

interface StaleBannerProps {
  error: ErrorInfo;
  /** When the list below was last read successfully. */
  readAt: number | null;
  onRetry(): Promise<void>;
  onDiagnostics(): void;
}

/**
 * The backend cannot read: say so in a sentence, say how old the list below is, offer Retry and Diagnostics,
 * and keep the code and the system's text one click away. The announcer says it once (not role="alert",
 * which would repeat it on every failed read).
 */
export function StaleBanner({ error, readAt, onRetry, onDiagnostics }: StaleBannerProps) {
  const [retrying, setRetrying] = useState(false);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const retry = async (): Promise<void> => {
    setRetrying(true);
    await onRetry();
    setRetrying(false);
  };
  return (
    <section className="banner" aria-labelledby="stale-title">
      <svg className="banner-icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
        <path d="M10 2.5 1.75 17h16.5L10 2.5Z" />
        <path d="M10 8v4.25M10 14.6v.01" />
      </svg>
      <div className="banner-text">
        <h2 id="stale-title" className="banner-title">
          {translate('popup', 'stale.title')}
        </h2>
        <p className="banner-message">{errorSentence(error)}</p>
        {readAt !== null && <p className="banner-message">{translate('popup', 'stale.body', { time: formatClockTime(readAt) })}</p>}
        {/* Hidden: read only as the description of the buttons it explains (aria-describedby reads hidden text). */}
        <p id={STALE_REASON_ID} hidden>
          {translate('popup', 'action.unavailable.stale')}
        </p>
        <div className="banner-actions">
          {/* aria-disabled keeps focus on the button while it works. */}
          <button type="button" className="button" aria-disabled={retrying} onClick={() => void (retrying ? null : retry())}>
            {translate('popup', retrying ? 'stale.retrying' : 'stale.retry')}
          </button>
          <button type="button" className="button-link" onClick={onDiagnostics}>
            {translate('popup', 'stale.diagnostics')}
          </button>
          <button type="button" className="button-link" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen((value) => !value)}>
            {translate('popup', open ? 'error.less' : 'error.more')}
          </button>
        </div>
        <p id={detailsId} className="banner-code" hidden={!open}>
          {translate('popup', 'error.code', { code: String(error.code) })} · {translate('popup', 'error.system', { text: error.message })}
        </p>
      </div>
    </section>
  );
}
