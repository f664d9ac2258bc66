import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, isLoopbackDevUrl, popupPageSource, preloadPath, trayIconDir, withCsp } from '../../../electron/app-logic/popup-page';

const mainDir = '/opt/Linkwatch/resources/app.asar/out/main';

describe('popup page: the built renderer in production, the dev server only in development', () => {
  it('a packaged app loads out/renderer/index.html from disk, whatever the environment says', () => {
    const source = popupPageSource({ isPackaged: true, devServerUrl: 'http://localhost:5173', mainDir });
    assert.deepEqual(source, {
      kind: 'file',
      path: '/opt/Linkwatch/resources/app.asar/out/renderer/index.html',
      url: 'file:///opt/Linkwatch/resources/app.asar/out/renderer/index.html',
    });
  });

  it('development uses ELECTRON_RENDERER_URL, but only on loopback', () => {
    assert.deepEqual(popupPageSource({ isPackaged: false, devServerUrl: 'http://localhost:5173', mainDir }), { kind: 'url', url: 'http://localhost:5173' });
    assert.equal(popupPageSource({ isPackaged: false, devServerUrl: 'https://evil.example/', mainDir }).kind, 'file');
    assert.equal(popupPageSource({ isPackaged: false, devServerUrl: undefined, mainDir }).kind, 'file');
    assert.equal(isLoopbackDevUrl('http://127.0.0.1:5173/'), true);
    assert.equal(isLoopbackDevUrl('http://[::1]:5173/'), true);
    assert.equal(isLoopbackDevUrl('file:///etc/passwd'), false);
    assert.equal(isLoopbackDevUrl('not a url'), false);
  });

  it('the preload and the tray icons sit next to the main bundle', () => {
    assert.equal(preloadPath(mainDir), '/opt/Linkwatch/resources/app.asar/out/preload/preload.cjs');
    assert.equal(trayIconDir(mainDir), '/opt/Linkwatch/resources/app.asar/out/tray');
  });
});

describe('Content-Security-Policy', () => {
  it('production allows nothing remote and no inline script', () => {
    const csp = contentSecurityPolicy({ kind: 'file', path: '/x/index.html', url: 'file:///x/index.html' });
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /https?:|ws:|\*/);
  });

  it('development adds only the dev server (and its HMR websocket)', () => {
    const csp = contentSecurityPolicy({ kind: 'url', url: 'http://localhost:5173/' });
    assert.match(csp, /script-src 'self' http:\/\/localhost:5173 'unsafe-inline'/);
    assert.match(csp, /connect-src 'self' http:\/\/localhost:5173 ws:\/\/localhost:5173/);
    assert.doesNotMatch(csp, /\*/);
  });

  it("index.html's <meta> policy has no frame-ancestors (ignored there, and logged as an error); the header keeps it", () => {
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const content = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    assert.ok(content, 'renderer/index.html has a CSP meta tag');
    const directives = (csp: string): Map<string, string> =>
      new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map((words) => [words[0] as string, words.slice(1).join(' ')]));
    const meta = directives(content);
    const header = directives(contentSecurityPolicy({ kind: 'file', path: '/x/index.html', url: 'file:///x/index.html' }));
    assert.equal(meta.has('frame-ancestors'), false);
    assert.equal(header.get('frame-ancestors'), "'none'");
    // Every other directive the same in both: the built page is as strict with or without the header.
    header.delete('frame-ancestors');
    assert.deepEqual(new Map([...meta].sort()), new Map([...header].sort()));
  });

  it('the header replaces any CSP the response brought, whatever its casing', () => {
    const headers = withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' }, "default-src 'none'");
    assert.deepEqual(headers, { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'none'"] });
    assert.deepEqual(withCsp(undefined, 'x'), { 'Content-Security-Policy': ['x'] });
  });

  it('a header named __proto__ stays a header and does not replace the prototype (issue 12)', () => {
    const headers = withCsp(JSON.parse('{"__proto__": "x", "constructor": ["y"]}') as Record<string, string>, 'csp');
    assert.equal(Object.getPrototypeOf(headers), Object.prototype);
    assert.deepEqual(Object.entries(headers), [['__proto__', ['x']], ['constructor', ['y']], ['Content-Security-Policy', ['csp']]]);
  });
});
