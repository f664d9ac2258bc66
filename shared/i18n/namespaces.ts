/**
 * Every namespace of the catalogue and its keys, as types taken from the English files (the source of truth).
 * Adding an area: its `en/<area>.json`, one line here, and `addMessages` where it is used (node.ts for Node).
 */
import type cli from './en/cli.json';
import type common from './en/common.json';
import type details from './en/details.json';
import type diagnostics from './en/diagnostics.json';
import type errors from './en/errors.json';
import type history from './en/history.json';
import type notifications from './en/notifications.json';
import type popup from './en/popup.json';
import type tray from './en/tray.json';

export interface Namespaces {
  cli: typeof cli;
  common: typeof common;
  details: typeof details;
  diagnostics: typeof diagnostics;
  errors: typeof errors;
  history: typeof history;
  notifications: typeof notifications;
  popup: typeof popup;
  tray: typeof tray;
}

export type Namespace = keyof Namespaces;
