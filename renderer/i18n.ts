/**
 * The popup's part of the catalogue (shared/i18n): the namespaces the list shows from its first paint, in the
 * locale Chromium reports (Electron's app locale); the History and Diagnostics views register their own
 * namespaces when they load. The build hands these JSON files over as precompiled ASTs
 * (scripts/vite-precompile-messages.ts), which `addMessages` takes as they are.
 */
import common from '../shared/i18n/en/common.json';
import { addMessages, setLocale } from '../shared/i18n';

setLocale(navigator.language || 'en');
addMessages('common', common);
