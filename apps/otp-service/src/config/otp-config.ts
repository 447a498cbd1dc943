import { commonEnvSchema, databaseEnvSchema, envVars, loadConfig } from '@twofold/platform';
import { type z } from 'zod';

const schema = commonEnvSchema.extend(databaseEnvSchema.shape).extend({
  OTP_SERVICE_PORT: envVars.port(8081),
  /** Queue group of the service on NATS; every instance joins the same one. */
  OTP_SERVICE_QUEUE: envVars.namePrefix('otp-service'),
});

/** Every environment variable this process reads. */
export const OTP_ENV_VARIABLES = Object.keys(schema.shape);

export type OtpConfig = z.output<typeof schema>;
export const OTP_CONFIG = Symbol('OTP_CONFIG');

/** The only reader of process.env in otp-service. */
export function loadOtpConfig(env: Record<string, string | undefined> = process.env): OtpConfig {
  return loadConfig(schema, env);
}
