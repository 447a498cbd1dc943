import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { eventually, freePort } from './isolation';

const run = promisify(execFile);

interface Node {
  port: number;
  /** The default (port + 10000) could be taken or in the ephemeral range. */
  busPort: number;
  process?: ChildProcess;
}

/** `kill(port)` is a node dying (SIGKILL); `start(port)` brings it back from its nodes.conf. */
export class RedisCluster {
  private constructor(
    private readonly dir: string,
    private readonly nodes: Node[],
    private readonly masters: number,
    readonly nodeTimeoutMs: number,
  ) {}

  get nodeList(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  static async start(masters = 3, replicasPerMaster = 1, nodeTimeoutMs = 1000): Promise<RedisCluster> {
    const nodes: Node[] = [];
    for (let i = 0; i < masters * (1 + replicasPerMaster); i += 1)
      nodes.push({ port: await freePort(), busPort: await freePort() });
    const cluster = new RedisCluster(
      mkdtempSync(join(tmpdir(), 'twofold-redis-cluster-')),
      nodes,
      masters,
      nodeTimeoutMs,
    );
    await Promise.all(nodes.map((n) => cluster.start(n.port)));
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(replicasPerMaster),
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    await cluster.healthy();
    return cluster;
  }

  /** All slots served, as many masters as made, and every replica's link up. */
  async healthy(timeoutMs = 30_000): Promise<void> {
    await eventually(
      async () => {
        let masters = 0;
        let replicas = 0;
        let online = 0;
        for (const node of this.nodes) {
          if (!this.isRunning(node)) continue;
          const info = await this.command(node.port, 'CLUSTER', 'INFO');
          if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) return undefined;
          const replication = await this.command(node.port, 'INFO', 'replication');
          if (/^role:master\r?$/m.test(replication)) {
            masters += 1;
            online += (replication.match(/^slave\d+:.*state=online/gm) ?? []).length;
          } else if (/^master_link_status:up\r?$/m.test(replication)) replicas += 1;
          else return undefined;
        }
        // Each replica in sync as its master sees it too (WAIT counts on that).
        return masters === this.masters && online === replicas ? true : undefined;
      },
      timeoutMs,
      'the Redis Cluster to serve every slot',
    );
  }

  /** `key` as written to Redis, prefix included. */
  async masterOf(key: string): Promise<number> {
    const live = this.nodes.find((n) => this.isRunning(n))!;
    const slot = Number(await this.command(live.port, 'CLUSTER', 'KEYSLOT', key));
    const slots = (await this.command(live.port, 'CLUSTER', 'SLOTS')) as unknown as [
      number,
      number,
      [string, number],
    ][];
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no master serves slot ${slot}`);
    return range[2][1];
  }

  async replicasOf(port: number): Promise<number[]> {
    const nodes = String(await this.command(port, 'CLUSTER', 'NODES'));
    const me = nodes
      .split('\n')
      .find((line) => line.includes('myself'))!
      .split(' ')[0];
    return nodes
      .split('\n')
      .filter((line) => line.split(' ')[3] === me)
      .map((line) => Number(line.split(' ')[1].split('@')[0].split(':')[1]));
  }

  async isMaster(port: number): Promise<boolean> {
    return /^role:master\r?$/m.test(String(await this.command(port, 'INFO', 'replication')));
  }

  async start(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port)!;
    node.process = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(node.busPort),
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        String(this.nodeTimeoutMs),
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    await eventually(
      async () => ((await this.command(port, 'PING')) === 'PONG' ? true : undefined),
      10_000,
      `Redis on port ${port} to start`,
    );
  }

  async kill(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port)!;
    const running = node.process;
    if (!running || !this.isRunning(node)) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.kill(n.port)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private isRunning(node: Node): boolean {
    return node.process !== undefined && node.process.exitCode === null && node.process.signalCode === null;
  }

  private async command(port: number, ...args: string[]): Promise<string> {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      return (await client.call(args[0], ...args.slice(1))) as string;
    } finally {
      client.disconnect();
    }
  }
}
