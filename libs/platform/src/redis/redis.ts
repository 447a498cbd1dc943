import { DomainError } from '@twofold/contracts';
import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export interface RedisTarget {
  url: string;
  clusterNodes: string[];
}

export function redisTargetOf(env: { REDIS_URL: string; REDIS_CLUSTER_NODES: string[] }): RedisTarget {
  return { url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES };
}

export function redisProbeUrl(target: RedisTarget): string {
  if (target.clusterNodes.length === 0) return target.url;
  const scheme = new URL(target.url).protocol;
  return target.clusterNodes.map((node) => `${scheme}//${node}`).join(',');
}

/**
 * Fails fast: while Redis is unreachable, commands are rejected at once so callers answer 503 instead
 * of hanging. A cluster client is typed as a single one: every script or transaction stays in one slot.
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
  // Failures surface as 503 and in /readyz; ioredis would otherwise print every reconnection attempt.
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
      // A failed master is replaced by its replica within the node timeout: ask again shortly meanwhile.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      slotsRefreshTimeout: 2000,
      // The topology again every few seconds: a replica that came back is seen (see ReplicaWaits).
      slotsRefreshInterval: 2000,
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

const QUIT_TIMEOUT_MS = 2_000;

/** A cluster client whose node is gone never answers QUIT: drop the connections rather than hang. */
export async function closeRedis(client: Redis | Cluster): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), QUIT_TIMEOUT_MS);
  });
  const outcome = await Promise.race([client.quit().catch(() => 'failed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late' || outcome === 'failed') client.disconnect();
}

/** A Redis failure becomes 503, so callers fail closed instead of taking "no data" for "no". */
export async function orUnavailable<T>(call: () => Promise<T>, what = 'This'): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('service_unavailable', `${what} cannot be checked right now; try again shortly.`);
  }
}

/**
 * WAIT blocks its connection: skip it for a master listed with too few replicas or, for BACK_OFF_MS, one
 * that just failed to confirm. A master of less than `recentMasterMs` is not trusted: promoted while
 * lagging, it lost acceptances that WAIT would then confirm a replay of.
 */
export class ReplicaWaits {
  static readonly BACK_OFF_MS = 1000;
  /** Longer than a code stays valid: 7 steps of 30 s (its step ± 1, ± 2 of drift; DEFAULT_TOTP). */
  static readonly RECENT_MASTER_MS = 240_000;
  private readonly backingOff = new Map<string, number>();
  private readonly owners = new Map<number, { master: string; since: number }>();
  private readonly started = performance.now();

  constructor(
    private readonly redis: Redis,
    private readonly recentMasterMs = ReplicaWaits.RECENT_MASTER_MS,
  ) {}

  async holding(key: string, replicas: number, timeoutMs: number): Promise<number> {
    const target = this.masterOf(key);
    if (!target) return 0;
    if (target.slot !== undefined && this.recentlyPromoted(target.slot, target.id)) return 0;
    if (target.listed !== undefined && target.listed < replicas) return target.listed;
    const now = performance.now();
    if ((this.backingOff.get(target.id) ?? 0) > now) return 0;
    const holding = await target.node.wait(replicas, timeoutMs);
    if (holding < replicas) this.backingOff.set(target.id, now + ReplicaWaits.BACK_OFF_MS);
    return holding;
  }

  private recentlyPromoted(slot: number, master: string): boolean {
    const now = performance.now();
    let owner = this.owners.get(slot);
    if (!owner || owner.master !== master) {
      owner = { master, since: owner ? now : this.started };
      this.owners.set(slot, owner);
    }
    return now - owner.since < this.recentMasterMs;
  }

  private masterOf(key: string): { node: Redis; id: string; slot?: number; listed?: number } | undefined {
    const cluster = this.redis as unknown as Cluster;
    if (!cluster.isCluster) return { node: this.redis, id: '' };
    // WAIT names no key: it is sent to the master of the key's slot, as the script was.
    const slot = calculateSlot(`${cluster.options.keyPrefix ?? ''}${key}`);
    const [master, ...replicas] = cluster.slots[slot] ?? [];
    const node = cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === master);
    return node && master ? { node, id: master, slot, listed: replicas.length } : undefined;
  }
}
