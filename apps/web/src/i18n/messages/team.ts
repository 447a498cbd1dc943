import { messages } from '@twofold/i18n';

export const team = messages({
  en: {},
  de: {},
});
