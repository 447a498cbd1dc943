import { commonEnvSchema, databaseEnvSchema, envVars, loadConfig } from '@twofold/platform';
import { resolve } from 'node:path';
import { z } from 'zod';

const schema = commonEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend({
    ACCOUNT_SERVICE_PORT: envVars.port(8082),
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
    /** The gateway's public address: the base of the links in e-mails. */
    PUBLIC_URL: envVars
      .url(['http:', 'https:'], 'http://127.0.0.1:8080')
      .transform((value) => value.replace(/\/+$/, '')),
    PASSWORD_RESET_LINK_TTL_SECONDS: envVars.positiveInt(30 * 60),
    /** How many reset links one login is sent per hour at most (further requests are answered the same, and dropped). */
    PASSWORD_RESET_EMAILS_PER_HOUR: envVars.positiveInt(3),
    /** So that nobody lists who has an account by asking which logins and account names are taken. */
    SIGN_UP_CONFLICTS_PER_HOUR: envVars.positiveInt(10),
    RESYNC_LINK_TTL_SECONDS: envVars.positiveInt(24 * 3600),
    INVITATION_TTL_SECONDS: envVars.positiveInt(7 * 24 * 3600),
    EMAIL_VERIFICATION_LINK_TTL_SECONDS: envVars.positiveInt(7 * 24 * 3600),
    NOT_ME_LINK_TTL_SECONDS: envVars.positiveInt(7 * 24 * 3600),
    /** A day of the 2FA grace period; only tests and rehearsals shorten it. */
    GRACE_PERIOD_DAY_SECONDS: envVars.positiveInt(24 * 3600),
    PASSWORD_BACKOFF_AFTER_FAILURES: envVars.positiveInt(5),
    PASSWORD_BACKOFF_BASE_SECONDS: envVars.positiveInt(1),
    PASSWORD_BACKOFF_MAX_SECONDS: envVars.positiveInt(900),
    /** One address stops trying the login after this many, until it has been quiet for the window below. */
    PASSWORD_ADDRESS_STOP_AFTER_FAILURES: envVars.positiveInt(10),
    PASSWORD_ADDRESS_WINDOW_SECONDS: envVars.positiveInt(24 * 3600),
    /** Consecutive wrong passwords, from all addresses together, that lock the login (NIST: at most 100). */
    PASSWORD_LOCK_AFTER_FAILURES: envVars.positiveInt(50),
    /** A SIEM's receiver: every security event POSTed there as a signed CloudEvent. */
    SECURITY_EVENTS_WEBHOOK_URL: z
      .string()
      .optional()
      .refine(
        (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
        'must be a URL starting with http:// or https://',
      ),
    /** Standard Webhooks' form: whsec_ and at least 24 random bytes in base64. */
    SECURITY_EVENTS_WEBHOOK_SECRET: z
      .string()
      .optional()
      .refine(
        (v) =>
          v === undefined ||
          (/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v.slice(6), 'base64').length >= 24),
        'must be whsec_ followed by at least 24 bytes in base64',
      ),
    /** With exponential back-off from one second: 15 attempts span about four and a half hours. */
    SECURITY_EVENTS_WEBHOOK_ATTEMPTS: envVars.positiveInt(15),
  })
  .refine((c) => !c.SECURITY_EVENTS_WEBHOOK_URL || c.SECURITY_EVENTS_WEBHOOK_SECRET, {
    path: ['SECURITY_EVENTS_WEBHOOK_SECRET'],
    message: 'is required with SECURITY_EVENTS_WEBHOOK_URL',
  });

export const ACCOUNT_ENV_VARIABLES = Object.keys(schema.shape);

export type AccountConfig = z.output<typeof schema>;
export const ACCOUNT_CONFIG = Symbol('ACCOUNT_CONFIG');

/** The only reader of process.env in account-service. */
export function loadAccountConfig(env: Record<string, string | undefined> = process.env): AccountConfig {
  return loadConfig(schema, env);
}
