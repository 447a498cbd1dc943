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

/** How long a closing client waits for QUIT's answer before it drops its connections. */
const QUIT_TIMEOUT_MS = 2_000;

/**
 * Closes a client: QUIT (what was sent is answered first), or, when that does not finish in time
 * (a cluster client whose node is gone or still connecting never answers it), the connections
 * are dropped. A process must not hang on its way out.
 */
export async function closeRedis(client: Redis | Cluster): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), QUIT_TIMEOUT_MS);
  });
  const outcome = await Promise.race([client.quit().catch(() => 'failed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late' || outcome === 'failed') client.disconnect();
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
 * How many replicas of the master holding a key have every write this client made there so far
 * (Redis WAIT, on the very connection that made them), waiting up to a timeout for the number
 * asked.
 *
 * WAIT blocks its connection, and every command queued behind it, until the replicas confirm or
 * the timeout ends. With the replicas up that is a round trip to them; without (a master just
 * promoted, its replica not back yet) each WAIT would hold the connection for the whole timeout
 * and the commands of every other member on that master would queue behind them. So WAIT is
 * not sent to a master the cluster lists with fewer replicas than asked, nor, for BACK_OFF_MS,
 * to a master that just failed to confirm in time: the answer is then 0 at once (the caller
 * records the acceptance elsewhere).
 *
 * Nor is a confirmation trusted from a master that took its slot less than `recentMasterMs` ago
 * (or that this process has not watched that long): a replica promoted while it lagged lost the
 * acceptances it had not received, and once it has a replica again WAIT would confirm a replay
 * of one of them. For as long as a code lives, the answer is 0 and the caller's durable record
 * decides.
 */
export class ReplicaWaits {
  static readonly BACK_OFF_MS = 1000;
  /**
   * Longer than a code stays valid: its step ± 1, and ± 2 more of learned drift, is 7 steps of
   * 30 s (otp-service's DEFAULT_TOTP).
   */
  static readonly RECENT_MASTER_MS = 240_000;
  /** Master (host:port) → until when (performance.now()) WAIT is not sent to it. */
  private readonly backingOff = new Map<string, number>();
  /** Per slot: its master when last seen, and since when it holds the slot (as far as this process knows). */
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

  /** The master of the key's slot, and how many replicas the cluster lists for that slot. */
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
