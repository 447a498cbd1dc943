import { messages } from '@twofold/i18n';

export const signUp = messages({
  en: {},
  de: {},
});
