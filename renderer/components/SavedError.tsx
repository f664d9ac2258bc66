import type { ErrorInfo } from '../../shared/connection';
import { translate } from '../../shared/i18n';
import { errorSentence } from '../error-words';
import '../rows-catalogue';

/** The saved entries could not be read: a sentence under the list (loads with the first such error). */
export default function SavedError({ error }: { error: ErrorInfo }) {
  return <p className="row-error saved-error">{translate('rows', 'saved.error', { reason: errorSentence(error) })}</p>;
}
