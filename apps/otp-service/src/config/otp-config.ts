import { resolve } from 'node:path';
import { commonEnvSchema, ConfigError, databaseEnvSchema, envVars, loadConfig } from '@twofold/platform';
import { z } from 'zod';
import { developmentKeys, type EncryptionKeyring, parseKeyring } from '../crypto/encryption-keys';
import { type WebAuthnSettings, webauthnSettings } from '../passkeys/webauthn-settings';

const schema = commonEnvSchema.extend(databaseEnvSchema.shape).extend({
  OTP_SERVICE_PORT: envVars.port(8081),
  OTP_SERVICE_QUEUE: envVars.namePrefix('otp-service'),
  OTP_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .transform((value, ctx): EncryptionKeyring => {
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'is required (id:base64key[,id:base64key…], newest first) unless NODE_ENV is development, which generates a key into var/',
        });
        return z.NEVER;
      }
      const parsed = parseKeyring(value);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      return parsed as EncryptionKeyring;
    }),
  OTP_ISSUER: z.string().trim().min(1).max(64).default('Twofold'),
  OTP_ENROLLMENT_TTL_SECONDS: envVars.positiveInt(600),
  OTP_BACKOFF_AFTER_FAILURES: envVars.positiveInt(5),
  OTP_BACKOFF_BASE_SECONDS: envVars.positiveInt(1),
  OTP_BACKOFF_MAX_SECONDS: envVars.positiveInt(900),
  OTP_LOCK_AFTER_FAILURES: envVars.positiveInt(100),
  /** Replicas (Redis WAIT) that must hold an accepted step, so that a failover cannot let it in twice. */
  OTP_ACCEPT_REPLICAS: z.coerce
    .number({ error: 'must be a whole number from 0 to 5' })
    .int('must be a whole number from 0 to 5')
    .min(0, 'must be a whole number from 0 to 5')
    .max(5, 'must be a whole number from 0 to 5')
    .optional(),
  OTP_ACCEPT_REPLICA_WAIT_MS: envVars.positiveInt(50),
  /** A replica promoted while lagging lost acceptances: distrust its WAIT for longer than a code lives. */
  OTP_ACCEPT_NEW_MASTER_SECONDS: envVars.positiveInt(240),
  /** The gateway's public address: passkeys are for its host and pages unless the two below say otherwise. */
  PUBLIC_URL: envVars.url(['http:', 'https:'], 'http://127.0.0.1:8080'),
  WEBAUTHN_RP_ID: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+$/i, 'must be a host name such as example.com')
    .optional(),
  /** Comma-separated origins (https://id.example.com,https://console.example.com). */
  WEBAUTHN_ORIGINS: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
});

export const DEVELOPMENT_KEY_FILE = resolve('var', 'otp-encryption-keys');

export const OTP_ENV_VARIABLES = Object.keys(schema.shape);

export type OtpConfig = Omit<z.output<typeof schema>, 'OTP_ACCEPT_REPLICAS'> & {
  OTP_ACCEPT_REPLICAS: number;
  webauthn: WebAuthnSettings;
};
export const OTP_CONFIG = Symbol('OTP_CONFIG');

export function loadOtpConfig(
  env: Record<string, string | undefined> = process.env,
  developmentKeyFile = DEVELOPMENT_KEY_FILE,
): OtpConfig {
  // Only an explicit development environment gets a generated key: a production box that
  // forgot NODE_ENV must not quietly encrypt every secret under a key kept in a local file.
  const config =
    !env.OTP_ENCRYPTION_KEYS && env.NODE_ENV === 'development'
      ? loadConfig(schema, { ...env, OTP_ENCRYPTION_KEYS: developmentKeys(developmentKeyFile, new Date()) })
      : loadConfig(schema, env);
  const webauthn = webauthnSettings({ ...config, rpName: config.OTP_ISSUER });
  if ('problems' in webauthn) throw new ConfigError(webauthn.problems);
  return {
    ...config,
    OTP_ACCEPT_REPLICAS: config.OTP_ACCEPT_REPLICAS ?? (config.REDIS_CLUSTER_NODES.length > 0 ? 1 : 0),
    webauthn,
  };
}
