/** `npm run test:clusters`: the suites on a 3+3 Redis Cluster and a 3-node NATS cluster; args go to jest. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { NatsCluster } from '../nats-cluster';
import { RedisCluster } from '../redis-cluster';

const LIMIT_MS = 20 * 60_000;

/**
 * What a cluster can change: Redis scripts and transactions whose keys must share a slot, replicas
 * acknowledging a WAIT, NATS subscriptions and queue groups spread over nodes. Every integration
 * suite exercises those stores directly; of the end-to-end suites, the ones whose paths cross them
 * under load or in races (sign-in, Keystone, replays, passkeys, every grant change).
 * The rest drive the same stores through other routes: a cluster only made `npm test` longer.
 */
const ON_CLUSTERS = [
  '\\.int-spec\\.ts$',
  ...['stack', 'keystone', 'attacks', 'passkeys', 'grant-table'].map((name) => `/${name}\\.e2e-spec\\.ts$`),
];

async function main(): Promise<number> {
  const root = resolve(__dirname, '../../../..');
  const [redis, nats] = await Promise.all([RedisCluster.start(3, 1), NatsCluster.start(3)]);
  process.stdout.write(`Redis Cluster on ${redis.nodeList}\nNATS cluster on ${nats.url}\n`);
  try {
    const jest = spawn(
      process.execPath,
      [
        resolve(root, 'node_modules/jest/bin/jest.js'),
        '--selectProjects',
        'integration',
        'e2e',
        '--runInBand',
        // A handle left open once every suite answered hung the run until the limit (seen once).
        '--forceExit',
        ...(process.argv.length > 2 ? process.argv.slice(2) : ['--testPathPatterns', ...ON_CLUSTERS]),
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, TEST_REDIS_CLUSTER_NODES: redis.nodeList, TEST_NATS_URL: nats.url },
      },
    );
    const limit = setTimeout(() => {
      process.stderr.write(`test:clusters: stopped after ${LIMIT_MS / 60_000} minutes\n`);
      jest.kill('SIGKILL');
    }, LIMIT_MS);
    const code = await new Promise<number>((done) => jest.once('exit', (c) => done(c ?? 1)));
    clearTimeout(limit);
    return code;
  } finally {
    await Promise.all([redis.close(), nats.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test:clusters: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
