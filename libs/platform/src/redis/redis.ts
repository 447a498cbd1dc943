import { Redis } from 'ioredis';

/**
 * A Redis client that fails fast: while Redis is unreachable, commands are rejected at once
 * (no offline queue) so callers answer 503 instead of hanging; it keeps reconnecting.
 */
export function createRedisClient(url: string, keyPrefix: string, name: string): Redis {
  return new Redis(url, {
    keyPrefix,
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
}
