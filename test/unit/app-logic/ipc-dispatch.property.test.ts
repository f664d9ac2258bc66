/**
 * The IPC dispatcher over arbitrary channels, arguments, senders and handler outcomes (property): it always
 * answers an IpcResult and never throws or rejects; a handler runs only for a known channel, a trusted
 * sender and arguments its schema accepts; and only the popup's own file, on our own host, is trusted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { REQUEST_CHANNELS, requestArgs, type IpcResult } from '../../../shared/ipc';
import { createDispatcher, isTrustedSender, type RequestHandlers, type SenderInfo } from '../../../electron/app-logic/ipc-dispatch';
import { anyThrown, check, checkAsync, PROTOTYPE_NAMES, type Thrown } from '../../support/property';
import { snapshot } from './connections';

const POPUP_PATH = '/opt/Linkwatch/resources/app.asar/out/renderer/index.html';
const POPUP_URL = `file://${POPUP_PATH}`;
const PAGE = { webContentsId: 7, url: POPUP_URL };

type Outcome = { kind: 'return' } | { kind: 'throw'; thrown: Thrown } | { kind: 'reject'; thrown: Thrown };

const channel = fc.oneof(
  fc.constantFrom(...REQUEST_CHANNELS),
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.string({ maxLength: 24 }),
  anyThrown.map((t) => ({ hostileChannel: t })),
);
/** Arguments: often well-formed for some channel, otherwise anything. */
const args = fc.oneof(
  fc.constantFrom([], ['ras:1'], [{ notifications: false }], [{ startAtLogin: true, notifications: true }]),
  fc.array(fc.anything(), { maxLength: 3 }),
);
const sender: fc.Arbitrary<SenderInfo> = fc.record({
  webContentsId: fc.constantFrom(7, 8),
  frameUrl: fc.oneof(fc.constant(POPUP_URL), fc.constant(null), fc.webUrl(), fc.string({ maxLength: 30 })),
  isMainFrame: fc.boolean(),
});
const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  fc.constant({ kind: 'return' as const }),
  anyThrown.map((thrown) => ({ kind: 'throw' as const, thrown })),
  anyThrown.map((thrown) => ({ kind: 'reject' as const, thrown })),
);

function isIpcResult(result: IpcResult<unknown>): boolean {
  if (result.ok) return 'value' in result;
  return (typeof result.error.code === 'string' || typeof result.error.code === 'number') && typeof result.error.message === 'string';
}

describe('IPC dispatch over arbitrary input (property)', () => {
  it('always an IpcResult; a handler runs only for a known channel, a trusted sender and valid arguments', async () => {
    await checkAsync(
      fc.asyncProperty(channel, args, sender, outcome, async (picked, callArgs, from, then) => {
        const ran: string[] = [];
        const act = (name: string, value: unknown) => {
          ran.push(name);
          if (then.kind === 'throw') throw then.thrown.make();
          if (then.kind === 'reject') return Promise.reject(then.thrown.make());
          return value;
        };
        const handlers = Object.fromEntries(
          REQUEST_CHANNELS.map((c) => [c, (...a: unknown[]) => act(c, c === 'connections:subscribe' ? snapshot([]) : c.startsWith('settings') ? { notifications: true, startAtLogin: false, ...(a[0] as object) } : null)]),
        ) as unknown as RequestHandlers;
        const logged: unknown[] = [];
        const d = createDispatcher(handlers, { isTrusted: (s) => isTrustedSender(s, PAGE), log: (m, detail) => logged.push(m, detail) });
        const ch = typeof picked === 'object' && 'hostileChannel' in picked ? picked.hostileChannel.make() : picked;
        const result = await d.dispatch(ch, from, callArgs);
        assert.ok(isIpcResult(result), JSON.stringify(result));
        const known = typeof ch === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(ch);
        const trusted = from.webContentsId === 7 && from.isMainFrame && from.frameUrl === POPUP_URL;
        const valid = known && requestArgs[ch as keyof typeof requestArgs].safeParse(callArgs).success;
        assert.deepEqual(ran, known && trusted && valid ? [ch] : []);
        if (!known) assert.equal(!result.ok && result.error.code, 'EUNKNOWNCHANNEL');
        else if (!trusted) assert.equal(!result.ok && result.error.code, 'EFORBIDDEN');
        else if (!valid) assert.equal(!result.ok && result.error.code, 'EINVALIDARGS');
        else assert.equal(result.ok, then.kind === 'return');
      }),
      5000,
    );
  });

  it('isTrustedSender: only the popup\'s own file on our own host (or localhost), whatever the URL text', () => {
    const host = fc.oneof(fc.constantFrom('', 'localhost', 'other.host', '192.0.2.1', 'LOCALHOST'), fc.domain());
    const path = fc.oneof(fc.constant(POPUP_PATH), fc.constant(POPUP_PATH.replace('.html', '%2Ehtml')), fc.webPath());
    const suffix = fc.constantFrom('', '#/settings', '?x=1', '#', '%');
    check(
      fc.property(host, path, suffix, fc.string({ maxLength: 20 }), (h, p, s, noise) => {
        const url = `file://${h}${p.startsWith('/') ? p : `/${p}`}${s}`;
        const trusted = isTrustedSender({ webContentsId: 7, frameUrl: url, isMainFrame: true }, PAGE);
        let expected: boolean;
        try {
          const parsed = new URL(url);
          expected = parsed.host === '' && decodeURIComponent(parsed.pathname) === POPUP_PATH;
        } catch {
          expected = false;
        }
        assert.equal(trusted, expected, url);
        // Any text at all: never throws, and text that is not a URL of our file is never trusted.
        assert.equal(isTrustedSender({ webContentsId: 7, frameUrl: noise, isMainFrame: true }, PAGE), false);
      }),
      10000,
    );
  });
});
