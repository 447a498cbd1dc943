import { acceptedLanguages, type Language, negotiateLanguage } from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';

/** The language a request names, else its Accept-Language's best one; undefined if it says neither. */
export function chosenLanguage(named: Language | undefined, meta: RequestMeta | null): Language | undefined {
  if (named) return named;
  const header = meta?.acceptLanguage;
  return header ? negotiateLanguage(acceptedLanguages(header)) : undefined;
}
