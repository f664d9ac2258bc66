/**
 * The popup's part of the catalogue (shared/i18n): the namespaces the list shows from its first paint, in the
 * locale Chromium reports (Electron's app locale; `en-XA` is the pseudo-locale). Row details, History and
 * Diagnostics register their own namespaces when they load. The build hands these JSON files over as
 * precompiled ASTs (scripts/vite-precompile-messages.ts), which `addMessages` takes as they are.
 */
import { addMessages, enablePseudoLocale, isPseudoLocale, setLocale } from '../shared/i18n';
import common from '../shared/i18n/en/common.json';
import errors from '../shared/i18n/en/errors.json';
import popup from '../shared/i18n/en/popup.json';

setLocale(navigator.language || 'en');
addMessages('common', common);
addMessages('errors', errors);
addMessages('popup', popup);

/** Resolves once the catalogue can word everything: at once, or after loading the pseudo-locale's transforms. */
export function catalogueReady(): Promise<void> {
  if (!isPseudoLocale()) return Promise.resolve();
  return import('../shared/i18n/pseudo').then(({ PSEUDO_TRANSFORMS }) => enablePseudoLocale(PSEUDO_TRANSFORMS));
}
