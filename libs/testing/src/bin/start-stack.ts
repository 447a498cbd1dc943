/**
 * `npm start`: runs the whole stack on this machine — account-service, otp-service and the
 * gateway as separate processes, migrations applied as each service starts — and prints the
 * gateway's URL. Ctrl-C stops everything. Configuration is the services' own environment.
 */
import { resolve } from 'node:path';
import { ensureDatabase } from '../test-database';
import { type ServiceName, Stack } from '../stack';

const DEFAULTS: Record<ServiceName, number> = { gateway: 8080, 'otp-service': 8081, 'account-service': 8082 };
const COLORS: Record<ServiceName, string> = { gateway: '36', 'otp-service': '35', 'account-service': '33' };

function port(variable: string, fallback: number): number {
  const value = process.env[variable];
  return value ? Number(value) : fallback;
}

async function main(): Promise<void> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  // A development stack: otp-service may generate its encryption key into var/ (only then).
  env.NODE_ENV ??= 'development';
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/twofold';
  const color = process.stdout.isTTY;
  const stack = new Stack({
    rootDir: resolve(__dirname, '../../../..'),
    env,
    ports: {
      gateway: port('GATEWAY_PORT', DEFAULTS.gateway),
      'otp-service': port('OTP_SERVICE_PORT', DEFAULTS['otp-service']),
      'account-service': port('ACCOUNT_SERVICE_PORT', DEFAULTS['account-service']),
    },
    onLine: (service, line) =>
      process.stdout.write(`${color ? `\x1b[${COLORS[service]}m${service}\x1b[0m` : service} | ${line}\n`),
  });

  try {
    if (await ensureDatabase(databaseUrl))
      process.stdout.write(`Created the database of ${new URL(databaseUrl).pathname.slice(1)}\n`);
  } catch {
    // The services' own start-up check names the problem (server down, wrong URL) and how to fix it.
  }
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping the stack…\n');
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    await stack.start();
  } catch (error) {
    // The service's own reason ("… cannot start. Redis is not reachable at …") is printed above.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\nThe stack did not start: ${message.split('\n')[0]}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `\nTwofold is running: open ${stack.gatewayUrl}/ for Account Settings\n  API ${stack.gatewayUrl}/api/v1  ·  readiness ${stack.gatewayUrl}/readyz  ·  Ctrl-C stops it\n\n`,
  );
}

void main();
