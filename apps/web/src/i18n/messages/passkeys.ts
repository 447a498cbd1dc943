import { messages } from '@twofold/i18n';

export const passkeys = messages({
  en: {},
  de: {},
});
