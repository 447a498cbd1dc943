import { messages } from '@twofold/i18n';

export const appCredentials = messages({
  en: {},
  de: {},
});
