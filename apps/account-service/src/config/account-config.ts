import { commonEnvSchema, databaseEnvSchema, envVars, loadConfig } from '@twofold/platform';
import { resolve } from 'node:path';
import { z } from 'zod';

const schema = commonEnvSchema.extend(databaseEnvSchema.shape).extend({
  ACCOUNT_SERVICE_PORT: envVars.port(8082),
  /** Queue group of the service on NATS; every instance joins the same one. */
  ACCOUNT_SERVICE_QUEUE: envVars.namePrefix('account-service'),
  /** smtp:// or smtps:// (user:password@host:port); unset: e-mails are written as .eml files under MAIL_DIR. */
  SMTP_URL: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v),
      'must be a URL starting with smtp:// or smtps://',
    ),
  MAIL_FROM: z.string().trim().min(3).max(256).default('Twofold <no-reply@twofold.localhost>'),
  MAIL_DIR: z.string().min(1).default(resolve('var', 'mail')),
  /**
   * Where members reach the web app (the gateway's public address): the base of the links in
   * e-mails, …/#/password-reset?token=… and …/#/not-me?token=….
   */
  PUBLIC_URL: envVars
    .url(['http:', 'https:'], 'http://127.0.0.1:8080')
    .transform((value) => value.replace(/\/+$/, '')),
  /** How long a password reset link works (once). */
  PASSWORD_RESET_LINK_TTL_SECONDS: envVars.positiveInt(30 * 60),
  /** How many reset links one login is sent per hour at most (further requests are answered the same, and dropped). */
  PASSWORD_RESET_EMAILS_PER_HOUR: envVars.positiveInt(3),
  /**
   * How often one client address may be told in an hour that a login or account name is taken
   * (sign-up, adding a member), so that nobody lists who has an account.
   */
  SIGN_UP_CONFLICTS_PER_HOUR: envVars.positiveInt(10),
  /** How long a link to realign an authenticator (sent by an owner or admin) works (once). */
  RESYNC_LINK_TTL_SECONDS: envVars.positiveInt(24 * 3600),
  /** How long an invitation (and its e-mailed link) lasts: the member chooses its password within it. */
  INVITATION_TTL_SECONDS: envVars.positiveInt(7 * 24 * 3600),
  /** How long the link that proves an address (of a new account, member or address) works (once). */
  EMAIL_VERIFICATION_LINK_TTL_SECONDS: envVars.positiveInt(7 * 24 * 3600),
  /** How long the "this wasn't me" link of a security e-mail works (once). */
  NOT_ME_LINK_TTL_SECONDS: envVars.positiveInt(7 * 24 * 3600),
  /**
   * The length of a day of the 2FA policy's grace period (and of its reminders' "7 days / 1 day
   * before"). Only tests and rehearsals shorten it.
   */
  GRACE_PERIOD_DAY_SECONDS: envVars.positiveInt(24 * 3600),
  /** Consecutive wrong passwords from one address before the growing back-off starts. */
  PASSWORD_BACKOFF_AFTER_FAILURES: envVars.positiveInt(5),
  PASSWORD_BACKOFF_BASE_SECONDS: envVars.positiveInt(1),
  PASSWORD_BACKOFF_MAX_SECONDS: envVars.positiveInt(900),
  /** Consecutive wrong passwords after which one address may not try that login again… */
  PASSWORD_ADDRESS_STOP_AFTER_FAILURES: envVars.positiveInt(10),
  /** …until it has been quiet this long. */
  PASSWORD_ADDRESS_WINDOW_SECONDS: envVars.positiveInt(24 * 3600),
  /** Consecutive wrong passwords, from all addresses together, that lock the login (NIST: at most 100). */
  PASSWORD_LOCK_AFTER_FAILURES: envVars.positiveInt(50),
});

/** Every environment variable this process reads. */
export const ACCOUNT_ENV_VARIABLES = Object.keys(schema.shape);

export type AccountConfig = z.output<typeof schema>;
export const ACCOUNT_CONFIG = Symbol('ACCOUNT_CONFIG');

/** The only reader of process.env in account-service. */
export function loadAccountConfig(env: Record<string, string | undefined> = process.env): AccountConfig {
  return loadConfig(schema, env);
}
