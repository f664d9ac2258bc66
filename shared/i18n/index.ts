/**
 * The one string catalogue of Linkwatch: the popup, the tray menu, notifications and the CLI's human output
 * all word things through it. Messages are ICU MessageFormat (plurals, selects, arguments) run by FormatJS's
 * `intl-messageformat`; figures (sizes, rates, durations, dates) go through `Intl` in ./intl-format.ts.
 *
 * Namespaces: one JSON file per area under `shared/i18n/<language>/` (`common`, `popup`, `tray`, …), typed by
 * ./namespaces.ts. A branch that adds an area adds its file, one line in `Namespaces`, and registers the file
 * where it is used (`addMessages('routing', routing)`): the popup loads only what it shows (its lazy views
 * bring their own namespaces), Node loads them all (./node.ts).
 *
 * English is the only language so far; `en-XA` is the pseudo-locale (./pseudo.ts, see enablePseudoLocale) that
 * makes every message about 40% longer and accented, so a test can see what was cut or never went through the
 * catalogue.
 *
 * The popup's build precompiles these files to message ASTs (electron.vite.config.ts), so the renderer ships
 * intl-messageformat without its parser; Node parses the text at first use.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Namespace, Namespaces } from './namespaces';
import { PRECOMPILED } from './precompiled';

/** A message as written (ICU text) or as precompiled by the popup's build (the parser's AST). */
export type Message = string | ReturnType<IntlMessageFormat['getAst']>;
export type Messages = Readonly<Record<string, Message>>;
export type MessageValues = Record<string, string | number | Date>;

/** The pseudo-locale's tag (the one Android and Chromium use for accented pseudo-translations). */
export const PSEUDO_LOCALE = 'en-XA';

/**
 * The pseudo-locale's transforms (./pseudo.ts), registered by whoever may need them: Node registers them with
 * every namespace (./all.ts); the popup loads them only when its locale is `en-XA` (renderer/i18n.ts), so they
 * are not part of the JavaScript every user's first paint waits for.
 */
export interface PseudoLocale {
  message(ast: Exclude<Message, string>): Exclude<Message, string>;
  text(text: string): string;
}

let pseudoLocale: PseudoLocale | null = null;

export function enablePseudoLocale(transforms: PseudoLocale): void {
  pseudoLocale = transforms;
  state.compiled.clear();
}

/** `<` is text in our messages, never markup. */
const OPTIONS = { ignoreTag: true } as const;

interface State {
  /** The locale figures are formatted in (the user's); messages are English (or pseudo) whatever it is. */
  locale: string;
  pseudo: boolean;
  messages: Map<string, Messages>;
  /** Namespaces whose string messages are final text, not ICU source (precompiled.ts). */
  precompiled: Set<string>;
  compiled: Map<string, IntlMessageFormat>;
}

const state: State = { locale: defaultLocale(), pseudo: false, messages: new Map(), precompiled: new Set(), compiled: new Map() };

function defaultLocale(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().locale;
  } catch {
    return 'en';
  }
}

/** The user's locale: figures follow it; `en-XA` turns the pseudo-locale on. Call before the first message. */
export function setLocale(locale: string): void {
  let tag = 'en';
  try {
    tag = Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    // Not a BCP 47 tag (a bad LANG, say): English figures rather than a crash.
  }
  state.pseudo = tag === PSEUDO_LOCALE;
  state.locale = tag;
  state.compiled.clear();
}

export function currentLocale(): string {
  return state.locale;
}

export function isPseudoLocale(): boolean {
  return state.pseudo;
}

/** Make a namespace's messages available (again: the last registration wins). */
export function addMessages<N extends Namespace>(namespace: N, messages: Namespaces[N]): void {
  state.messages.set(namespace, messages as unknown as Messages);
  if ((messages as unknown as Record<string, unknown>)[PRECOMPILED] === true) state.precompiled.add(namespace);
  else state.precompiled.delete(namespace);
  for (const key of state.compiled.keys()) if (key.startsWith(`${namespace}:`)) state.compiled.delete(key);
}

export function hasMessages(namespace: Namespace): boolean {
  return state.messages.has(namespace);
}

function compile(namespace: string, key: string): IntlMessageFormat | null {
  const id = `${namespace}:${key}`;
  const cached = state.compiled.get(id);
  if (cached) return cached;
  const message = state.messages.get(namespace)?.[key];
  if (message === undefined) return null;
  let format = new IntlMessageFormat(message, state.locale, undefined, OPTIONS);
  if (state.pseudo && pseudoLocale) format = new IntlMessageFormat(pseudoLocale.message(format.getAst()), state.locale, undefined, OPTIONS);
  state.compiled.set(id, format);
  return format;
}

/**
 * One message, formatted. A key or namespace that is missing gives `namespace:key` (visible, and caught by
 * the catalogue's tests) rather than an exception: a missing word must never take down a menu or the CLI.
 */
export function translate(namespace: Namespace, key: string, values?: MessageValues): string {
  const text = state.precompiled.has(namespace) ? state.messages.get(namespace)?.[key] : undefined;
  if (typeof text === 'string') return state.pseudo && pseudoLocale ? pseudoLocale.text(text) : text;
  const format = compile(namespace, key);
  if (!format) return `${namespace}:${key}`;
  return String(format.format(values));
}

/** The keys of a namespace's file, as a type (`keyof` the JSON). */
export type MessageKey<N extends Namespace> = Extract<keyof Namespaces[N], string>;

/** A typed translator for one namespace: `const t = translator('popup'); t('row.connect', { name })`. */
export function translator<N extends Namespace>(namespace: N): (key: MessageKey<N>, values?: MessageValues) => string {
  return (key, values) => translate(namespace, key, values);
}
