import type { ErrorInfo } from '../../shared/connection';

/** The backend's error: said once by screen readers (alert), while the last good list stays below it. */
export function ErrorBanner({ error, hasList }: { error: ErrorInfo; hasList: boolean }) {
  return (
    <div className="banner" role="alert">
      <svg className="banner-icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
        <path d="M10 2.5 1.75 17h16.5L10 2.5Z" />
        <path d="M10 8v4.25M10 14.6v.01" />
      </svg>
      <div className="banner-text">
        <strong>Can’t read connections</strong>
        <span className="banner-message">{error.message}</span>
        <span className="banner-code">
          Code {String(error.code)}
          {hasList ? ' · showing the last known list' : ''}
        </span>
      </div>
    </div>
  );
}
