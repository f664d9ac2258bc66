/**
 * The popup's catalogue precompiler (scripts/vite-precompile-messages.ts): catalogue files become message ASTs
 * (plain text where a message is only text), marked precompiled, and translate() gives the same words from
 * them as from the ICU source; a message that does not parse fails the build; other JSON is left alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { precompileMessages } from '../../../scripts/vite-precompile-messages';
import { addMessages, enablePseudoLocale, setLocale, translate } from '../../../shared/i18n';
import { PSEUDO_TRANSFORMS } from '../../../shared/i18n/pseudo';
import type { Namespaces } from '../../../shared/i18n/namespaces';

type Transform = (this: { error(message: string): never }, code: string, id: string) => { code: string } | null;

function transform(code: string, id: string): { code: string } | null {
  const plugin = precompileMessages();
  const hook = plugin.transform as unknown as Transform;
  return hook.call({ error: (message: string) => { throw new Error(message); } }, code, id);
}

test('a catalogue file becomes ASTs and text that translate() formats as the source would', () => {
  const source = { 'row.name': '{name}, {type}, {status}', 'action.connect': 'Connect', 'header.history': '{count, plural, one {# session} other {# sessions}} in {days} days' };
  const out = transform(JSON.stringify(source), '/repo/shared/i18n/en/popup.json');
  assert.ok(out);
  const compiled = JSON.parse(out.code) as Record<string, unknown>;
  assert.equal(compiled['action.connect'], 'Connect', 'only text: shipped as text');
  assert.ok(Array.isArray(compiled['row.name']));
  setLocale('en');
  addMessages('popup', compiled as unknown as Namespaces['popup']);
  assert.equal(translate('popup', 'row.name', { name: 'Office', type: 'VPN', status: 'Connected' }), 'Office, VPN, Connected');
  assert.equal(translate('popup', 'header.history', { count: 1, days: 7 }), '1 session in 7 days');
  assert.equal(translate('popup', 'action.connect'), 'Connect');
  enablePseudoLocale(PSEUDO_TRANSFORMS); // as the popup does when its locale is en-XA (renderer/i18n.ts)
  setLocale('en-XA');
  assert.equal(translate('popup', 'action.connect'), '⟦Çöññéçţ~~~⟧', 'text messages still go through the pseudo-locale');
  setLocale('en');
});

test('a message that does not parse fails the build; JSON outside the catalogue is left alone', () => {
  assert.throws(() => transform(JSON.stringify({ bad: '{count, plural, one {# x}' }), '/repo/shared/i18n/en/popup.json'), /"bad" does not parse/);
  assert.equal(transform('{"a": 1}', '/repo/package.json'), null);
});
