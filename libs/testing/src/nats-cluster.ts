import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { eventually, freePort, runId } from './isolation';

const NATS_SERVER = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';

interface Node {
  client: number;
  route: number;
  monitor: number;
  process?: ChildProcess;
}

/** `kill(i)` is a node dying (SIGKILL); `start(i)` brings it back on the same ports. */
export class NatsCluster {
  private constructor(
    private readonly name: string,
    private readonly nodes: Node[],
  ) {}

  get url(): string {
    return this.nodes.map((n) => `nats://127.0.0.1:${n.client}`).join(',');
  }

  urlOf(index: number): string {
    return `nats://127.0.0.1:${this.nodes[index].client}`;
  }

  static async start(size = 3): Promise<NatsCluster> {
    const nodes: Node[] = [];
    for (let i = 0; i < size; i += 1) {
      nodes.push({ client: await freePort(), route: await freePort(), monitor: await freePort() });
    }
    const cluster = new NatsCluster(`tf-${runId()}`, nodes);
    await Promise.all(nodes.map((_, i) => cluster.start(i)));
    await Promise.all(nodes.map((_, i) => cluster.routed(i, size - 1)));
    return cluster;
  }

  private routed(index: number, peers: number): Promise<true> {
    return eventually(
      async () => {
        const routez = (await (
          await fetch(`http://127.0.0.1:${this.nodes[index].monitor}/routez`)
        ).json()) as { num_routes: number };
        return routez.num_routes >= peers ? true : undefined;
      },
      15_000,
      `NATS node ${index} to join its cluster`,
    );
  }

  async start(index: number): Promise<void> {
    const node = this.nodes[index];
    const routes = this.nodes
      .filter((_, i) => i !== index)
      .map((other) => `nats://127.0.0.1:${other.route}`)
      .join(',');
    node.process = spawn(
      NATS_SERVER,
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(node.client),
        '-m',
        String(node.monitor),
        '-n',
        `${this.name}-${index}`,
        '--cluster_name',
        this.name,
        '--cluster',
        `nats://127.0.0.1:${node.route}`,
        '--routes',
        routes,
      ],
      { stdio: 'ignore' },
    );
    const peers = this.nodes.filter((n, i) => i !== index && n.process?.exitCode === null).length;
    await this.routed(index, peers);
  }

  async clientsOf(index: number): Promise<string[]> {
    const connz = (await (await fetch(`http://127.0.0.1:${this.nodes[index].monitor}/connz`)).json()) as {
      connections?: { name?: string }[];
    };
    return (connz.connections ?? []).map((c) => c.name ?? '');
  }

  async kill(index: number): Promise<void> {
    const running = this.nodes[index].process;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.kill(i)));
  }
}
