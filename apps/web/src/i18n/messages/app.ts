import { messages } from '@twofold/i18n';

export const app = messages({
  en: {},
  de: {},
});
