import { messages } from '@twofold/i18n';

export const invitation = messages({
  en: {},
  de: {},
});
