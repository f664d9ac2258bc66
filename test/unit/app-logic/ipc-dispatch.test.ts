import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REQUEST_CHANNELS, type IpcResult } from '../../../shared/ipc';
import { createDispatcher, isTrustedSender, type RequestHandlers, type SenderInfo } from '../../../electron/app-logic/ipc-dispatch';
import { snapshot } from './connections';

const POPUP_URL = 'file:///opt/Linkwatch/resources/app.asar/out/renderer/index.html';
const popup: SenderInfo = { webContentsId: 7, frameUrl: POPUP_URL, isMainFrame: true };

function handlers(overrides: Partial<RequestHandlers> = {}): { handlers: RequestHandlers; calls: string[] } {
  const calls: string[] = [];
  const base: RequestHandlers = {
    'connections:subscribe': () => {
      calls.push('subscribe');
      return snapshot([]);
    },
    'connections:refresh': () => {
      calls.push('refresh');
      return snapshot([]);
    },
    'connections:hang-up': (id) => {
      calls.push(`hang-up ${id}`);
      return null;
    },
    'connections:saved': () => ({ available: false, entries: [], error: null }),
    'connections:connect': (name) => {
      calls.push(`connect ${name}`);
      return null;
    },
    'connections:cancel': (id) => {
      calls.push(`cancel ${id}`);
      return null;
    },
    'settings:get': () => ({ notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null }),
    'settings:set': (patch) => {
      calls.push(`set ${JSON.stringify(patch)}`);
      return { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null, ...patch };
    },
    'popup:hide': () => {
      calls.push('hide');
      return null;
    },
    'connections:keep': (name, on) => {
      calls.push(`keep ${name} ${on}`);
      return [];
    },
    'connections:mute-health': (name, muted) => {
      calls.push(`mute ${name} ${muted}`);
      return { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null };
    },
    'connections:probe': (name, on) => {
      calls.push(`probe ${name} ${on}`);
      return { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null };
    },
    'diagnostics:get': () => {
      calls.push('diagnostics');
      return { platform: 'linux', backend: 'netlink', updates: 'push', error: null, connections: 0, takenAt: null, parts: [], interfaces: [], notes: [], policy: null, routing: null };
    },
    'settings:policy': () => ({ locked: [], hideConnectControls: false }),
    'history:sessions': () => [],
    'history:days': () => [],
  };
  return { handlers: { ...base, ...overrides }, calls };
}

function dispatcher(overrides: Partial<RequestHandlers> = {}) {
  const made = handlers(overrides);
  const logged: string[] = [];
  const dispatch = createDispatcher(made.handlers, {
    isTrusted: (sender) => isTrustedSender(sender, { webContentsId: 7, url: POPUP_URL }),
    log: (message) => logged.push(message),
  });
  return { ...dispatch, calls: made.calls, logged };
}

function errorCode(result: IpcResult<unknown>): string | number | undefined {
  return result.ok ? undefined : result.error.code;
}

describe('IPC dispatch: every request answers an IpcResult, nothing throws into the renderer', () => {
  it('a good call runs its handler and answers its value', async () => {
    const d = dispatcher();
    const result = await d.dispatch('connections:hang-up', popup, ['conn-1']);
    assert.deepEqual(result, { ok: true, value: null });
    assert.deepEqual(d.calls, ['hang-up conn-1']);
    assert.deepEqual(await d.dispatch('settings:set', popup, [{ notifications: false }]), {
      ok: true,
      value: { notifications: false, startAtLogin: false, historyDays: 90, exportDirectory: null },
    });
  });

  it('an unknown channel is refused without running anything', async () => {
    const d = dispatcher();
    for (const channel of ['settings:delete', '__proto__', 'constructor', 42, null]) {
      const result = await d.dispatch(channel, popup, []);
      assert.equal(errorCode(result), 'EUNKNOWNCHANNEL', String(channel));
    }
    assert.deepEqual(d.calls, []);
  });

  it('bad arguments are refused with a readable message, and the handler never sees them', async () => {
    const d = dispatcher();
    const cases: [string, unknown[]][] = [
      ['connections:hang-up', []],
      ['connections:hang-up', ['']],
      ['connections:hang-up', [42]],
      ['connections:hang-up', ['a', 'b']],
      ['settings:set', [{ notifications: 'yes' }]],
      ['settings:set', [{ theme: 'dark' }]],
      ['popup:hide', ['now']],
      // A saved connection is named, never located: one string, within RAS's entry-name length.
      ['connections:connect', []],
      ['connections:connect', ['']],
      ['connections:connect', ['x'.repeat(257)]],
      ['connections:connect', ['Office', 'C:\\evil.pbk']],
      ['connections:connect', [{ name: 'Office', phonebook: 'C:\\evil.pbk' }]],
      ['connections:cancel', [7]],
      ['connections:cancel', []],
    ];
    for (const [channel, args] of cases) {
      const result = await d.dispatch(channel, popup, args);
      assert.equal(errorCode(result), 'EINVALIDARGS', `${channel} ${JSON.stringify(args)}`);
      assert.ok(!result.ok && result.error.message.startsWith(channel));
    }
    assert.deepEqual(d.calls, []);
  });

  it('a call from anything but the popup page is refused and logged', async () => {
    const d = dispatcher();
    const strangers: SenderInfo[] = [
      { ...popup, webContentsId: 8 },
      { ...popup, isMainFrame: false },
      { ...popup, frameUrl: null },
      { ...popup, frameUrl: 'https://example.com/' },
      { ...popup, frameUrl: 'file:///tmp/evil.html' },
    ];
    for (const sender of strangers) {
      const result = await d.dispatch('popup:hide', sender, []);
      assert.equal(errorCode(result), 'EFORBIDDEN', JSON.stringify(sender));
    }
    assert.deepEqual(d.calls, []);
    assert.equal(d.logged.length, strangers.length);
  });

  it('the popup page with a hash or query is still the popup', async () => {
    const d = dispatcher();
    const result = await d.dispatch('popup:hide', { ...popup, frameUrl: `${POPUP_URL}#/settings` }, []);
    assert.deepEqual(result, { ok: true, value: null });
  });

  it('a handler that throws or rejects becomes an error result with its code', async () => {
    const failure = Object.assign(new Error('the rasapi32 backend cannot hang up'), { code: 'ENOTSUP' });
    const d = dispatcher({
      'connections:hang-up': async () => {
        throw failure;
      },
      'settings:get': () => {
        throw 'not an Error';
      },
    });
    assert.deepEqual(await d.dispatch('connections:hang-up', popup, ['x']), {
      ok: false,
      error: { code: 'ENOTSUP', message: 'the rasapi32 backend cannot hang up' },
    });
    assert.deepEqual(await d.dispatch('settings:get', popup, []), { ok: false, error: { code: 'EUNKNOWN', message: 'not an Error' } });
  });

  it('a trust check that throws refuses instead of crashing', async () => {
    const d = createDispatcher(handlers().handlers, {
      isTrusted: () => {
        throw new Error('frame disposed');
      },
      log: () => {},
    });
    assert.equal(errorCode(await d.dispatch('popup:hide', popup, [])), 'EFORBIDDEN');
  });

  describe('answers an error value, never rejects, for hostile channels and handler throws (issue 12)', () => {
    const boom = (): never => {
      throw new Error('trap');
    };
    const hostile: [string, () => unknown][] = [
      ['a null-prototype object', () => Object.create(null)],
      ['an object whose toString throws', () => ({ toString: boom })],
      ['a Proxy whose traps throw', () => new Proxy({}, { get: boom, getPrototypeOf: boom })],
      ['a symbol', () => Symbol('channel')],
    ];
    for (const [what, make] of hostile) {
      it(`a channel that is ${what}: EUNKNOWNCHANNEL`, async () => {
        const d = dispatcher();
        const result = await d.dispatch(make(), popup, []);
        assert.equal(errorCode(result), 'EUNKNOWNCHANNEL');
        assert.equal(typeof (!result.ok && result.error.message), 'string');
        assert.deepEqual(d.calls, []);
      });
      it(`a handler that throws ${what}: an error result`, async () => {
        const value = make();
        const d = dispatcher({
          'settings:get': () => {
            throw value;
          },
        });
        const result = await d.dispatch('settings:get', popup, []);
        assert.equal(errorCode(result), 'EUNKNOWN');
      });
    }

    it('a log that throws while formatting the failure does not turn the answer into a rejection', async () => {
      const d = createDispatcher(
        {
          ...handlers().handlers,
          'settings:get': () => {
            throw Object.create(null);
          },
        },
        { isTrusted: () => true, log: boom },
      );
      assert.equal(errorCode(await d.dispatch('settings:get', popup, [])), 'EUNKNOWN');
      assert.equal(errorCode(await d.dispatch('nope', popup, [])), 'EUNKNOWNCHANNEL');
    });
  });

  it('every request channel of the contract is dispatchable', async () => {
    const d = dispatcher();
    const good: Record<string, unknown[]> = { 'connections:hang-up': ['id'], 'settings:set': [{}], 'connections:connect': ['Office'], 'connections:cancel': ['ras:1'], 'history:sessions': [{}], 'history:days': [7], 'connections:keep': ['Office', true], 'connections:mute-health': ['Office', true], 'connections:probe': ['Office', true] };
    for (const channel of REQUEST_CHANNELS) {
      const result = await d.dispatch(channel, popup, good[channel] ?? []);
      assert.equal(result.ok, true, channel);
    }
  });
});

describe('isTrustedSender', () => {
  it('the dev server page is trusted by origin, other origins are not', () => {
    const page = { webContentsId: 3, url: 'http://localhost:5173/' };
    const sender = (frameUrl: string): SenderInfo => ({ webContentsId: 3, frameUrl, isMainFrame: true });
    assert.equal(isTrustedSender(sender('http://localhost:5173/index.html'), page), true);
    assert.equal(isTrustedSender(sender('http://localhost:5174/'), page), false);
    assert.equal(isTrustedSender(sender('http://127.0.0.1:5173/'), page), false);
  });

  it('file: URLs are compared whole, host included: another host\'s index.html is not the popup (issue 12)', () => {
    const page = { webContentsId: 7, url: POPUP_URL };
    const at = (frameUrl: string): boolean => isTrustedSender({ ...popup, frameUrl }, page);
    assert.equal(at(POPUP_URL), true);
    assert.equal(at('file://localhost/opt/Linkwatch/resources/app.asar/out/renderer/index.html'), true, 'localhost is the empty host of file:');
    assert.equal(at('file:///opt/Linkwatch/resources/app.asar/out/renderer/index%2Ehtml'), true, 'the same file, percent-encoded');
    assert.equal(at('file://other.host/opt/Linkwatch/resources/app.asar/out/renderer/index.html'), false);
    assert.equal(at('file://192.0.2.1/opt/Linkwatch/resources/app.asar/out/renderer/index.html'), false);
    assert.equal(at('file:///opt/Linkwatch/resources/app.asar/out/renderer/other.html'), false);
    assert.equal(at('file:///opt/Linkwatch/%E0%A4%A'), false, 'a path that does not decode is not ours, and does not throw');
    assert.equal(at('not a url'), false);
  });

  it("Windows: an app started from c:\\… is trusted by the page Chromium shows as file:///C:/… (drive letters are case-insensitive)", () => {
    // What popup-page.ts computes with Node's pathToFileURL on Windows for a lower-case start path…
    const expected = pathToFileURL('c:\\Users\\ann\\AppData\\Local\\Programs\\Linkwatch\\resources\\app.asar\\out\\renderer\\index.html', { windows: true }).href;
    assert.equal(expected, 'file:///c:/Users/ann/AppData/Local/Programs/Linkwatch/resources/app.asar/out/renderer/index.html');
    // …and the frame URL Chromium reports for it (url_canon_fileurl.cc upper-cases the drive letter).
    const shown = 'file:///C:/Users/ann/AppData/Local/Programs/Linkwatch/resources/app.asar/out/renderer/index.html';
    const page = { webContentsId: 7, url: expected };
    assert.equal(isTrustedSender({ ...popup, frameUrl: shown }, page, 'win32'), true);
    assert.equal(isTrustedSender({ ...popup, frameUrl: shown }, { ...page, url: shown.replace('/C:/', '/c:/') }, 'win32'), true);
    // Only the drive letter: another drive, another folder's case, another file are not the popup.
    assert.equal(isTrustedSender({ ...popup, frameUrl: shown.replace('/C:/', '/D:/') }, page, 'win32'), false);
    assert.equal(isTrustedSender({ ...popup, frameUrl: shown.replace('/Users/ann/', '/USERS/ANN/') }, page, 'win32'), false);
    assert.equal(isTrustedSender({ ...popup, frameUrl: shown.replace('index.html', 'other.html') }, page, 'win32'), false);
    // A UNC share keeps its host check.
    assert.equal(isTrustedSender({ ...popup, frameUrl: 'file://server/C:/x/index.html' }, { ...page, url: 'file:///C:/x/index.html' }, 'win32'), false);
    // On Linux and macOS `/c:/` is a folder named "c:", and its case counts.
    assert.equal(isTrustedSender({ ...popup, frameUrl: 'file:///C:/x/index.html' }, { ...page, url: 'file:///c:/x/index.html' }, 'linux'), false);
  });

  it('nothing is trusted before the popup exists', () => {
    assert.equal(isTrustedSender(popup, { webContentsId: null, url: POPUP_URL }), false);
  });
});
