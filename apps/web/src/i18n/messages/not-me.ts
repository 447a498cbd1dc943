import { messages } from '@twofold/i18n';

export const notMe = messages({
  en: {},
  de: {},
});
