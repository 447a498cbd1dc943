import { messages } from '@twofold/i18n';

export const passwordReset = messages({
  en: {},
  de: {},
});
