import { cp, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { precompileMessages } from './scripts/vite-precompile-messages';

/**
 * The tray icons travel with the built main process (out/tray/), so development and the packaged app find
 * them at the same place next to out/main/main.js, inside app.asar. They are made by `npm run icons`
 * (prestart/prebuild run it).
 */
function trayIcons(): Plugin {
  const from = resolve('build/generated/tray');
  return {
    name: 'linkwatch-tray-icons',
    async writeBundle(options) {
      const outDir = options.dir ?? resolve('out/main');
      try {
        await stat(from);
      } catch {
        this.error(`tray icons missing: ${from} does not exist; run \`npm run icons\` first`);
      }
      await cp(from, resolve(outDir, '..', 'tray'), { recursive: true });
    },
  };
}

/**
 * `electron-vite dev` injects an inline React-refresh script and a hot-reload websocket, both of which the
 * popup's strict meta CSP forbids. In dev only, drop the meta tag: the main process sends the dev policy as
 * a header (popup-page.ts). Production builds keep the strict tag.
 */
function devCsp(): Plugin {
  return {
    name: 'linkwatch-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
  };
}

// One build for the three parts, and the CLI next to main (`bin/linkwatch.js` runs out/main/cli.js). The
// core process is an entry of its own: main.ts starts out/main/core-process.js as a utilityProcess, and
// main.js shares no chunk with it (nothing native reaches the main process).
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          main: resolve('electron/main.ts'),
          cli: resolve('electron/core/cli.ts'),
          'core-process': resolve('electron/core/host/core-process.ts'),
        },
      },
    },
    plugins: [trayIcons()],
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron' (and a few Node built-ins): everything else, zod
      // from shared/ipc.ts included, is bundled in. And it cannot be an ES module: CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    build: {
      // electron-vite leaves the renderer unminified by default: 113 KB gzip instead of 71.
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
    plugins: [precompileMessages(), react(), devCsp()],
  },
});
