import { connect } from 'node:net';
import { redactUrl } from '../config/load-config';

export interface Dependency {
  name: 'PostgreSQL' | 'Redis' | 'NATS';
  url: string;
}

const DEFAULT_PORTS: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
  'nats:': 4222,
  'tls:': 4222,
};

const HOW_TO_START: Record<Dependency['name'], string> = {
  PostgreSQL:
    'start it (Debian: `pg_ctlcluster 15 main start`; Docker: `docker compose up -d postgres`) or set DATABASE_URL',
  Redis: 'start it (`redis-server --daemonize yes`; Docker: `docker compose up -d redis`) or set REDIS_URL',
  NATS: 'start it with JetStream (`nats-server -js &`; Docker: `docker compose up -d nats`) or set NATS_URL',
};

/** A start-up failure meant for a human: one line, no stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Checks that each dependency accepts TCP connections, naming the first that does not. */
export async function checkDependencies(dependencies: Dependency[], timeoutMs = 2000): Promise<void> {
  const failures = await Promise.all(
    dependencies.map(async (dep) => {
      const problem = await probe(dep.url, timeoutMs);
      return problem
        ? `${dep.name} is not reachable at ${redactUrl(dep.url)} (${problem}): ${HOW_TO_START[dep.name]}.`
        : undefined;
    }),
  );
  const lines = failures.filter((f): f is string => f !== undefined);
  if (lines.length > 0) throw new StartupError(lines.join('\n'));
}

/** Reachable if one of a cluster's servers is (the clients find the rest). */
async function probe(rawUrls: string, timeoutMs: number): Promise<string | undefined> {
  const problems = await Promise.all(rawUrls.split(',').map((url) => probeOne(url.trim(), timeoutMs)));
  return problems.includes(undefined) ? undefined : problems.join(', ');
}

function probeOne(rawUrl: string, timeoutMs: number): Promise<string | undefined> {
  const url = new URL(rawUrl);
  const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem?: string): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done('timed out'));
    socket.once('connect', () => done());
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}
