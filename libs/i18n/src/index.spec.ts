import { acceptedLanguages, negotiateLanguage } from '@twofold/contracts';
import { Translator, catalogProblems, messages } from './index';

describe('Translator', () => {
  const area = messages({
    en: { 'x.left': '{count, plural, one {# code left} other {# codes left}}', 'x.hi': 'Hi <b>{name}</b>' },
    de: {
      'x.left': '{count, plural, one {# Code übrig} other {# Codes übrig}}',
      'x.hi': 'Hallo <b>{name}</b>',
    },
  });

  it('applies each language’s plural rules', () => {
    const t = new Translator(area);
    expect(t.t('x.left', { count: 1 })).toBe('1 code left');
    expect(t.in('de').t('x.left', { count: 3 })).toBe('3 Codes übrig');
  });

  it('hands tagged chunks to the caller', () => {
    const bold = (chunks: unknown[]) => ({ bold: chunks });
    const parts = new Translator(area).in('de').format<{ bold: unknown[] }>('x.hi', { name: 'Ada', b: bold });
    expect(parts).toEqual(['Hallo ', { bold: ['Ada'] }]);
  });

  it('reports a translation that drops an argument, breaks ICU or is empty', () => {
    const broken = messages({
      en: { 'y.a': '{n} left', 'y.b': 'ok', 'y.c': 'fine' },
      de: { 'y.a': 'übrig', 'y.b': '{oops', 'y.c': ' ' },
    });
    expect(catalogProblems(broken)).toEqual([
      'de: y.a names {}, English {n}',
      expect.stringMatching(/^de: y.b is not ICU MessageFormat/),
      'de: y.c is missing',
    ]);
    expect(catalogProblems(area)).toEqual([]);
  });
});

describe('negotiateLanguage', () => {
  it('takes the first supported language, by quality', () => {
    expect(negotiateLanguage(acceptedLanguages('fr-CH, de-AT;q=0.8, en;q=0.5'))).toBe('de');
    expect(negotiateLanguage(acceptedLanguages('de;q=0, en'))).toBe('en');
    expect(negotiateLanguage(['pt-BR'])).toBe('en');
    expect(negotiateLanguage(acceptedLanguages(undefined))).toBe('en');
  });
});
