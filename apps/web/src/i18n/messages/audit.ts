import { messages } from '@twofold/i18n';

export const audit = messages({
  en: {},
  de: {},
});
