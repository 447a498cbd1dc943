import { z } from 'zod';
import {
  commonEnvSchema,
  ConfigError,
  databaseEnvSchema,
  envVars,
  loadConfig,
  redactUrl,
} from './load-config';

const schema = commonEnvSchema.extend(databaseEnvSchema.shape).extend({ SOME_PORT: envVars.port(8080) });

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe(loadConfig.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig(schema, {});

    expect(config).toMatchObject({
      SOME_PORT: 8080,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/twofold',
      REDIS_URL: 'redis://127.0.0.1:6379',
      NATS_URL: 'nats://127.0.0.1:4222',
      BIND_ADDRESS: '127.0.0.1',
    });
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig(schema, { SOME_PORT: '' }).SOME_PORT).toBe(8080);
  });

  it('names each bad variable on its own line', () => {
    const problems = problemsOf({ SOME_PORT: '99999', REDIS_URL: 'http://localhost', LOG_LEVEL: 'loud' });

    expect(problems).toHaveLength(3);
    expect(problems).toContain('SOME_PORT: must be a port number between 1 and 65535');
    expect(problems).toContain('REDIS_URL: must be a URL starting with redis:// or rediss://');
    expect(problems.find((p) => p.startsWith('LOG_LEVEL:'))).toBeDefined();
  });

  it('never repeats a value, which may hold a password', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://admin:s3cret@db/x' });

    expect(problems).toEqual(['DATABASE_URL: must be a URL starting with postgres:// or postgresql://']);
  });

  it('keeps a prefix to the characters Redis and NATS names can safely hold', () => {
    expect(problemsOf({ NATS_SUBJECT_PREFIX: 'a b>' })[0]).toMatch(/^NATS_SUBJECT_PREFIX:/);
  });

  it('refuses a non-numeric port', () => {
    expect(problemsOf({ SOME_PORT: 'eighty' })).toEqual([
      'SOME_PORT: must be a port number between 1 and 65535',
    ]);
  });

  it('takes a NATS cluster as comma-separated servers, and refuses anything else in the list', () => {
    const cluster = 'nats://10.0.0.1:4222, nats://10.0.0.2:4222,tls://nats-3.example.com:4222';

    expect(loadConfig(commonEnvSchema, { NATS_URL: cluster }).NATS_URL).toBe(cluster);
    expect(problemsOf({ NATS_URL: 'nats://10.0.0.1:4222,http://10.0.0.2' })).toEqual([
      'NATS_URL: must be one or more comma-separated URLs starting with nats:// or tls://',
    ]);
  });

  it('takes a Redis Cluster as comma-separated host:port nodes, and none by default', () => {
    expect(loadConfig(commonEnvSchema, {}).REDIS_CLUSTER_NODES).toEqual([]);
    expect(
      loadConfig(commonEnvSchema, { REDIS_CLUSTER_NODES: 'redis-0.redis:6379, 10.0.0.2:7000,[::1]:7001' })
        .REDIS_CLUSTER_NODES,
    ).toEqual(['redis-0.redis:6379', '10.0.0.2:7000', '[::1]:7001']);
    for (const bad of ['redis://redis-0:6379', 'redis-0', 'redis-0:6379,', 'redis-0:port']) {
      expect(problemsOf({ REDIS_CLUSTER_NODES: bad })).toEqual([
        'REDIS_CLUSTER_NODES: must be comma-separated host:port pairs (e.g. redis-0:6379,redis-1:6379)',
      ]);
    }
  });

  it('works with any schema, not only the shared one', () => {
    expect(loadConfig(z.object({ A: z.string().default('x') }), {}).A).toBe('x');
  });
});

describe(redactUrl.name, () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/twofold')).toBe('postgres://app:***@db:5432/twofold');
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('hides the passwords of each server of a list', () => {
    expect(redactUrl('nats://u:p1@a:4222,nats://u:p2@b:4222')).toBe(
      'nats://u:***@a:4222,nats://u:***@b:4222',
    );
  });
});
