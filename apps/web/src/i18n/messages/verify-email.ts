import { messages } from '@twofold/i18n';

export const verifyEmail = messages({
  en: {},
  de: {},
});
