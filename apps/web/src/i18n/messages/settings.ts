import { messages } from '@twofold/i18n';

export const settings = messages({
  en: {},
  de: {},
});
