import { DomainError } from '@twofold/contracts';
import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: one server (`url`), or a Redis Cluster (`clusterNodes`, `host:port`). */
export interface RedisTarget {
  url: string;
  /** Some nodes of a Redis Cluster; empty for the single Redis of `url`. */
  clusterNodes: string[];
}

/** The target of a service's environment (REDIS_URL, REDIS_CLUSTER_NODES). */
export function redisTargetOf(env: { REDIS_URL: string; REDIS_CLUSTER_NODES: string[] }): RedisTarget {
  return { url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES };
}

/** What a start-up check probes: the server, or the cluster's nodes (one reachable is enough). */
export function redisProbeUrl(target: RedisTarget): string {
  if (target.clusterNodes.length === 0) return target.url;
  const scheme = new URL(target.url).protocol;
  return target.clusterNodes.map((node) => `${scheme}//${node}`).join(',');
}

/**
 * A Redis client that fails fast: while Redis is unreachable, commands are rejected at once
 * (no offline queue) so callers answer 503 instead of hanging; it keeps reconnecting. Commands
 * issued in the same tick (concurrent requests, or one request's independent reads) leave in
 * one write: a socket write costs more than the command on this kind of machine.
 *
 * On a Redis Cluster it is ioredis's cluster client, typed as the single-server one: every
 * command Twofold sends names its keys, and every script or transaction touches keys of one
 * hash slot (`{member id}` tags), so each goes whole to the master of that slot.
 */
export function createRedisClient(target: RedisTarget, keyPrefix: string, name: string): Redis {
  const options = {
    connectionName: name,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  } satisfies RedisOptions;
  const client =
    target.clusterNodes.length === 0
      ? singleRedis(target, keyPrefix, options)
      : (createRedisCluster(target, { ...options, keyPrefix, offlineQueue: false }) as unknown as Redis);
  // A lost connection surfaces where it matters: commands fail (503) and /readyz reports Redis
  // down; ioredis would otherwise print every reconnection attempt to stderr.
  client.on('error', () => undefined);
  return client;
}

function singleRedis(
  target: RedisTarget,
  keyPrefix: string,
  options: Pick<RedisOptions, 'connectionName' | 'maxRetriesPerRequest' | 'connectTimeout'>,
): Redis {
  return new Redis(target.url, {
    ...options,
    keyPrefix,
    enableAutoPipelining: true,
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
}

/** A cluster client for `target` (its nodes, with REDIS_URL's user, password and TLS). */
export function createRedisCluster(
  target: RedisTarget,
  options: Pick<RedisOptions, 'connectionName' | 'maxRetriesPerRequest' | 'connectTimeout'> & {
    keyPrefix?: string;
    offlineQueue: boolean;
  },
): Cluster {
  const url = new URL(target.url);
  return new Cluster(
    target.clusterNodes.map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(node.slice(at + 1)) };
    }),
    {
      ...(options.keyPrefix !== undefined ? { keyPrefix: options.keyPrefix } : {}),
      enableAutoPipelining: true,
      lazyConnect: true,
      enableOfflineQueue: options.offlineQueue,
      clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
      // A master that failed is replaced by its replica within the cluster's node timeout:
      // meanwhile its slots answer CLUSTERDOWN or fail over, and the client asks again shortly.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      slotsRefreshTimeout: 2000,
      redisOptions: {
        connectionName: options.connectionName,
        maxRetriesPerRequest: options.maxRetriesPerRequest,
        connectTimeout: options.connectTimeout,
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
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

/**
 * How many replicas of the master holding `key` have every write this client made there so far
 * (Redis WAIT, on the very connection that made them), waiting up to `timeoutMs` for `replicas`.
 */
export async function replicasHolding(
  redis: Redis,
  key: string,
  replicas: number,
  timeoutMs: number,
): Promise<number> {
  const cluster = redis as unknown as Cluster;
  if (!cluster.isCluster) return redis.wait(replicas, timeoutMs);
  // WAIT names no key: it is sent to the master of the key's slot, as the script was.
  const slot = calculateSlot(`${cluster.options.keyPrefix ?? ''}${key}`);
  const master = cluster.slots[slot]?.[0];
  const node = cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === master);
  return node ? node.wait(replicas, timeoutMs) : 0;
}
