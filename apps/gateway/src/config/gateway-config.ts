import { resolve } from 'node:path';
import { commonEnvSchema, envVars, loadConfig } from '@twofold/platform';
import { z } from 'zod';
import { type CatalogService, readServiceCatalog } from '../keystone/service-catalog';

const schema = commonEnvSchema.extend({
  GATEWAY_PORT: envVars.port(8080),
  /** Prometheus /metrics, kept off the public port. */
  GATEWAY_METRICS_PORT: envVars.port(8083),
  /** Comma-separated origins allowed to call the API from a browser; empty: none. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), {
      message: 'must be a comma-separated list of origins such as https://app.example.com',
    }),
  SESSION_TTL_SECONDS: envVars.positiveInt(8 * 3600),
  /**
   * How long after the second factor (or, without 2FA, the password) was last proven on a session
   * it may make sensitive changes: disabling 2FA, new recovery codes, a new application
   * credential, a new password. Later, POST /api/v1/auth/step-up first.
   */
  STEP_UP_MAX_AGE_SECONDS: envVars.positiveInt(300),
  /** How long a password-verified sign-in waits for its second factor (MFA token, Keystone receipt). */
  MFA_TOKEN_TTL_SECONDS: envVars.positiveInt(300),
  /** Per client IP and per minute, for each of sign-up, sign-in, second factor and re-authentication. */
  AUTH_RATE_LIMIT_PER_MINUTE: envVars.positiveInt(1200),
  /**
   * Per client IP and per minute, for asking for a password reset e-mail (each login is also sent
   * at most a few an hour, by account-service) and using e-mailed links.
   */
  PASSWORD_RESET_RATE_LIMIT_PER_MINUTE: envVars.positiveInt(10),
  /** The region named in the Keystone service catalog. */
  KEYSTONE_REGION: z.string().trim().min(1).max(64).default('RegionOne'),
  /** The public URL of /identity (e.g. https://cloud.example.com/identity) when a proxy rewrites it. */
  KEYSTONE_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .transform((value) => value?.replace(/\/+$/, '')),
  /**
   * The platform's service catalog, a YAML (or JSON) file in Keystone's catalog shape; read and
   * checked at start-up. Unset: the catalog holds the identity endpoint only.
   */
  KEYSTONE_CATALOG_FILE: z
    .string()
    .trim()
    .optional()
    .transform((path, ctx): CatalogService[] => {
      if (path === undefined) return [];
      try {
        return readServiceCatalog(path);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** The built Account Settings web app served at `/` (apps/web's build output by default). */
  WEB_APP_DIR: z.string().trim().min(1).default(resolve(__dirname, '../../../web/dist/public')),
  /** Trust X-Forwarded-For from this many proxy hops in front of the gateway (0: none). */
  TRUSTED_PROXY_HOPS: z.coerce.number({ error: 'must be a whole number' }).int().min(0).default(0),
});

/** Every environment variable this process reads. */
export const GATEWAY_ENV_VARIABLES = Object.keys(schema.shape);

export type GatewayConfig = z.output<typeof schema>;
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** The only reader of process.env in the gateway. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return loadConfig(schema, env);
}
