/**
 * Every namespace of the catalogue and its keys, as types taken from the English files (the source of truth).
 * Adding an area: its `en/<area>.json`, one line here, and `addMessages` where it is used (node.ts for Node).
 */
import type common from './en/common.json';

export interface Namespaces {
  common: typeof common;
}

export type Namespace = keyof Namespaces;
