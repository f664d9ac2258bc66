/**
 * Vite plugin for the popup: the catalogue's JSON files (shared/i18n/<language>/*.json) become their ICU
 * message ASTs at build time, so the renderer runs intl-messageformat without its parser (FormatJS's
 * documented "no-parser" entry of @formatjs/icu-messageformat-parser, aliased below): about 7 KB gzip less
 * in the JavaScript that loads before the popup's first paint. A message that does not parse fails the build.
 */
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { PRECOMPILED } from '../shared/i18n/precompiled';
import type { Plugin } from 'vite';

const CATALOGUE_FILE = /[\\/]shared[\\/]i18n[\\/][^\\/]+[\\/][^\\/]+\.json$/;

export function precompileMessages(): Plugin {
  return {
    name: 'linkwatch-precompile-messages',
    enforce: 'pre',
    config: () => ({
      resolve: { alias: [{ find: /^@formatjs\/icu-messageformat-parser$/, replacement: '@formatjs/icu-messageformat-parser/no-parser.js' }] },
    }),
    transform(code, id) {
      if (!CATALOGUE_FILE.test(id.split('?')[0] ?? id)) return null;
      const messages = JSON.parse(code) as Record<string, string>;
      const compiled: Record<string, unknown> = { [PRECOMPILED]: true };
      for (const [key, message] of Object.entries(messages)) {
        try {
          // The same options as the runtime (shared/i18n/index.ts): `<` is text.
          const ast = parse(message, { ignoreTag: true });
          // A message that is only text ships as that text (unescaped): most of the popup's are, and a
          // string is smaller than its AST and needs no formatter at run time.
          const only = ast[0];
          compiled[key] = ast.length === 0 ? '' : ast.length === 1 && only?.type === TYPE.literal ? only.value : ast;
        } catch (error) {
          this.error(`${id}: message "${key}" does not parse: ${(error as Error).message}`);
        }
      }
      // Still JSON: Vite's own JSON plugin makes the module, as for any other JSON import.
      return { code: JSON.stringify(compiled), map: null };
    },
  };
}
