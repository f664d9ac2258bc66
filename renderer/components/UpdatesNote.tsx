import type { UpdateMode } from '../../shared/connection';
import { translate } from '../../shared/i18n';

/** A quiet line saying how the list is kept current (Snapshot.updates). */
export function UpdatesNote({ updates }: { updates: UpdateMode | null }) {
  if (updates === null) return null;
  return (
    <p className="updates-note" title={translate('popup', updates === 'push' ? 'updates.push.title' : 'updates.poll.title')}>
      {translate('popup', updates === 'push' ? 'updates.push' : 'updates.poll')}
    </p>
  );
}
