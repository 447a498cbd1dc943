import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Messages name the variable and the rule, never the value (DATABASE_URL may hold credentials). */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  // Empty strings count as unset, the way shells and compose files usually mean them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`));
  }
  return result.data;
}

export const envVars = {
  port: (fallback: number) =>
    z.coerce
      .number({ error: 'must be a port number between 1 and 65535' })
      .int('must be a port number between 1 and 65535')
      .min(1, 'must be a port number between 1 and 65535')
      .max(65535, 'must be a port number between 1 and 65535')
      .default(fallback),
  url: (protocols: string[], fallback: string) =>
    z
      .string()
      .default(fallback)
      .refine(
        (value) => {
          try {
            return protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      ),
  positiveInt: (fallback: number) =>
    z.coerce
      .number({ error: 'must be a positive integer' })
      .int('must be a positive integer')
      .positive('must be a positive integer')
      .default(fallback),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  /** A prefix for names shared on Redis or NATS, so several stacks (or test runs) can share one. */
  namePrefix: (fallback: string) =>
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]*$/, 'may contain only letters, digits and _ . : -')
      .max(64, 'must be at most 64 characters')
      .default(fallback),
  host: (fallback: string) => z.string().min(1).default(fallback),
};

/** `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address. */
const HOST_PORT = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?:[1-9][0-9]{0,4})$/;

export const commonEnvSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'must be development, production or test' })
    .default('development'),
  LOG_LEVEL: envVars.logLevel(),
  BIND_ADDRESS: envVars.host('127.0.0.1'),
  /** Comma-separated for a cluster: clients reconnect to the survivors. */
  NATS_URL: z
    .string()
    .default('nats://127.0.0.1:4222')
    .refine(
      (value) =>
        value.split(',').every((server) => {
          try {
            return ['nats:', 'tls:'].includes(new URL(server.trim()).protocol);
          } catch {
            return false;
          }
        }),
      'must be one or more comma-separated URLs starting with nats:// or tls://',
    ),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  NATS_NKEY_SEED_FILE: z.string().min(1).optional(),
  NATS_TLS_CA_FILE: z.string().min(1).optional(),
  NATS_SUBJECT_PREFIX: envVars.namePrefix(''),
  /** One Redis; in cluster mode (REDIS_CLUSTER_NODES), its user, password and scheme only. */
  REDIS_URL: envVars.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** Some nodes of a Redis Cluster (the client finds the rest); empty: the single Redis of REDIS_URL. */
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || value.split(',').every((node) => HOST_PORT.test(node.trim())),
      'must be comma-separated host:port pairs (e.g. redis-0:6379,redis-1:6379)',
    )
    .transform((value) => (value ? value.split(',').map((node) => node.trim()) : [])),
  REDIS_KEY_PREFIX: envVars.namePrefix('twofold:'),
  RPC_TIMEOUT_MS: envVars.positiveInt(5000),
});
export type CommonEnv = z.output<typeof commonEnvSchema>;

export const databaseEnvSchema = z.object({
  DATABASE_URL: envVars.url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/twofold'),
  /** `false`: only check that none is pending, where a migration Job applies them once per release. */
  DATABASE_MIGRATE_ON_START: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  /** Tests only, refused unless NODE_ENV=test (see OutboxOptions.crashBeforeRelaying). */
  TEST_CRASH_BEFORE_RELAYING: z.string().min(1).optional(),
});

export function redactUrl(value: string): string {
  if (value.includes(','))
    return value
      .split(',')
      .map((one) => redactUrl(one.trim()))
      .join(',');
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
