/**
 * The string catalogue (shared/i18n): every message of every namespace parses and formats, the pseudo-locale
 * accents and lengthens every literal part (and only those), and figures follow the locale through Intl.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import '../../../shared/i18n/all';
import { PSEUDO_CLOSE, PSEUDO_OPEN, pseudoText } from '../../../shared/i18n/pseudo';
import { formatBytes, formatDuration, formatRate, spokenDuration } from '../../../shared/i18n/intl-format';
import { hasMessages, setLocale, translate } from '../../../shared/i18n/index';
import type { Namespace } from '../../../shared/i18n/namespaces';

const EN = join(import.meta.dirname, '../../../shared/i18n/en');
const files = readdirSync(EN).filter((file) => file.endsWith('.json'));

afterEach(() => setLocale('en'));

/** A value for every argument a message names, of the type its ICU element wants. */
function sampleValues(message: string): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  const visit = (elements: ReturnType<IntlMessageFormat['getAst']>): void => {
    for (const element of elements) {
      if (element.type === 1) values[element.value] ??= `«${element.value}»`;
      if (element.type === 2 || element.type === 6) values[element.value] = 2;
      if (element.type === 3 || element.type === 4) values[element.value] = 0;
      if (element.type === 5) values[element.value] = Object.keys(element.options).find((key) => key !== 'other') ?? 'other';
      if (element.type === 5 || element.type === 6) for (const option of Object.values(element.options)) visit(option.value);
    }
  };
  visit(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst());
  return values;
}

describe('the catalogue', () => {
  test('every namespace file is registered for Node (shared/i18n/all.ts)', () => {
    assert.ok(files.length > 0);
    for (const file of files) assert.ok(hasMessages(file.replace(/\.json$/, '') as Namespace), `${file} is not registered in all.ts`);
  });

  for (const file of files) {
    test(`${file}: every message parses and formats with its arguments, in English and in the pseudo-locale`, () => {
      const namespace = file.replace(/\.json$/, '') as Namespace;
      const messages = JSON.parse(readFileSync(join(EN, file), 'utf8')) as Record<string, string>;
      for (const [key, message] of Object.entries(messages)) {
        const values = sampleValues(message);
        setLocale('en');
        const english = translate(namespace, key, values);
        assert.notEqual(english, `${namespace}:${key}`, `${namespace}:${key} is missing`);
        for (const [name, value] of Object.entries(values)) if (typeof value === 'string' && value.startsWith('«')) assert.ok(english.includes(value), `${namespace}:${key} drops {${name}}`);
        setLocale('en-XA');
        const pseudo = translate(namespace, key, values);
        assert.ok(pseudo.startsWith(PSEUDO_OPEN) && pseudo.endsWith(PSEUDO_CLOSE), `${namespace}:${key} in en-XA: ${pseudo}`);
        // Arguments pass through untouched; only the words change.
        for (const value of Object.values(values)) if (typeof value === 'string' && value.startsWith('«')) assert.ok(pseudo.includes(value));
      }
    });
  }

  test('a missing key reads as namespace:key instead of throwing', () => {
    assert.equal(translate('common', 'no.such.key'), 'common:no.such.key');
  });

  test('plurals follow the count', () => {
    assert.equal(translate('common', 'connections.count', { count: 1 }), '1 connection');
    assert.equal(translate('common', 'connections.count', { count: 3 }), '3 connections');
  });
});

describe('the pseudo-locale', () => {
  test('accents every letter and adds 40% (rounded up) of padding; digits and punctuation stay', () => {
    assert.equal(pseudoText('Connect'), 'Çöññéçţ~~~');
    assert.equal(pseudoText('691: '), '691: ');
  });

  test('en-XA messages are at least 40% longer in their words', () => {
    setLocale('en-XA');
    const pseudo = translate('common', 'state.disconnected');
    assert.ok(pseudo.length >= Math.ceil('Disconnected'.length * 1.4) + 2, pseudo);
    assert.doesNotMatch(pseudo, /[a-z]/, 'no plain ASCII letter is left');
  });
});

describe('figures through Intl', () => {
  test('sizes and rates in SI units, the locale deciding separators', () => {
    setLocale('en');
    assert.equal(formatBytes(0), '0 kB');
    assert.equal(formatBytes(512), '0.5 kB');
    assert.equal(formatBytes(1536), '1.5 kB');
    assert.equal(formatBytes(734_003_200), '734 MB');
    assert.equal(formatRate(1536), '1.5 kB/s');
    assert.equal(formatBytes(-1), '–');
    setLocale('de-DE');
    assert.equal(formatBytes(1536), '1,5 kB');
  });

  test('durations: the two largest units, the second padded; spoken to the minute', () => {
    setLocale('en');
    assert.equal(formatDuration(42_000), '42s');
    assert.equal(formatDuration(303_000), '5m 03s');
    assert.equal(formatDuration(7_500_000), '2h 05m');
    assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3d 04h');
    assert.equal(spokenDuration(59_000), null);
    assert.equal(spokenDuration(3_720_000), '1 hour, 2 minutes');
    assert.equal(spokenDuration(86_400_000 + 60_000), '1 day');
  });

  test('a locale that is no BCP 47 tag falls back to English instead of throwing', () => {
    setLocale('C.UTF-8');
    assert.equal(formatBytes(1536), '1.5 kB');
  });
});
