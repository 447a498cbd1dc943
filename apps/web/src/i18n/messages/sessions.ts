import { messages } from '@twofold/i18n';

export const sessions = messages({
  en: {},
  de: {},
});
