import { Cluster, Redis } from 'ioredis';

/** The Redis tests use: TEST_REDIS_URL, or the Redis Cluster of TEST_REDIS_CLUSTER_NODES. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_REDIS_CLUSTER_NODES = (process.env.TEST_REDIS_CLUSTER_NODES ?? '')
  .split(',')
  .map((node) => node.trim())
  .filter((node) => node !== '');
/** As services take it (see createRedisClient). */
export const TEST_REDIS = { url: TEST_REDIS_URL, clusterNodes: TEST_REDIS_CLUSTER_NODES };

const nodesOf = (nodes: string[]) =>
  nodes.map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });

/**
 * A plain client of the tests' Redis, for a test to look at or disturb what a service keeps
 * (typed as a single Redis: a test names its keys, which the cluster client routes).
 */
export function testRedis(keyPrefix = ''): Redis {
  return TEST_REDIS_CLUSTER_NODES.length > 0
    ? (new Cluster(nodesOf(TEST_REDIS_CLUSTER_NODES), { keyPrefix }) as unknown as Redis)
    : new Redis(TEST_REDIS_URL, { keyPrefix });
}

/** Deletes the keys matching `pattern` (full names, prefix included) on every master; their count. */
export async function deleteTestKeys(pattern: string): Promise<number> {
  const cluster =
    TEST_REDIS_CLUSTER_NODES.length > 0
      ? new Cluster(nodesOf(TEST_REDIS_CLUSTER_NODES), { lazyConnect: true })
      : undefined;
  const single = cluster ? undefined : new Redis(TEST_REDIS_URL, { lazyConnect: true });
  try {
    await (cluster ?? single)?.connect();
    const masters = cluster ? cluster.nodes('master') : [single as Redis];
    let deleted = 0;
    for (const master of masters) {
      let cursor = '0';
      do {
        const [next, keys] = await master.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        // One key per command: on a cluster, the keys of one scan are in many slots.
        for (const key of keys) deleted += await master.del(key);
        cursor = next;
      } while (cursor !== '0');
    }
    return deleted;
  } finally {
    cluster?.disconnect();
    single?.disconnect();
  }
}
