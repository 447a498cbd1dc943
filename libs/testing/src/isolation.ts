import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** A short unique token for this run's Redis key prefix, NATS subject prefix and queue groups. */
export function runId(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/**
 * Ports handed out below Linux's ephemeral range (32768–60999): a port the kernel picked for a
 * listener (`listen(0)`) comes from that range, and so do the local ports of outgoing
 * connections — a service's connections to Postgres or Redis took such a port before the process
 * it was meant for could listen on it (EADDRINUSE).
 */
const PORT_RANGE = { from: 20_000, to: 32_000 };

/** Ports this process has handed out: never twice, though the first may not be listening yet. */
const handedOut = new Set<number>();

/** A TCP port that was free a moment ago on loopback, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found on 127.0.0.1');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${suffix}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
