import { DomainError } from '@twofold/contracts';
import { Redis } from 'ioredis';

/**
 * A Redis client that fails fast: while Redis is unreachable, commands are rejected at once
 * (no offline queue) so callers answer 503 instead of hanging; it keeps reconnecting. Commands
 * issued in the same tick (concurrent requests, or one request's independent reads) leave in
 * one write: a socket write costs more than the command on this kind of machine.
 */
export function createRedisClient(url: string, keyPrefix: string, name: string): Redis {
  return new Redis(url, {
    keyPrefix,
    connectionName: name,
    enableAutoPipelining: true,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
}

/**
 * Runs a Redis call whose failure must not pass for an answer: a connection problem becomes
 * `service_unavailable` (503), so callers fail closed instead of treating "no data" as "no".
 */
export async function orUnavailable<T>(call: () => Promise<T>, what = 'This'): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('service_unavailable', `${what} cannot be checked right now; try again shortly.`);
  }
}
