import { translate } from '../../shared/i18n';

export function EmptyState() {
  return (
    <div className="empty">
      <svg className="empty-icon" viewBox="0 0 20 20" width="32" height="32" aria-hidden="true" focusable="false">
        <path d="M8.3 11.7 11.7 8.3M9.2 6.1l1.6-1.6a3 3 0 0 1 4.25 4.25l-1.6 1.6M10.8 13.9l-1.6 1.6a3 3 0 0 1-4.25-4.25l1.6-1.6" />
        <path d="M3 3l14 14" />
      </svg>
      <p className="empty-title">{translate('popup', 'list.empty')}</p>
      <p className="empty-hint">{translate('popup', 'list.emptyHint')}</p>
    </div>
  );
}
