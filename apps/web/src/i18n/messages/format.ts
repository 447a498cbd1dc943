import { messages } from '@twofold/i18n';

export const format = messages({
  en: {},
  de: {},
});
