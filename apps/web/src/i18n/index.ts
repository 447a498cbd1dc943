import { isLanguage, negotiateLanguage, type Language } from '@twofold/contracts';
import { Translator, type Values } from '@twofold/i18n';
import { h, type ComponentChildren } from 'preact';
import { webMessages, type MessageKey } from './messages';

export type { MessageKey };
const STORAGE_KEY = 'twofold.language';
const translators = new Map<Language, Translator<MessageKey>>();
const translatorFor = (language: Language) => {
  let translator = translators.get(language);
  if (!translator) translators.set(language, (translator = new Translator(webMessages, language)));
  return translator;
};

/** The header's choice if one was made on this browser, else the browser's languages. */
export function preferredLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be off; the browser's languages still choose.
  }
  return isLanguage(stored) ? stored : negotiateLanguage(navigator.languages ?? [navigator.language]);
}

let current = translatorFor(typeof navigator === 'undefined' ? 'en' : preferredLanguage());

export const language = (): Language => current.language;

/** Called by the app before it renders again, so every string of that render is in the new language. */
export function switchLanguage(next: Language, remember: boolean): void {
  current = translatorFor(next);
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  if (!remember) return;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered then; the choice holds for this page.
  }
}

export const t = (key: MessageKey, values?: Values): string => current.t(key, values);

const TAGS = {
  strong: (chunks: ComponentChildren[]) => h('strong', null, chunks),
  code: (chunks: ComponentChildren[]) => h('code', null, chunks),
  em: (chunks: ComponentChildren[]) => h('em', null, chunks),
};

/** A message with <strong>, <code> or <em> in it, as Preact children. */
export const tx = (key: MessageKey, values?: Values): ComponentChildren =>
  current.format<ComponentChildren>(key, { ...TAGS, ...values }) as ComponentChildren;

/** Intl's locale for a language: day-month-year English, as the product has always written dates. */
export const intlLocale = (): string => ({ en: 'en-GB', de: 'de-DE' })[current.language];

export const formatDate = (at: string | Date, timeZone?: string): string =>
  new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(
    new Date(at),
  );

export const formatDateTime = (at: string | Date): string =>
  new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
