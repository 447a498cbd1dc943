import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runId } from './isolation';
import { createTestDatabase, type TestDatabase } from './test-database';

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

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
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
      await deleteKeys(TEST_REDIS_URL, prefix);
    },
  };
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
