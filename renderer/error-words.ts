/**
 * An error as a sentence, for the popup: the `errors` namespace is registered by whichever view first needs
 * it (a row's error, the stale banner, the details, History, Diagnostics, the announcer), not before the first
 * paint (issue 22: < 75 KB gzip). Every renderer module takes errorSentence from here, never from
 * shared/i18n/words directly, so the namespace is always there when a sentence is asked for.
 */
import { addMessages } from '../shared/i18n';
import errors from '../shared/i18n/en/errors.json';

addMessages('errors', errors);

export { errorSentence } from '../shared/i18n/words';
