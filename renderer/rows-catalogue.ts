/**
 * The `rows` namespace (what a row, its actions, its errors, the stale banner and the announcer say): every
 * module that words with it imports this file, so it is registered with the first of them to load. Not part of
 * the first paint (issue 22: < 75 KB gzip), which words only the header, the tabs, "Reading connections…" and
 * the footer (the `popup` namespace, ./i18n.ts).
 */
import { addMessages } from '../shared/i18n';
import rows from '../shared/i18n/en/rows.json';

addMessages('rows', rows);
