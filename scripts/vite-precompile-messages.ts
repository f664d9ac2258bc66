/**
 * Vite plugin for the popup: the catalogue's JSON files (shared/i18n/<language>/*.json) become their ICU
 * message ASTs at build time, so the renderer runs intl-messageformat without its parser (FormatJS's
 * documented "no-parser" entry of @formatjs/icu-messageformat-parser, aliased below): about 7 KB gzip less
 * in the JavaScript that loads before the popup's first paint. A message that does not parse fails the build.
 */
import { parse } from '@formatjs/icu-messageformat-parser';
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
      const compiled: Record<string, unknown> = {};
      for (const [key, message] of Object.entries(messages)) {
        try {
          // The same options as the runtime (shared/i18n/index.ts): `<` is text.
          compiled[key] = parse(message, { ignoreTag: true });
        } catch (error) {
          this.error(`${id}: message "${key}" does not parse: ${(error as Error).message}`);
        }
      }
      // Still JSON: Vite's own JSON plugin makes the module, as for any other JSON import.
      return { code: JSON.stringify(compiled), map: null };
    },
  };
}
