import { resolve } from 'node:path';
import { commonEnvSchema, envVars, loadConfig } from '@twofold/platform';
import { z } from 'zod';
import { type CatalogService, readServiceCatalog } from '../keystone/service-catalog';

const schema = commonEnvSchema.extend({
  GATEWAY_PORT: envVars.port(8080),
  /** Prometheus /metrics, kept off the public port. */
  GATEWAY_METRICS_PORT: envVars.port(8083),
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
  /** How long after its last factor proof a session may make sensitive changes (see StepUp). */
  STEP_UP_MAX_AGE_SECONDS: envVars.positiveInt(300),
  MFA_TOKEN_TTL_SECONDS: envVars.positiveInt(300),
  /** Per client IP and per minute, for each of sign-up, sign-in, second factor and re-authentication. */
  AUTH_RATE_LIMIT_PER_MINUTE: envVars.positiveInt(1200),
  /** Per client IP and minute, for reset e-mails and e-mailed links (account-service also caps each login). */
  PASSWORD_RESET_RATE_LIMIT_PER_MINUTE: envVars.positiveInt(10),
  KEYSTONE_REGION: z.string().trim().min(1).max(64).default('RegionOne'),
  /** The public URL of /identity (e.g. https://cloud.example.com/identity) when a proxy rewrites it. */
  KEYSTONE_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .transform((value) => value?.replace(/\/+$/, '')),
  /** A YAML or JSON file in Keystone's catalog shape; unset: the identity endpoint only. */
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
  WEB_APP_DIR: z.string().trim().min(1).default(resolve(__dirname, '../../../web/dist/public')),
  /** Trust X-Forwarded-For from this many proxy hops in front of the gateway (0: none). */
  TRUSTED_PROXY_HOPS: z.coerce.number({ error: 'must be a whole number' }).int().min(0).default(0),
});

export const GATEWAY_ENV_VARIABLES = Object.keys(schema.shape);

export type GatewayConfig = z.output<typeof schema>;
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** The only reader of process.env in the gateway. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return loadConfig(schema, env);
}
