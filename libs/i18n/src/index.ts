import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '@twofold/contracts';
import { TYPE } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';

/** One area's messages in every language, the English ones naming the keys: a key missing in one fails to compile. */
export type Messages<K extends string> = { readonly [L in Language]: Readonly<Record<K, string>> };

export const messages = <K extends string>(m: {
  en: Readonly<Record<K, string>>;
  de: Readonly<Record<NoInfer<K>, string>>;
}): Messages<K> => m;

type KeysOf<M> = M extends Messages<infer K> ? K : never;

/** Areas joined into one catalog per language (keys are area-prefixed, so they never collide). */
export function catalog<A extends Messages<string>[]>(...areas: A): Messages<KeysOf<A[number]>> {
  const joined = {} as Record<Language, Record<string, string>>;
  for (const language of LANGUAGES) {
    joined[language] = {};
    for (const area of areas) Object.assign(joined[language], area[language]);
  }
  return joined as Messages<KeysOf<A[number]>>;
}

export type Values = Record<string, PrimitiveType | Date>;

/** ICU MessageFormat (plurals, selects, dates) by a maintained library, parsed once per message. */
export class Translator<K extends string> {
  private readonly compiled = new Map<string, IntlMessageFormat>();

  constructor(
    private readonly messages: Messages<K>,
    readonly language: Language = DEFAULT_LANGUAGE,
  ) {}

  in(language: Language): Translator<K> {
    return language === this.language ? this : new Translator(this.messages, language);
  }

  t = (key: K, values?: Values): string => String(this.format(key, values));

  /** With tags: `<b>{name}</b>` calls values.b with its chunks, so markup stays out of the catalog's way. */
  format<T>(key: K, values?: Record<string, PrimitiveType | Date | T | ((chunks: (string | T)[]) => T)>) {
    let message = this.compiled.get(key);
    if (!message) {
      message = new IntlMessageFormat(this.messages[this.language][key], this.language);
      this.compiled.set(key, message);
    }
    return message.format<T>(values);
  }
}

/**
 * What a translator checks across languages: every message parses as ICU and names the same
 * arguments and tags as the English one (a German message dropping `{count}` reads wrong).
 */
export function catalogProblems<K extends string>(messages: Messages<K>): string[] {
  const problems: string[] = [];
  const names = (text: string, language: Language): string[] => {
    const found = new Set<string>();
    const walk = (nodes: ReturnType<IntlMessageFormat['getAst']>) => {
      for (const node of nodes) {
        if ('value' in node && typeof node.value === 'string' && node.type !== TYPE.literal)
          found.add(node.value);
        if ('children' in node) walk(node.children);
        if ('options' in node)
          for (const option of Object.values(node.options)) walk((option as { value: typeof nodes }).value);
      }
    };
    walk(new IntlMessageFormat(text, language).getAst());
    return [...found].sort();
  };
  for (const key of Object.keys(messages.en) as K[]) {
    let english: string[] = [];
    for (const language of LANGUAGES) {
      const text = messages[language][key];
      if (typeof text !== 'string' || text.trim() === '') {
        problems.push(`${language}: ${key} is missing`);
        continue;
      }
      try {
        const found = names(text, language);
        if (language === DEFAULT_LANGUAGE) english = found;
        else if (found.join() !== english.join())
          problems.push(`${language}: ${key} names {${found.join(', ')}}, English {${english.join(', ')}}`);
      } catch (error) {
        problems.push(`${language}: ${key} is not ICU MessageFormat (${(error as Error).message})`);
      }
    }
  }
  return problems;
}
