import { commonEnvSchema, databaseEnvSchema, envVars, loadConfig } from '@twofold/platform';
import { type z } from 'zod';

const schema = commonEnvSchema.extend(databaseEnvSchema.shape).extend({
  ACCOUNT_SERVICE_PORT: envVars.port(8082),
  /** Queue group of the service on NATS; every instance joins the same one. */
  ACCOUNT_SERVICE_QUEUE: envVars.namePrefix('account-service'),
});

/** Every environment variable this process reads. */
export const ACCOUNT_ENV_VARIABLES = Object.keys(schema.shape);

export type AccountConfig = z.output<typeof schema>;
export const ACCOUNT_CONFIG = Symbol('ACCOUNT_CONFIG');

/** The only reader of process.env in account-service. */
export function loadAccountConfig(env: Record<string, string | undefined> = process.env): AccountConfig {
  return loadConfig(schema, env);
}
