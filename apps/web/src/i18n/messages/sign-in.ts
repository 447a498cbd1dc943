import { messages } from '@twofold/i18n';

export const signIn = messages({
  en: {},
  de: {},
});
