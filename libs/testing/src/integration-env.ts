import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runId } from './isolation';
import { createTestDatabase, type TestDatabase } from './test-database';
import { deleteTestKeys, TEST_REDIS_CLUSTER_NODES, TEST_REDIS_URL } from './test-redis';

export interface IntegrationEnv {
  /** Environment for a service under test: its own database, Redis key prefix and NATS subject prefix. */
  env: Record<string, string>;
  database: TestDatabase;
  redisUrl: string;
  natsUrl: string;
  prefix: string;
  /** Drops the database and deletes every Redis key under the prefix. */
  cleanup(): Promise<void>;
}

export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Everything a test run needs to be isolated from other runs and from a development stack. */
export async function createIntegrationEnv(label: string): Promise<IntegrationEnv> {
  const id = runId();
  const database = await createTestDatabase(label);
  const prefix = `${id}:`;
  return {
    database,
    redisUrl: TEST_REDIS_URL,
    natsUrl: TEST_NATS_URL,
    prefix,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      ...(TEST_REDIS_CLUSTER_NODES.length > 0
        ? { REDIS_CLUSTER_NODES: TEST_REDIS_CLUSTER_NODES.join(',') }
        : {}),
      REDIS_KEY_PREFIX: prefix,
      NATS_URL: TEST_NATS_URL,
      NATS_SUBJECT_PREFIX: `${id}.`,
      ACCOUNT_SERVICE_QUEUE: `${id}-account-service`,
      OTP_SERVICE_QUEUE: `${id}-otp-service`,
      OTP_ENCRYPTION_KEYS: `${id}:${randomBytes(32).toString('base64')}`,
      // E-mails of a test run (without SMTP_URL) go to a directory of its own, not the work tree.
      MAIL_DIR: mkdtempSync(join(tmpdir(), `twofold-mail-${id}-`)),
    },
    cleanup: async () => {
      await database.drop();
      await deleteTestKeys(`${prefix}*`);
      await deleteTestKeys(`{${prefix}*`); // the queues' (see queuePrefixOf)
    },
  };
}
