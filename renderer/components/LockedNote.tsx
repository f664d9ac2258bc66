import { translate } from '../../shared/i18n';

/**
 * "Set by your organisation" beside a setting the administrator's policy locks (issue 27; the tray menu says
 * the same under its items). The control points at it with aria-describedby, so a screen reader says why the
 * control is unavailable, not only that it is.
 */
export function LockedNote({ id }: { id: string }) {
  return (
    <span id={id} className="locked-note">
      <svg className="locked-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
        <path d="M5 7V5a3 3 0 0 1 6 0v2M4 7h8v6H4z" />
      </svg>
      {translate('common', 'policy.locked')}
    </span>
  );
}
