/**
 * Where the popup's page comes from and what it may do. Production loads the built renderer from disk; the
 * electron-vite dev server is used only in an unpackaged app, only on loopback. Nothing remote, ever.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type PageSource = { kind: 'file'; path: string; url: string } | { kind: 'url'; url: string };

export interface PageSourceInput {
  isPackaged: boolean;
  /** `process.env.ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
  /** The folder of the built main script (out/main). */
  mainDir: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A dev server URL we agree to load: http(s) on this machine. */
export function isLoopbackDevUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

export function popupPageSource(input: PageSourceInput): PageSource {
  if (!input.isPackaged && input.devServerUrl && isLoopbackDevUrl(input.devServerUrl)) {
    return { kind: 'url', url: input.devServerUrl };
  }
  const path = join(input.mainDir, '..', 'renderer', 'index.html');
  return { kind: 'file', path, url: pathToFileURL(path).href };
}

export function preloadPath(mainDir: string): string {
  return join(mainDir, '..', 'preload', 'preload.cjs');
}

/**
 * The popup's Content-Security-Policy. Production: only the app's own files. Dev adds what Vite needs: its
 * origin, its HMR websocket, inline <style> and the inline React refresh preamble it injects into index.html.
 */
export function contentSecurityPolicy(source: PageSource): string {
  // Production matches the meta CSP of renderer/index.html; both apply, so the stricter of the two wins.
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:'],
    ['font-src', "'self'"],
    ['connect-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
    ['object-src', "'none'"],
  ];
  if (source.kind === 'url') {
    const origin = new URL(source.url).origin;
    const ws = origin.replace(/^http/, 'ws');
    for (const directive of directives) {
      if (directive[0] === 'script-src') directive.push(origin, "'unsafe-inline'");
      // Vite injects CSS as <style> elements in dev.
      if (directive[0] === 'style-src') directive.push(origin, "'unsafe-inline'");
      if (directive[0] === 'connect-src') directive.splice(1, directive.length - 1, "'self'", origin, ws);
      if (directive[0] === 'img-src' || directive[0] === 'font-src') directive.push(origin);
    }
  }
  return directives.map((directive) => directive.join(' ')).join('; ');
}

/**
 * Response headers with our CSP set (any CSP the response brought is replaced, whatever its casing). Built with
 * Object.fromEntries, which defines each name as an own property: a header called `__proto__` stays a header
 * instead of replacing the result's prototype.
 */
export function withCsp(headers: Record<string, string[] | string> | undefined, csp: string): Record<string, string[]> {
  const entries: [string, string[]][] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    entries.push([name, Array.isArray(value) ? value : [value]]);
  }
  entries.push(['Content-Security-Policy', [csp]]);
  return Object.fromEntries(entries);
}

/**
 * Tray and notification icons: copied next to the built main process by the build (electron.vite.config.ts),
 * so the same relative path works in development and inside the packaged app.asar.
 */
export function trayIconDir(mainDir: string): string {
  return join(mainDir, '..', 'tray');
}
