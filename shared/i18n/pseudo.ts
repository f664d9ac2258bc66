/**
 * The pseudo-locale (`en-XA`): every literal part of a message accented and made about 40% longer, between
 * brackets. A screen in this locale shows at once a string that bypassed the catalogue (no accents), one that
 * is cut (no closing bracket) and a layout that cannot take longer words (overflow), without a translator.
 * Works on the message's AST, so arguments, plurals and selects keep working.
 */
import type { IntlMessageFormat } from 'intl-messageformat';
import type { PseudoLocale } from './index';

type MessageFormatElement = ReturnType<IntlMessageFormat['getAst']>[number];

const ACCENTS: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/** How much longer: German and Finnish run 30–40% longer than English in UI text. */
export const PSEUDO_GROWTH = 0.4;
export const PSEUDO_OPEN = '⟦';
export const PSEUDO_CLOSE = '⟧';

/** Accented letters, and one `~` per letter beyond 40% (words only: padding never splits a number). */
export function pseudoText(text: string): string {
  const accented = [...text].map((char) => ACCENTS[char] ?? char).join('');
  const letters = [...text].filter((char) => char in ACCENTS).length;
  const padding = Math.ceil(letters * PSEUDO_GROWTH);
  return padding > 0 ? `${accented}${'~'.repeat(padding)}` : accented;
}

// TYPE from @formatjs/icu-messageformat-parser: 0 literal, 5 select, 6 plural, 8 tag. Numbers, not the
// enum, so this file needs no runtime import from the parser package (the popup ships without it).
const LITERAL = 0;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

function transform(elements: readonly MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === LITERAL) return { ...element, value: pseudoText(element.value) };
    if (element.type === SELECT || element.type === PLURAL) {
      const options = Object.fromEntries(Object.entries(element.options).map(([key, option]) => [key, { ...option, value: transform(option.value) }]));
      return { ...element, options } as MessageFormatElement;
    }
    if (element.type === TAG) return { ...element, children: transform(element.children) };
    return element;
  });
}

/** A whole message in the pseudo-locale, bracketed so a cut end shows. */
export function pseudoMessage(ast: readonly MessageFormatElement[]): MessageFormatElement[] {
  return [{ type: LITERAL, value: PSEUDO_OPEN } as MessageFormatElement, ...transform(ast), { type: LITERAL, value: PSEUDO_CLOSE } as MessageFormatElement];
}

/** What `enablePseudoLocale` takes. */
export const PSEUDO_TRANSFORMS: PseudoLocale = {
  message: (ast) => pseudoMessage(ast),
  text: (text) => `${PSEUDO_OPEN}${pseudoText(text)}${PSEUDO_CLOSE}`,
};
