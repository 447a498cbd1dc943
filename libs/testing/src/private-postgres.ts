import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, freePort } from './isolation';

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  return join('/usr/lib/postgresql', versions[versions.length - 1], 'bin');
}

/** Its own server, so restarting it disturbs nothing else; as root it runs as `postgres`, as required. */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-postgres-'));
    const server = new PrivatePostgres(dir, await freePort());
    if (PrivatePostgres.asRoot) chownSync(dir, uid('postgres'), gid('postgres'));
    server.run('initdb', [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    this.run('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-o',
      options,
      '-l',
      join(this.dir, 'log'),
      '-w',
      'start',
    ]);
    await eventually(async () => {
      const client = new Client({ connectionString: this.url });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return undefined;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  }

  /** Stops the server as an operator's restart does (fast: open sessions are ended). */
  stop(): void {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  close(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private static get asRoot(): boolean {
    return userInfo().uid === 0;
  }

  private run(program: string, args: string[]): void {
    const binary = join(postgresBin(), program);
    if (PrivatePostgres.asRoot)
      execFileSync('runuser', ['-u', 'postgres', '--', binary, ...args], { stdio: 'ignore' });
    else execFileSync(binary, args, { stdio: 'ignore' });
  }
}

const uid = (user: string): number => Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
const gid = (user: string): number => Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
