import { Cluster, Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_REDIS_CLUSTER_NODES = (process.env.TEST_REDIS_CLUSTER_NODES ?? '')
  .split(',')
  .map((node) => node.trim())
  .filter((node) => node !== '');
export const TEST_REDIS = { url: TEST_REDIS_URL, clusterNodes: TEST_REDIS_CLUSTER_NODES };

const nodesOf = (nodes: string[]) =>
  nodes.map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });

/** Typed as a single Redis: a test names its keys, which the cluster client routes. */
export function testRedis(keyPrefix = ''): Redis {
  return TEST_REDIS_CLUSTER_NODES.length > 0
    ? (new Cluster(nodesOf(TEST_REDIS_CLUSTER_NODES), { keyPrefix }) as unknown as Redis)
    : new Redis(TEST_REDIS_URL, { keyPrefix });
}

async function onEveryMaster<T>(use: (master: Redis) => Promise<T>): Promise<T[]> {
  const cluster =
    TEST_REDIS_CLUSTER_NODES.length > 0
      ? new Cluster(nodesOf(TEST_REDIS_CLUSTER_NODES), { lazyConnect: true })
      : undefined;
  const single = cluster ? undefined : new Redis(TEST_REDIS_URL, { lazyConnect: true });
  try {
    await (cluster ?? single)?.connect();
    const masters = cluster ? cluster.nodes('master') : [single as Redis];
    const results: T[] = [];
    for (const master of masters) results.push(await use(master));
    return results;
  } finally {
    cluster?.disconnect();
    single?.disconnect();
  }
}

async function scanAll(master: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await master.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

export async function testKeys(pattern: string): Promise<string[]> {
  return (await onEveryMaster((master) => scanAll(master, pattern))).flat();
}

export async function deleteTestKeys(pattern: string): Promise<number> {
  const counts = await onEveryMaster(async (master) => {
    let deleted = 0;
    // One key per command: on a cluster, the keys of one scan are in many slots.
    for (const key of await scanAll(master, pattern)) deleted += await master.del(key);
    return deleted;
  });
  return counts.reduce((a, b) => a + b, 0);
}
