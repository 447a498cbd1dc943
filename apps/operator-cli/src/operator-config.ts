import { commonEnvSchema, loadConfig } from '@twofold/platform';

const schema = commonEnvSchema.pick({
  NATS_URL: true,
  NATS_USER: true,
  NATS_PASSWORD: true,
  NATS_NKEY_SEED_FILE: true,
  NATS_TLS_CA_FILE: true,
  NATS_SUBJECT_PREFIX: true,
  RPC_TIMEOUT_MS: true,
});
export type OperatorConfig = ReturnType<typeof schema.parse>;

/** The only reader of process.env in the operator CLI: where the services' bus is. */
export function loadOperatorConfig(env: Record<string, string | undefined> = process.env): OperatorConfig {
  return loadConfig(schema, env);
}
