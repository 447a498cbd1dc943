import { catalog } from '@twofold/i18n';
import { app } from './app';
import { appCredentials } from './application-credentials';
import { audit } from './audit';
import { format } from './format';
import { invitation } from './invitation';
import { notMe } from './not-me';
import { passkeys } from './passkeys';
import { passwordReset } from './password-reset';
import { sessions } from './sessions';
import { settings } from './settings';
import { signIn } from './sign-in';
import { signUp } from './sign-up';
import { team } from './team';
import { verifyEmail } from './verify-email';

/** One area per screen or component; keys start with the area's name. */
export const webMessages = catalog(
  app,
  appCredentials,
  audit,
  format,
  invitation,
  notMe,
  passkeys,
  passwordReset,
  sessions,
  settings,
  signIn,
  signUp,
  team,
  verifyEmail,
);
export type MessageKey = keyof (typeof webMessages)['en'];
