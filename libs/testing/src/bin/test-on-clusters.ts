/**
 * `npm run test:clusters`: the integration and end-to-end suites again, on a Redis Cluster of 3
 * masters and 3 replicas and a 3-node NATS cluster, both made here on loopback ports and torn
 * down after (TEST_REDIS_CLUSTER_NODES and TEST_NATS_URL point every test at them). Arguments
 * go to jest (e.g. `--testPathPatterns otp-service`).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { NatsCluster } from '../nats-cluster';
import { RedisCluster } from '../redis-cluster';

/** The whole run stops by itself after this long, whatever hangs. */
const LIMIT_MS = 20 * 60_000;

/**
 * Suites left out here: they drive the same HTTP routes as others that do run (a browser, the
 * Python OpenStack clients, the random grant model), so a cluster adds nothing they would catch
 * and only lengthens `npm test`. Any jest argument given replaces this list.
 */
const SAME_ON_CLUSTERS = ['account-settings', 'openstack-clients', 'grant-model'];

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
        ...(process.argv.length > 2
          ? process.argv.slice(2)
          : ['--testPathIgnorePatterns', ...SAME_ON_CLUSTERS.map((name) => `/${name}\\.`)]),
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
