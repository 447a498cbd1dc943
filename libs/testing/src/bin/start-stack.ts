/** `npm start`: the whole stack as supervised processes (one that exits starts again); Ctrl-C stops it. */
import { resolve } from 'node:path';
import { ensureDatabase } from '../test-database';
import { type ServiceName, Stack } from '../stack';

const DEFAULTS: Record<ServiceName, number> = { gateway: 8080, 'otp-service': 8081, 'account-service': 8082 };
const COLORS: Record<ServiceName, string> = { gateway: '36', 'otp-service': '35', 'account-service': '33' };

function port(variable: string, fallback: number): number {
  const value = process.env[variable];
  return value ? Number(value) : fallback;
}

function otpInstances(): number {
  const value = process.env.TWOFOLD_OTP_INSTANCES ?? '1';
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 16) {
    process.stderr.write('TWOFOLD_OTP_INSTANCES: must be a whole number from 1 to 16\n');
    process.exit(2);
  }
  return count;
}

async function main(): Promise<void> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  // A development stack: otp-service may generate its encryption key into var/ (only then).
  env.NODE_ENV ??= 'development';
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/twofold';
  const color = process.stdout.isTTY;
  const otpPort = port('OTP_SERVICE_PORT', DEFAULTS['otp-service']);
  const gatewayPort = port('GATEWAY_PORT', DEFAULTS.gateway);
  // A host name, not 127.0.0.1: browsers refuse an IP address as the passkeys' site.
  env.PUBLIC_URL ??= `http://localhost:${gatewayPort}`;
  const say = (line: string) =>
    process.stdout.write(`${color ? '\x1b[1mtwofold\x1b[0m' : 'twofold'} | ${line}\n`);
  const stack = new Stack({
    rootDir: resolve(__dirname, '../../../..'),
    env,
    ports: {
      gateway: gatewayPort,
      'otp-service': otpPort,
      'account-service': port('ACCOUNT_SERVICE_PORT', DEFAULTS['account-service']),
    },
    // Further otp-service processes probe on every tenth port after the first's (8091, 8101, …).
    extraOtpServicePorts: Array.from({ length: otpInstances() - 1 }, (_, i) => otpPort + 10 * (i + 1)),
    supervise: { report: say },
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
  for (const service of [stack.services['account-service'], ...stack.otpServices, stack.services.gateway]) {
    say(`${service.options.name} on port ${service.options.port}, pid ${service.pid}`);
  }
  process.stdout.write(
    `\nTwofold is running: open ${stack.publicUrl}/ for Account Settings\n  API ${stack.gatewayUrl}/api/v1  ·  readiness ${stack.gatewayUrl}/readyz  ·  Ctrl-C stops it\n\n`,
  );
}

void main();
